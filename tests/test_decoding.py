"""decode_html: size limit, binary sniffing, BOM, declared and detected charsets."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from newsparallax.acquire.decoding import decode_html, looks_binary
from newsparallax.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "html"

RU = (
    "Министр иностранных дел заявил во вторник, что переговоры о поставках зерна продолжатся "
    "на следующей неделе в Женеве. Эксперты считают, что стороны близки к соглашению."
)
RU_SHORT = "Переговоры продолжатся в Женеве."
# windows-1256 has the Arabic yeh (ي), not the Persian one (ی): legacy Persian pages use it
FA = (
    "وزير امور خارجه روز سه‌شنبه گفت که مذاکرات درباره صادرات گندم هفته آينده در ژنو ادامه "
    "خواهد يافت. کارشناسان مي‌گويند طرفين به توافق نزديک هستند."
)
FA_SHORT = "مذاکرات هفته آينده در ژنو ادامه خواهد يافت."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RU, "cp1251"),
        (RU, "koi8_r"),
        (RU_SHORT, "cp1251"),
        (RU_SHORT, "koi8_r"),
        (FA, "cp1256"),
        (FA_SHORT, "cp1256"),
    ],
)
def test_legacy_encodings_without_any_declaration(text: str, encoding: str) -> None:
    html = page(text)
    assert decode_html(html.encode(encoding)) == html


def test_fixture_pages_without_charset() -> None:
    ru = decode_html((FIXTURES / "article_ru_cp1251.html").read_bytes())
    assert "переговоры о поставках зерна продолжатся" in ru
    fa = decode_html((FIXTURES / "article_fa_cp1256.html").read_bytes())
    assert "مذاکرات درباره صادرات گندم" in fa


def test_utf8_and_ascii() -> None:
    assert decode_html(page(RU).encode("utf-8")) == page(RU)
    assert decode_html(b"<html><body>plain</body></html>") == "<html><body>plain</body></html>"
    assert decode_html(b"") == ""


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_bom_wins(bom: bytes, codec: str) -> None:
    html = page(FA)
    # a wrong header charset does not override the byte-order mark
    assert decode_html(bom + html.encode(codec), charset="windows-1251") == html


def test_http_charset_then_meta() -> None:
    html = page(RU)
    assert decode_html(html.encode("koi8_r"), charset="KOI8-R") == html
    with_meta = page(
        RU, head='<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    )
    assert decode_html(with_meta.encode("koi8_r")) == with_meta
    with_meta = page(FA, head='<meta charset="windows-1256">')
    assert decode_html(with_meta.encode("cp1256")) == with_meta


def test_latin1_label_means_windows_1252() -> None:
    html = page("“Quoted” — and café", head='<meta charset="iso-8859-1">')
    assert decode_html(html.encode("cp1252")) == html


def test_wrong_declaration_falls_back_to_detection() -> None:
    # declared UTF-8 but written in windows-1251: UTF-8 does not decode, detection does
    html = page(RU, head='<meta charset="utf-8">')
    assert decode_html(html.encode("cp1251")) == html
    # an unknown label is ignored
    assert decode_html(page(RU).encode("cp1251"), charset="x-no-such-charset") == page(RU)


def test_utf8_page_declared_as_legacy_is_utf8() -> None:
    html = page(RU, head='<meta charset="windows-1252">')
    assert decode_html(html.encode("utf-8")) == html
    assert decode_html(page(RU).encode("utf-8"), charset="iso-8859-1") == page(RU)


def test_utf8_with_a_stray_byte_stays_utf8() -> None:
    data = page(RU).encode("utf-8").replace(b"</p>", b"\xff</p>")
    text = decode_html(data)
    assert RU in text
    assert "\ufffd" in text


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"<html>" + b"\x00\x01\x02\x03" * 200,
    ],
)
def test_binary_is_rejected(data: bytes) -> None:
    assert looks_binary(data)
    with pytest.raises(InputError) as err:
        decode_html(data)
    assert err.value.code == "binary"


def test_text_is_not_binary() -> None:
    assert not looks_binary(page(RU).encode("cp1251"))
    assert not looks_binary(codecs.BOM_UTF16_LE + page(RU).encode("utf-16-le"))
    # a stray NUL in a long page is damage, not a binary file
    assert not looks_binary(page("word " * 2000).encode().replace(b"word", b"\x00", 1))


def test_too_large() -> None:
    with pytest.raises(InputError) as err:
        decode_html(b" " * 50_000_000)
    assert err.value.code == "too-large"
    assert err.value.reason == "page is 50.0 MB, over the 20.0 MB limit"
    with pytest.raises(InputError) as err:
        decode_html(page(RU).encode(), max_bytes=100)
    assert err.value.code == "too-large"


def test_bad_encoding() -> None:
    noise = bytes(range(0x80, 0x100)) * 20
    with pytest.raises(InputError) as err:
        decode_html(noise)
    assert err.value.code == "bad-encoding"
