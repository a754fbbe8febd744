"""WARC reading: HTML responses become docs; a broken archive keeps what came before."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsparallax.acquire.readers import read_inputs
from newsparallax.annotate.pipeline import Doc
from newsparallax.errors import InputProblem

PAGE = (
    "<html><head><title>Визит в Тегеран</title><meta charset='windows-1251'></head><body>"
    "<article><h1>Визит в Тегеран</h1><p>Министр обороны России прибыл в Тегеран для переговоров "
    "о военном сотрудничестве и поставках техники.</p></article></body></html>"
)


def make_warc(path: Path, *, n: int = 3, gz: bool = True) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for i in range(n):
            body = PAGE.encode("cp1251")
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=windows-1251")],
                protocol="HTTP/1.1",
            )
            rec = writer.create_warc_record(
                f"https://example.ru/news/{i}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
            )
            writer.write_record(rec)
        img = writer.create_warc_record(
            "https://example.ru/logo.png",
            "response",
            payload=io.BytesIO(b"\x89PNG...."),
            http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
            ),
        )
        writer.write_record(img)
    return path


def test_warc_records_become_docs(tmp_path: Path) -> None:
    for gz in (True, False):
        path = make_warc(tmp_path / f"a.warc{'.gz' if gz else ''}", gz=gz)
        items = list(read_inputs([str(path)]))
        docs = [i for i in items if isinstance(i, Doc)]
        assert len(docs) == 3 and len(items) == 3  # the PNG is skipped
        assert docs[0].url == "https://example.ru/news/0"
        assert docs[0].meta["charset"] == "windows-1251"
        assert docs[0].meta["fetched"]
        assert "#" in docs[0].source


def test_truncated_warc_keeps_earlier_records(tmp_path: Path) -> None:
    path = make_warc(tmp_path / "a.warc.gz", n=6)
    data = path.read_bytes()
    offsets = [
        int(d.source.rsplit("#", 1)[1]) for d in read_inputs([str(path)]) if isinstance(d, Doc)
    ]
    cut = tmp_path / "cut.warc.gz"
    for fraction in (0.3, 0.5, 0.8):  # inside the 5th record's gzip member
        cut.write_bytes(data[: offsets[4] + int((offsets[5] - offsets[4]) * fraction)])
        items = list(read_inputs([str(cut)]))
        docs = [i for i in items if isinstance(i, Doc)]
        problems = [i for i in items if isinstance(i, InputProblem)]
        assert len(docs) == 4, fraction
        assert len(problems) == 1 and problems[0].code == "bad-warc"


def test_corrupt_warc_record(tmp_path: Path) -> None:
    path = make_warc(tmp_path / "a.warc", n=2, gz=False)
    data = path.read_bytes()
    second = data.index(b"WARC/1", 10)
    broken = tmp_path / "broken.warc"
    broken.write_bytes(data[:second] + b"GARBAGE\r\n\r\n" + data[second + 40 :])
    items = list(read_inputs([str(broken)]))
    assert sum(isinstance(i, Doc) for i in items) == 1
    assert [i.code for i in items if isinstance(i, InputProblem)] == ["bad-warc"]


def _offsets(path: Path) -> list[int]:
    return [int(d.source.rsplit("#", 1)[1]) for d in read_inputs([str(path)]) if isinstance(d, Doc)]


class _Pipe(io.RawIOBase):
    """Bytes read like a pipe: no seeking back."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._data.readinto(buffer)


@pytest.mark.parametrize("damaged", [0, 2, 3])
@pytest.mark.parametrize("where", ["deflate", "trailer"])
def test_corrupt_gzip_member_costs_only_its_record(
    tmp_path: Path, damaged: int, where: str
) -> None:
    """WARC.gz is one gzip member per record: a damaged member is a bad-warc problem and
    reading resumes at the next member (5 records, one damaged: 4 kept; all the later records
    used to be lost). From a file, or a pipe (standard input), which cannot seek back."""
    path = make_warc(tmp_path / "a.warc.gz", n=5)
    data = bytearray(path.read_bytes())
    offsets = _offsets(path)
    at = offsets[damaged] + 60 if where == "deflate" else offsets[damaged + 1] - 4
    data[at : at + 4] = b"\x00\xff\x00\xff"  # the trailer: the inflated size
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(bytes(data))
    for name, items in (
        (str(broken), list(read_inputs([str(broken)]))),
        ("<stdin>", list(read_inputs(["-"], stdin=_Pipe(bytes(data))))),  # type: ignore[arg-type]
    ):
        docs = [i for i in items if isinstance(i, Doc)]
        problems = [i for i in items if isinstance(i, InputProblem)]
        if name == "<stdin>" and damaged == 0:  # no name to tell a WARC whose start is damaged
            assert [p.code for p in problems] == ["binary"] and not docs
            continue
        assert [d.url for d in docs] == [
            f"https://example.ru/news/{i}" for i in range(5) if i != damaged
        ]
        assert [d.source for d in docs] == [
            f"{name}#{o}" for i, o in enumerate(offsets) if i != damaged
        ]
        assert [(p.input, p.code) for p in problems] == [(f"{name}#{offsets[damaged]}", "bad-warc")]
        assert f"next record at {offsets[damaged + 1]}" in problems[0].reason


def test_record_over_the_limit_is_too_large_and_reading_goes_on(tmp_path: Path) -> None:
    """A WARC.gz member is inflated only up to the page limit (plus room for headers): a larger
    record is too-large, and the records after it are read."""
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, size in enumerate((10, 3_000_000, 10)):
            body = b"<html><body><p>" + b"word " * size + b"</p></body></html>"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://example.ru/{i}", "response", payload=io.BytesIO(body),
                    http_headers=headers,
                )
            )  # fmt: skip
    items = list(read_inputs([str(path)], max_bytes=1_000_000))
    assert [i.url for i in items if isinstance(i, Doc)] == [
        "https://example.ru/0",
        "https://example.ru/2",
    ]
    assert [i.code for i in items if isinstance(i, InputProblem)] == ["too-large"]


def test_member_that_runs_to_the_end_of_the_file_is_skipped(tmp_path: Path) -> None:
    """A damaged member whose deflate data claims more bytes than the file holds (a stored
    block of 65,535 bytes) swallows the members after it and ends with the file; reading
    resumes at the next member all the same."""
    path = make_warc(tmp_path / "a.warc.gz", n=4)
    data = path.read_bytes()
    offsets = _offsets(path)
    bogus = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"\x00\xff\xff\x00\x00" + b"x" * 100
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: offsets[2]] + bogus + data[offsets[2] :])
    items = list(read_inputs([str(broken)]))
    assert [i.url for i in items if isinstance(i, Doc)] == [
        f"https://example.ru/news/{i}" for i in range(4)
    ]
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert [(p.input, p.code) for p in problems] == [(f"{broken}#{offsets[2]}", "bad-warc")]
    assert f"next record at {offsets[2] + len(bogus)}" in problems[0].reason
