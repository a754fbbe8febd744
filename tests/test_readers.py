"""Every kind of bad input becomes a recorded problem; reading goes on."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fsspec
import pytest

from conftest import sample_records, write_jsonl
from newsparallax.acquire.readers import read_inputs
from newsparallax.annotate.pipeline import Doc
from newsparallax.errors import InputProblem


def _split(items: list[Doc | InputProblem]) -> tuple[list[Doc], list[InputProblem]]:
    docs = [i for i in items if isinstance(i, Doc)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    return docs, problems


def test_jsonl_plain_and_gzip(tmp_path: Path) -> None:
    plain = write_jsonl(tmp_path / "a.jsonl", sample_records())
    gz = write_jsonl(tmp_path / "b.jsonl.gz", sample_records(), gz=True)
    for path in (plain, gz):
        docs, problems = _split(list(read_inputs([str(path)])))
        assert len(docs) == 4 and not problems
        assert docs[1].title.startswith("МИД") and docs[1].meta["language"] == "ru"
        assert docs[0].published_raw == "2023-01-10T08:30:00+00:00"
        assert docs[0].source == f"{path}:1"


def test_truncated_gzip_keeps_records_before_the_break(tmp_path: Path) -> None:
    records = sample_records() * 50
    full = gzip.compress("".join(__import__("json").dumps(r) + "\n" for r in records).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(full[: len(full) * 2 // 3])
    docs, problems = _split(list(read_inputs([str(path)])))
    assert 0 < len(docs) < len(records)
    assert [p.code for p in problems] == ["truncated-gzip"]
    assert str(path) in problems[0].input


def test_bad_lines_cost_only_themselves(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = write_jsonl(tmp_path / "g.jsonl", sample_records()[:1]).read_bytes()
    path.write_bytes(
        good
        + b"{not json\n"
        + b"[1, 2]\n"
        + b'{"title": null, "text": ""}\n'
        + b'{"title": ["x"]}\n'
        + b'{"title": "\xff\xfe bad utf8"}\n'
        + good
    )
    docs, problems = _split(list(read_inputs([str(path)])))
    assert len(docs) == 2
    assert [p.code for p in problems] == [
        "bad-json",
        "bad-json",
        "empty",
        "bad-record",
        "bad-encoding",
    ]
    assert problems[0].input.endswith(":2")


def test_binary_empty_missing_and_too_large(tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>word word word</p>" * 3_000_000 + b"</body></html>")
    items = list(
        read_inputs(
            [str(binary), str(empty), str(big), str(tmp_path / "nope.html")],
            max_bytes=16 * 1024 * 1024,
        )
    )
    docs, problems = _split(items)
    assert not docs
    assert [p.code for p in problems] == ["binary", "empty", "too-large", "not-found"]
    assert "MB" in problems[2].reason


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html>" + b" " * 50_000_000))
    docs, problems = _split(list(read_inputs([str(bomb)], max_bytes=1_000_000)))
    assert not docs and [p.code for p in problems] == ["too-large"]


def test_html_folder_and_canonical_link(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_text(
        '<html><head><link rel="canonical" href="https://example.org/a"></head>'
        "<body><p>Hello</p></body></html>"
    )
    (folder / "sub" / "b.htm").write_bytes(gzip.compress(b"<html><body><p>B</p></body></html>"))
    docs, problems = _split(list(read_inputs([str(folder)])))
    assert not problems and len(docs) == 2
    assert docs[0].url == "https://example.org/a" and docs[1].url is None
    assert isinstance(docs[0].html, bytes)


def test_stdin_is_sniffed() -> None:
    data = "".join(__import__("json").dumps(r) + "\n" for r in sample_records()).encode()
    docs, problems = _split(list(read_inputs(["-"], stdin=io.BytesIO(gzip.compress(data)))))
    assert len(docs) == 4 and not problems and docs[0].source == "<stdin>:1"
    docs, problems = _split(list(read_inputs(["-"], stdin=io.BytesIO(b"<html><p>x</p></html>"))))
    assert len(docs) == 1 and docs[0].source == "<stdin>"


def test_control_characters_are_dropped_from_record_text(tmp_path: Path) -> None:
    """NUL and other C0 controls (seen in real exports; PostgreSQL refuses NUL) are dropped;
    newlines and tabs stay."""
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [{"url": "https://x.test/1", "title": "Ti\x00tle\x07", "text": "One\x00 two\n\tthree\x1f"}],
    )
    docs = [d for d in read_inputs([str(path)]) if isinstance(d, Doc)]
    assert [(d.title, d.text) for d in docs] == [("Title", "One two\n\tthree")]


def test_hostile_json_lines_cost_only_themselves(tmp_path: Path) -> None:
    """A line nested 5,000 deep (RecursionError in the decoder), one nested deeper than the
    limit and a 5,000-digit number (ValueError from int()) are bad-json lines, not crashes."""
    good = write_jsonl(tmp_path / "g.jsonl", sample_records()[:1]).read_bytes()
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(
        good
        + b"[" * 5000 + b"]" * 5000 + b"\n"
        + b'{"title": "deep", "id": ' + b"[" * 100 + b"]" * 100 + b"}\n"
        + b'{"title": "big", "id": ' + b"1" * 5000 + b"}\n"
        + good
    )  # fmt: skip
    docs, problems = _split(list(read_inputs([str(path)])))
    assert len(docs) == 2
    assert [(p.input.rsplit(":", 1)[1], p.code) for p in problems] == [
        ("2", "bad-json"),
        ("3", "bad-json"),
        ("4", "bad-json"),
    ]
    assert "nested deeper" in problems[0].reason and "nested deeper" in problems[1].reason


def test_a_reader_bug_costs_only_its_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception while reading one input (a bug, or a library failing on a
    hostile file) becomes an internal problem for that input; the next input is read."""
    import newsparallax.acquire.formats as formats

    first = write_jsonl(tmp_path / "a.jsonl", sample_records()[:1])
    second = write_jsonl(tmp_path / "b.jsonl", sample_records()[:2])
    record_to_doc = formats._record_to_doc

    def flaky(source: str, raw: bytes) -> Doc | InputProblem:
        if source.startswith(str(first)):
            raise RuntimeError("reader bug")
        return record_to_doc(source, raw)

    monkeypatch.setattr(formats, "_record_to_doc", flaky)
    docs, problems = _split(list(read_inputs([str(first), str(second)])))
    assert len(docs) == 2
    assert [(p.input, p.code) for p in problems] == [(str(first), "internal")]
    assert "RuntimeError: reader bug" in problems[0].reason


class _Stream(io.RawIOBase):
    """A readable stream of ``head`` then ``size`` bytes of ``fill``, made as it is read (a
    large standard input without holding it in the test)."""

    def __init__(self, head: bytes, fill: bytes, size: int) -> None:
        self.data, self.fill, self.left = head, fill, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.data and self.left > 0:
            n = min(self.left, 1 << 20)
            self.data, self.left = (self.fill * (n // len(self.fill) + 1))[:n], self.left - n
        n = min(len(buffer), len(self.data))
        buffer[:n] = self.data[:n]
        self.data = self.data[n:]
        return n


def _gzip_bomb(path: Path, head: bytes, size: int) -> Path:
    """``head`` then ``size`` zero bytes (no newline), gzip-compressed, written in pieces."""
    with gzip.GzipFile(path, "wb") as fh:
        fh.write(head)
        zeros = bytes(1 << 20)
        for _ in range(size >> 20):
            fh.write(zeros)
    return path


def _peak_bytes(read: Callable[[], list[Doc | InputProblem]]) -> tuple[int, list[Any]]:
    tracemalloc.start()
    try:
        items = read()
        return tracemalloc.get_traced_memory()[1], items
    finally:
        tracemalloc.stop()


def test_over_long_json_line_is_refused_and_reading_goes_on(tmp_path: Path) -> None:
    """A line over the page limit is a too-large problem with its line number; the lines
    after it are read (plain, gzip, and through fsspec URLs)."""
    good = write_jsonl(tmp_path / "g.jsonl", sample_records()[:1]).read_bytes()
    data = good + b'{"text": "' + b"0" * 3_000_000 + b'"}\n' + good
    plain = tmp_path / "long.jsonl"
    plain.write_bytes(data)
    gz = tmp_path / "long.jsonl.gz"
    gz.write_bytes(gzip.compress(data))
    memory = f"memory:///parallax-test-{uuid.uuid4().hex}/long.jsonl.gz"
    fsspec.filesystem("memory").pipe(memory.removeprefix("memory://"), gz.read_bytes())
    for source in (str(plain), str(gz), f"file://{gz}", memory):
        docs, problems = _split(list(read_inputs([source], max_bytes=1_000_000)))
        assert len(docs) == 2, source
        assert [(p.input.rsplit(":", 1)[1], p.code) for p in problems] == [("2", "too-large")]
        assert "3.0 MB" in problems[0].reason and "1.0 MB limit" in problems[0].reason
    fsspec.filesystem("memory").rm(memory.removeprefix("memory://"))


def test_json_lines_bomb_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """64 MB of zeros without a newline, gzip-compressed (a bomb named .jsonl.gz), is refused
    line by line without being held: the record before it is kept. Standard input too, plain
    or gzip (it was read whole, and a gzip stream over the limit was refused whole)."""
    good = write_jsonl(tmp_path / "g.jsonl", sample_records()[:1]).read_bytes()
    bomb = _gzip_bomb(tmp_path / "bomb.jsonl.gz", good, 64 << 20)
    plain = _Stream(good + b'{"text": "', b"a", 64 << 20)
    cases: dict[str, Callable[[], list[Doc | InputProblem]]] = {
        str(bomb): lambda: list(read_inputs([str(bomb)], max_bytes=1_000_000)),
        "<stdin>": lambda: list(read_inputs(["-"], stdin=plain, max_bytes=1_000_000)),
        "<stdin> gzip": lambda: list(
            read_inputs(["-"], stdin=io.BytesIO(bomb.read_bytes()), max_bytes=1_000_000)
        ),
    }
    for name, read in cases.items():
        peak, items = _peak_bytes(read)
        docs, problems = _split(items)
        assert peak < 12 << 20, (name, peak)
        assert len(docs) == 1, name
        assert [(p.input.rsplit(":", 1)[1], p.code) for p in problems] == [("2", "too-large")]


def test_records_over_the_page_limit_are_refused(tmp_path: Path) -> None:
    """A record is measured in UTF-8 bytes of its line: 1.2 MB of English, or 600,000
    Cyrillic letters (1.2 MB), is over a 1 MB limit; 900 KB is not."""
    records = [
        {"title": "English", "text": "a" * 1_200_000},
        {"title": "Russian", "text": "я" * 600_000},
        {"title": "Fits", "text": "я" * 450_000},
    ]
    path = write_jsonl(tmp_path / "big.jsonl", records)
    docs, problems = _split(list(read_inputs([str(path)], max_bytes=1_000_000)))
    assert [d.title for d in docs] == ["Fits"]
    assert [(p.input.rsplit(":", 1)[1], p.code) for p in problems] == [
        ("1", "too-large"),
        ("2", "too-large"),
    ]
