"""WARC reading: HTML responses become docs; a broken archive keeps what came before."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsparallax.errors import InputProblem
from newsparallax.pipeline import Doc
from newsparallax.readers import read_inputs

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
