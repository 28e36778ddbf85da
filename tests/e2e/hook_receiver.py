"""A small HTTP receiver for dnsplane's extension points in the tests: it
records every JSON body POSTed to it, answers GET (the endpoint check) with
200, and can be told to fail, to sleep, or to answer validate_change with a
veto. It can be stopped and started again on the same port (receiver down)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional


class HookReceiver:
    def __init__(self, port: int):
        self.port = port
        self.events: list[dict] = []  # change_committed bodies, in arrival order
        self.validations: list[dict] = []
        self.lock = threading.Lock()
        self.fail_status: Optional[int] = None  # answer POSTs with this status
        self.delay = 0.0  # seconds to sleep before answering a POST
        # validate_change: body -> (ret, msg)
        self.validator: Callable[[dict], tuple[int, str]] = lambda body: (0, "ok")
        self.server: Optional[ThreadingHTTPServer] = None
        self.thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "HookReceiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer(200, {"ret": 0, "msg": "ok"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if receiver.delay:
                    time.sleep(receiver.delay)
                if receiver.fail_status:
                    self._answer(receiver.fail_status, {"ret": -500, "msg": "down"})
                    return
                if body.get("addons_point") == "validate_change":
                    with receiver.lock:
                        receiver.validations.append(body)
                    ret, msg = receiver.validator(body)
                    self._answer(200, {"ret": ret, "msg": msg})
                    return
                with receiver.lock:
                    receiver.events.append(body)
                self._answer(200, {"ret": 0, "msg": "ok"})

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.events)

    def unique_events(self) -> list[dict]:
        """Events de-duplicated by id (at least once), first arrival order."""
        seen, out = set(), []
        for e in self.snapshot():
            if e["id"] not in seen:
                seen.add(e["id"])
                out.append(e)
        return out

    def wait_for(self, predicate, timeout: float = 15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.unique_events()
            if predicate(events):
                return events
            time.sleep(0.05)
        raise AssertionError(f"receiver condition not met in {timeout}s; got "
                             f"{len(self.unique_events())} events")
