"""Helpers of the Lexicon tests: the dnsplane provider module (contrib/lexicon)
loaded as lexicon.providers.dnsplane, and Provider instances bound to a
running server."""
from __future__ import annotations

import uuid
from pathlib import Path

import lexicon.providers
from lexicon.config import ConfigResolver

CONTRIB = Path(__file__).resolve().parents[2] / "contrib" / "lexicon"
if str(CONTRIB) not in lexicon.providers.__path__:
    lexicon.providers.__path__.append(str(CONTRIB))

import lexicon.providers.dnsplane as dnsplane_provider  # noqa: E402


def lexicon_domain() -> str:
    """A zone name Lexicon keeps as is (a registrable domain: tldextract)."""
    return f"lex-{uuid.uuid4().hex[:12]}.org"


def provider(srv, domain: str, token: str | None = None, ttl: int | None = None,
             priority: int | None = None):
    options = {"endpoint": srv.api}
    if token:
        options["auth_token"] = token
    cfg = {"provider_name": "dnsplane", "domain": domain, "dnsplane": options}
    if ttl is not None:
        cfg["ttl"] = ttl
    if priority is not None:
        cfg["priority"] = priority
    p = dnsplane_provider.Provider(ConfigResolver().with_dict(cfg))
    return p


def authenticated(srv, domain: str, **kw):
    p = provider(srv, domain, **kw)
    p.authenticate()
    return p
