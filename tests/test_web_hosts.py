"""The Host header in-process (issue 15): a page whose DNS rebinds to this server's address
cannot read it, because the Host it sends names another server (400)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import LOCAL, TOKEN, build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("hosts"))


@pytest.fixture(scope="module")
def app(db: Path) -> FastAPI:
    return create_app(db, load_watch("iran-russia"), TOKEN)


LOOPBACK_HOSTS = [
    "127.0.0.1:8000",
    "127.0.0.1",
    "127.1.2.3:9999",
    "localhost",
    "localhost:8000",
    "LOCALHOST:1",
    "dash.localhost:8000",
    "[::1]:8000",
    "[::1]",
]
FOREIGN_HOSTS = [
    "rebind.example",
    "rebind.example:8000",
    "127.0.0.1.rebind.example",
    "localhost.rebind.example",
    "192.0.2.10:8000",
    "[::2]:8000",
]
MALFORMED_HOSTS = ["", "a b", "[::1", "exa_mple.org:80:80", "evil.example/x"]


@pytest.fixture(scope="module")
def local(app: FastAPI) -> Iterator[TestClient]:
    """A client of a server listening on 127.0.0.1:8000."""
    with TestClient(app, client=LOCAL, base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.mark.parametrize("host", LOOPBACK_HOSTS)
def test_a_loopback_server_answers_to_localhost_names(local: TestClient, host: str) -> None:
    assert local.get("/api/v1/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", FOREIGN_HOSTS + MALFORMED_HOSTS)
def test_a_loopback_server_refuses_other_hosts(local: TestClient, host: str) -> None:
    r = local.get("/api/v1/health", headers={"Host": host})
    assert r.status_code == 400
    assert "PARALLAX_ALLOWED_HOSTS" in r.json()["detail"]
    assert r.headers["content-security-policy"] == CSP
    page = local.get("/", headers={"Host": host})
    assert page.status_code == 400 and "Host" in page.text
    assert "<script" not in page.text
    # writes too, before the token is looked at
    r = local.post("/api/v1/feeds", json={"url": "https://a.example/rss"}, headers={"Host": host})
    assert r.status_code == 400


def test_allowed_hosts_setting(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_ALLOWED_HOSTS", "dash.example, *.corp.example ,[2001:db8::1]")
    app = create_app(db, load_watch("iran-russia"), None)
    with TestClient(app, client=LOCAL, base_url="http://127.0.0.1:8000") as c:
        for host in (
            "dash.example:8000",
            "DASH.example",
            "a.corp.example",
            "b.a.corp.example",
            "[2001:db8::1]:8000",
        ):
            assert c.get("/api/v1/health", headers={"Host": host}).status_code == 200, host
        for host in ("corp.example", "xcorp.example", "dash.example.evil", "rebind.example"):
            assert c.get("/api/v1/health", headers={"Host": host}).status_code == 400, host
        assert c.get("/api/v1/health", headers={"Host": "localhost"}).status_code == 200
    everyone = create_app(db, load_watch("iran-russia"), None, allowed_hosts=["*"])
    with TestClient(everyone, client=LOCAL, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/v1/health", headers={"Host": "rebind.example"}).status_code == 200
    with pytest.raises(ValueError, match="allowed host"):
        create_app(db, load_watch("iran-russia"), None, allowed_hosts=["a.*.example"])


@pytest.mark.parametrize("server", ["192.0.2.10", "[2001:db8::10]", "[::ffff:192.0.2.10]"])
def test_a_server_on_another_address_answers_to_that_address(db: Path, server: str) -> None:
    """Listening on all addresses (0.0.0.0), a request names the address it came to."""
    app = create_app(db, load_watch("iran-russia"), None)
    with TestClient(app, client=LOCAL, base_url=f"http://{server}:8000") as c:
        assert c.get("/api/v1/health").status_code == 200
        assert c.get("/api/v1/health", headers={"Host": "localhost:8000"}).status_code == 200
        r = c.get("/api/v1/health", headers={"Host": "rebind.example:8000"})
        assert r.status_code == 400
    if server.startswith("[::ffff:"):  # an IPv4 client of a dual-stack socket
        with TestClient(app, client=LOCAL, base_url=f"http://{server}:8000") as c:
            r = c.get("/api/v1/health", headers={"Host": "192.0.2.10:8000"})
            assert r.status_code == 200


def test_serve_option_and_bound_name(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``parallax serve --allowed-hosts`` adds names, and a name given to ``--host`` is one."""
    import uvicorn
    from click.testing import CliRunner

    from newsparallax.cli.main import main

    served: list[FastAPI] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(app))
    monkeypatch.delenv("PARALLAX_ALLOWED_HOSTS", raising=False)
    args = ["serve", "--db", str(db), "--host", "dash.lan", "--allowed-hosts", "a.example,b.lan"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with TestClient(served[0], client=LOCAL, base_url="http://192.0.2.10:8000") as c:
        for host in ("dash.lan:8000", "a.example", "b.lan", "localhost", "192.0.2.10:8000"):
            assert c.get("/api/v1/health", headers={"Host": host}).status_code == 200, host
        assert c.get("/api/v1/health", headers={"Host": "evil.lan"}).status_code == 400
    bad = CliRunner().invoke(main, [*args[:5], "--allowed-hosts", "a.*.example"])
    assert bad.exit_code != 0 and "allowed host" in bad.output
