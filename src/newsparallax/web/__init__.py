"""The web app: REST API (``/api/v1``, OpenAPI at ``/openapi.json``) and the dashboard.

``create_app(db, watch, token=None)`` builds the FastAPI app; ``parallax serve`` runs it with
uvicorn (see :mod:`newsparallax.cli.serve`).
"""

from __future__ import annotations

from .app import CSP, create_app

__all__ = ["CSP", "create_app"]
