"""Hostile request bodies in-process (issue 15, D4): a body over the limit is refused before it
is read (declared) or as soon as it goes over (streamed), and a write without the right token
is refused before its body is read."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import AUTH, LOCAL, TOKEN, build_store

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("guards"))


@pytest.fixture(scope="module")
def app(db: Path) -> FastAPI:
    return create_app(db, load_watch("iran-russia"), TOKEN)


class Sent:
    """What one request through the raw ASGI app gave: status, headers and body, and how
    many body bytes the app asked ``receive`` for."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.read = 0

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"])

    @property
    def headers(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.messages[0].get("headers", [])}

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])


def asgi_request(
    app: FastAPI,
    method: str,
    path: str,
    headers: dict[str, str],
    chunks: Iterator[bytes],
    *,
    server: tuple[str, int] = ("127.0.0.1", 8000),
) -> Sent:
    """One request straight through the ASGI app with its body in ``chunks`` (a stream, as a
    chunked upload arrives), counting what the app reads."""
    sent = Sent()
    pending = iter(chunks)
    raw_headers = [(k.lower().encode(), v.encode("latin-1")) for k, v in headers.items()]
    if not any(k == b"host" for k, _ in raw_headers):
        raw_headers.append((b"host", f"{server[0]}:{server[1]}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw_headers,
        "client": LOCAL,
        "server": server,
        "state": {},
    }

    async def receive() -> Message:
        body = next(pending, None)
        if body is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent.read += len(body)
        return {"type": "http.request", "body": body, "more_body": True}

    async def send(message: Message) -> None:
        sent.messages.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def flood(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """``total`` bytes of a JSON string in ``size`` pieces, made as they are asked for."""
    yield b'{"id": "'
    for _ in range(total // size):
        yield b"x" * size


def test_a_declared_body_over_the_limit_is_413_before_it_is_read(app: FastAPI) -> None:
    headers = {**AUTH, "content-type": "application/json", "content-length": str(200 * MIB)}
    sent = asgi_request(app, "POST", "/api/v1/outlets", headers, flood(200 * MIB))
    assert sent.status == 413 and sent.read == 0
    assert "PARALLAX_MAX_REQUEST_BYTES" in json.loads(sent.body)["detail"]
    assert sent.headers["connection"] == "close"
    assert sent.headers["content-security-policy"] == CSP
    # pages too (a read route: the limit is for every request)
    sent = asgi_request(app, "GET", "/", {"content-length": str(2 * MIB)}, flood(2 * MIB))
    assert sent.status == 413 and sent.read == 0


def test_a_streamed_body_is_cut_off_once_over_the_limit(app: FastAPI) -> None:
    headers = {**AUTH, "content-type": "application/json", "transfer-encoding": "chunked"}
    sent = asgi_request(app, "POST", "/api/v1/outlets", headers, flood(200 * MIB))
    assert sent.status == 413, sent.body
    assert MIB < sent.read <= MIB + 64 * 1024 + 8  # not one piece more than needed
    assert "PARALLAX_MAX_REQUEST_BYTES" in json.loads(sent.body)["detail"]
    assert sent.headers["connection"] == "close"


def test_the_limit_is_a_setting(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_MAX_REQUEST_BYTES", "100")
    small = create_app(db, load_watch("iran-russia"), TOKEN)
    body = json.dumps({"id": "example.org", "name": "Example " + "x" * 100}).encode()
    headers = {**AUTH, "content-type": "application/json", "content-length": str(len(body))}
    assert asgi_request(small, "POST", "/api/v1/outlets", headers, iter([body])).status == 413
    with pytest.raises(ValueError, match="max_request_bytes"):
        create_app(db, load_watch("iran-russia"), TOKEN, max_request_bytes=0)


def test_a_body_within_the_limit_still_reaches_the_endpoint(app: FastAPI) -> None:
    body = json.dumps({"url": "javascript:alert(1)"}).encode()  # refused by the endpoint
    headers = {**AUTH, "content-type": "application/json", "content-length": str(len(body))}
    sent = asgi_request(app, "POST", "/api/v1/feeds", headers, iter([body]))
    assert sent.status == 422 and sent.read == len(body)


@pytest.mark.parametrize("length", ["lots", "-1", "\u00b2", "1 2"])
def test_a_bad_content_length_is_400(app: FastAPI, length: str) -> None:
    headers = {**AUTH, "content-type": "application/json", "content-length": length}
    sent = asgi_request(app, "POST", "/api/v1/outlets", headers, flood(MIB))
    assert sent.status == 400 and sent.read == 0


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"authorization": "Bearer wrong"}, 401),
        ({"authorization": f"Basic {TOKEN}"}, 401),
    ],
)
def test_unauthenticated_writes_are_refused_before_the_body_is_read(
    app: FastAPI, headers: dict[str, str], status: int
) -> None:
    for path in ("/api/v1/outlets", "/api/v1/feeds", "/api/v1/monitor/cycles"):
        chunked = {**headers, "content-type": "application/json", "transfer-encoding": "chunked"}
        sent = asgi_request(app, "POST", path, chunked, flood(200 * MIB))
        assert (sent.status, sent.read) == (status, 0), (path, sent.body)
        assert sent.headers["www-authenticate"] == "Bearer"
        assert "token" in json.loads(sent.body)["detail"]
    sent = asgi_request(app, "POST", "/api/v1/alerts/1/ack", {**headers}, flood(MIB))
    assert (sent.status, sent.read) == (status, 0)


def test_writes_without_a_configured_token_are_403_before_the_body_is_read(db: Path) -> None:
    no_token = create_app(db, load_watch("iran-russia"), None)
    headers = {**AUTH, "content-type": "application/json", "transfer-encoding": "chunked"}
    sent = asgi_request(no_token, "POST", "/api/v1/outlets", headers, flood(200 * MIB))
    assert (sent.status, sent.read) == (403, 0)
    assert "PARALLAX_API_TOKEN" in json.loads(sent.body)["detail"]


def test_other_methods_and_routes_keep_their_answers(app: FastAPI) -> None:
    with TestClient(app, client=LOCAL) as c:
        assert c.delete("/api/v1/articles").status_code == 405
        assert c.post("/api/v1/nothing-here").status_code == 404
        assert c.post("/api/v1/feeds", json={"url": "x"}, headers=AUTH).status_code == 422
