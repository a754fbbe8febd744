"""Canonical URLs and deterministic article ids.

Two links to one article (tracking parameters, ``http`` vs ``https``, ``www.``, a fragment, a
trailing slash, parameters in another order) give the same canonical URL and so the same id.
Articles without a URL get an id from their content (outlet, title and text), so re-reading the
same record is still idempotent.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only track a click and never select content.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "smid",
        "smtyp",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "s_cid",
        "sr_share",
        "_ga",
        "_gl",
        "ref_src",
        "taid",
        "spm",
        "rss_source",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "ga_")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_ID_LENGTH = 20


def canonical_url(url: str) -> str:
    """Return the canonical form of ``url`` used for identity.

    Lower-cases scheme and host, drops ``www.``, default ports, fragments, tracking parameters
    and a trailing slash, sorts the remaining query parameters, and treats ``http`` as ``https``.
    Non-http(s) URLs are returned stripped but otherwise unchanged.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    port = parts.port if _has_valid_port(parts.netloc) else None
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    query.sort()
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def _has_valid_port(netloc: str) -> bool:
    try:
        urlsplit(f"//{netloc}").port  # noqa: B018 - raises on an invalid port
    except ValueError:
        return False
    return True


def domain_of(url_or_domain: str) -> str:
    """The host of a URL without ``www.`` (``https://www.BBC.co.uk/x`` → ``bbc.co.uk``).

    Pseudo-domains such as ``telegram:100123`` are returned as they are.
    """
    value = url_or_domain.strip()
    if "://" not in value:
        if value.startswith("telegram:"):
            return value
        value = "//" + value
    host = urlsplit(value).hostname or ""
    return host.lower().rstrip(".").removeprefix("www.")


def article_id(*, url: str | None, outlet: str = "", title: str = "", text: str = "") -> str:
    """A deterministic id: from the canonical URL, or from the content when there is no URL."""
    if url and url.strip():
        key = "url:" + canonical_url(url)
    else:
        body = " ".join(text.split())
        key = "content:" + "\x1f".join((outlet, " ".join(title.split()), body))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()[:_ID_LENGTH]
