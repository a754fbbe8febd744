"""The ``parallax`` command line: one module per command group, thin shells over the library.

``main`` is the entry point of the ``parallax`` script and of ``python -m newsparallax``."""

from .main import main

__all__ = ["main"]
