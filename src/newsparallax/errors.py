"""Parallax's exceptions and the catalogue of input error codes.

Exception tree::

    ParallaxError
    ├── ConfigError          a watch, outlet file or setting is invalid
    ├── PipelineOrderError   a stage needs a field no earlier stage provides
    ├── StoreError           the database cannot be opened or migrated
    └── InputError           one input (file, record, line) cannot be read; carries a code

Input problems never stop a run: each becomes an :class:`InputProblem` row (input, code, reason)
in the summary and the store, and the run goes on with the next input.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Codes for problems recorded against an input, with what they mean.
ERROR_CODES: dict[str, str] = {
    "not-found": "the path does not exist",
    "unreadable": "the file could not be opened or read",
    "truncated-gzip": "the gzip stream ends before its end marker; records before it were kept",
    "bad-gzip": "the file claims to be gzip but is not",
    "bad-json": "a JSON Lines line is not a JSON object (invalid, or nested too deep)",
    "bad-record": "a record is missing what an article needs or has fields of the wrong type",
    "bad-warc": "a WARC record is corrupt; records before it were kept",
    "binary": "the content is binary, not text or HTML",
    "bad-encoding": "the bytes could not be decoded as text in any likely encoding",
    "too-large": "the page is larger than the configured limit",
    "empty": "the record or page has no text and no title",
    "not-article": "extraction found no article text in the page",
    "unsupported": "the input format is not one Parallax reads",
    "rejected": "a stage rejected the article",
    "internal": "an unexpected error in a reader or stage (a bug: please report it with the input)",
}


class ParallaxError(Exception):
    """Base class of Parallax's own exceptions."""


class ConfigError(ParallaxError):
    """A watch, outlet registry or setting is invalid."""


class PipelineOrderError(ParallaxError):
    """A pipeline's stages are in an order that cannot work."""


class QueryError(ParallaxError, ValueError):
    """A query cannot be answered as asked: no searchable words, an unknown event type, a date
    bound that is not a date. The message says what is accepted."""


class StoreError(ParallaxError):
    """The store cannot be opened, created or migrated."""


class InputError(ParallaxError):
    """One input cannot be read. ``code`` is a key of :data:`ERROR_CODES`."""

    def __init__(self, code: str, reason: str) -> None:
        if code not in ERROR_CODES:  # pragma: no cover - programming error
            raise ValueError(f"unknown input error code {code!r}")
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, kw_only=True, slots=True)
class InputProblem:
    """A problem recorded against one input: a file, a line, a WARC record."""

    input: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"input": self.input, "code": self.code, "reason": self.reason}
