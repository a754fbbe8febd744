"""`make test` ends by saying what it skipped and the one command that enables each part."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_skipped_tests_are_listed_with_the_command_that_enables_them(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text((REPO / "tests" / "conftest.py").read_text("utf-8"))
    (tests / "test_sample.py").write_text(
        "import pytest\n"
        "def test_browser():\n    pytest.skip('no /usr/bin/chromium: install it')\n"
        "def test_ner():\n    pytest.importorskip('natasha_not_installed_here_natasha')\n"
        "def test_plain():\n    assert True\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "skipped tests and how to enable them" in out
    assert "1 skipped; to run them: apt-get install -y chromium" in out
    assert "1 skipped; to run them: .venv/bin/pip install -e '.[ner]'" in out
    assert "test_sample.py::test_browser" in out
