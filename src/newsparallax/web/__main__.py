"""``python -m newsparallax.web [OPTIONS]``: the same as ``parallax serve``."""

from __future__ import annotations

import click

from ..cli.serve import register


def _main() -> None:
    @click.group()
    def group() -> None:
        """Parallax web server."""

    register(group)
    serve = group.commands["serve"]
    serve.main(prog_name="python -m newsparallax.web")


if __name__ == "__main__":
    _main()
