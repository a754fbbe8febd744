"""A briefing printed to PDF by headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .gather import BriefError

CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str | None:
    """The headless browser used for PDF (``PARALLAX_CHROMIUM``, else /usr/bin/chromium)."""
    configured = os.environ.get("PARALLAX_CHROMIUM")
    for candidate in (configured, CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def render_pdf(document: str, out: Path, *, timeout: float = 120.0) -> Path:
    """Print the HTML ``document`` to ``out`` with headless Chromium."""
    browser = chromium_path()
    if browser is None:
        raise BriefError(
            f"PDF needs Chromium ({CHROMIUM} not found; install the `chromium` package or set"
            " PARALLAX_CHROMIUM)"
        )
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="parallax-brief-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(document, encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise BriefError(f"Chromium did not finish within {timeout:.0f} s") from err
    if not out.exists() or out.read_bytes()[:4] != b"%PDF":
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise BriefError(f"Chromium made no PDF (exit {done.returncode}): {' | '.join(tail)}")
    return out
