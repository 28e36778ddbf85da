"""Lexicon provider for dnsplane's record API (/v1/domains).

A thin client: every rule (names in three forms, record sets split into one
record per value, duplicate creates, TTL defaults, MX priority) lives on the
dnsplane server; this module only maps Lexicon's five operations to HTTP.
"""
import logging
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

from lexicon.exceptions import AuthenticationError
from lexicon.providers.base import Provider as BaseProvider

LOGGER = logging.getLogger(__name__)

# dnsplane serves any domain: nothing to auto-detect by nameserver.
NAMESERVER_DOMAINS: List[str] = []

DEFAULT_ENDPOINT = "http://127.0.0.1:9001"


def provider_parser(subparser):
    """Options of the dnsplane provider."""
    subparser.description = "dnsplane record API (a dnsplane server's REST API)"
    subparser.add_argument(
        "--endpoint",
        help=f"base URL of the dnsplane REST API (default {DEFAULT_ENDPOINT})",
    )
    subparser.add_argument(
        "--auth-token",
        help="dnsplane API token (only when the server runs with --auth token)",
    )


class Provider(BaseProvider):
    """Lexicon provider driving dnsplane's /v1/domains record API."""

    def __init__(self, config):
        super().__init__(config)
        endpoint = self._get_provider_option("endpoint") or DEFAULT_ENDPOINT
        self.api_endpoint = str(endpoint).rstrip("/")
        self._session = requests.Session()
        token = self._get_provider_option("auth_token")
        if token:
            self._session.headers["X-Auth-Token"] = str(token)
        self._session.headers["Accept"] = "application/json"

    # --- Lexicon operations -------------------------------------------
    def _authenticate(self):
        response = self._session.get(self._domain_url(), timeout=30)
        if response.status_code in (401, 403, 404):
            raise AuthenticationError(
                f"dnsplane refused domain {self.domain}: "
                f"{response.status_code} {_error_message(response)}"
            )
        _raise_for_status(response)
        self.domain_id = response.json()["id"]

    def _create_record(self, rtype, name, content):
        body: Dict[str, Any] = {"type": rtype, "name": name, "content": content}
        body.update(self._ttl_and_options(rtype))
        self._request("POST", "/records", data=body)
        return True

    def _list_records(self, rtype=None, name=None, content=None):
        params = {}
        if rtype:
            params["type"] = rtype
        if name:
            params["name"] = name
        if content:
            params["content"] = content
        records = self._request("GET", "/records", query_params=params)
        LOGGER.debug("list_records: %s", records)
        return records

    def _update_record(self, identifier, rtype=None, name=None, content=None):
        body: Dict[str, Any] = {}
        if content is not None:
            body["content"] = content
        body.update(self._ttl_and_options(rtype))
        if identifier:
            if rtype:
                body["type"] = rtype
            if name:
                body["name"] = name
            self._request("PATCH", f"/records/{quote(identifier, safe='')}", data=body)
            return True
        params = {"type": rtype, "name": name}
        self._request("PATCH", "/records", data=body, query_params=params)
        return True

    def _delete_record(self, identifier=None, rtype=None, name=None, content=None):
        if identifier:
            self._request("DELETE", f"/records/{quote(identifier, safe='')}")
            return True
        if rtype and name:
            params = {"type": rtype, "name": name}
            if content:
                params["content"] = content
            self._request("DELETE", "/records", query_params=params)
            return True
        # Without type or name: the matching records one by one, by id.
        for record in self._list_records(rtype, name, content):
            self._request("DELETE", f"/records/{quote(record['id'], safe='')}")
        return True

    # --- helpers --------------------------------------------------------
    def _ttl_and_options(self, rtype: Optional[str]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        ttl = self._get_lexicon_option("ttl")
        if ttl is not None:
            out["ttl"] = int(ttl)
        priority = self._get_lexicon_option("priority")
        if rtype and rtype.upper() == "MX" and priority not in (None, ""):
            out["options"] = {"mx": {"priority": int(priority)}}
        return out

    def _domain_url(self) -> str:
        return f"{self.api_endpoint}/v1/domains/{quote(self.domain, safe='')}"

    def _request(self, action="GET", url="/", data=None, query_params=None):
        response = self._session.request(
            action,
            self._domain_url() + url,
            params=query_params,
            json=data,
            timeout=30,
        )
        _raise_for_status(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()


def _error_message(response) -> str:
    try:
        body = response.json()
        return f"{body.get('type')}: {body.get('message')}"
    except ValueError:
        return response.text[:200]


def _raise_for_status(response) -> None:
    if response.status_code >= 400:
        raise requests.exceptions.HTTPError(
            f"{response.status_code} {_error_message(response)}", response=response
        )
