"""Docs are checked: every setting and every command is documented; the public API is curated."""

from __future__ import annotations

import re

import newsparallax
from conftest import REPO
from newsparallax.cli.main import main
from newsparallax.settings import SETTINGS

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_every_command_is_documented_and_exists() -> None:
    commands = set(main.commands)  # type: ignore[attr-defined]
    documented = set(re.findall(r"`parallax ([\w-]+)", README))
    assert commands <= documented, commands - documented
    assert documented <= commands, documented - commands


def test_readme_names_the_two_commands_and_ci_calls_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_public_api_is_curated() -> None:
    assert sorted(newsparallax.__all__) == newsparallax.__all__
    for name in newsparallax.__all__:
        assert hasattr(newsparallax, name), name
