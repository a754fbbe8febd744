"""The identify stage: canonical URL, deterministic id, domain and outlet of each article."""

from __future__ import annotations

from typing import Protocol

from ..records import Outlet
from ..urls import article_id, canonical_url, domain_of
from .pipeline import BaseStage, Doc


class OutletResolver(Protocol):
    def resolve(self, url_or_domain: str) -> Outlet | None: ...


class IdentifyStage(BaseStage):
    """Give the doc its id, canonical URL, domain and outlet (unknown domains get an outlet
    of their own with no camp)."""

    name = "identify.v1"
    requires = ("url", "title", "text", "summary", "meta")
    provides = ("id", "canonical_url", "domain", "outlet")

    def __init__(self, *, outlets: OutletResolver) -> None:
        super().__init__()
        self.outlets = outlets

    def __call__(self, doc: Doc) -> Doc:
        if doc.url and not doc.url.startswith(("http://", "https://")):
            doc.meta.setdefault("url_invalid", doc.url)
            doc.url = None
        doc.canonical_url = canonical_url(doc.url) if doc.url else None
        declared = str(doc.meta.get("domain") or "")
        doc.domain = domain_of(doc.url) if doc.url else domain_of(declared) if declared else ""
        outlet = self.outlets.resolve(doc.url) if doc.url else None
        if outlet is None and declared:
            outlet = self.outlets.resolve(declared)
        if outlet is None:
            key = doc.domain or "unknown"
            name = str(doc.meta.get("outlet") or doc.domain or "unknown")
            outlet = Outlet(id=key, name=name, domains=(key,) if doc.domain else ())
            self.counts["unknown_outlet"] += 1
        doc.outlet = outlet
        if not doc.domain:
            doc.domain = outlet.id
        doc.id = article_id(
            url=doc.url, outlet=outlet.id, title=doc.title, text=doc.text or doc.summary
        )
        self.counts["by_url" if doc.url else "by_content"] += 1
        return doc
