"""The API fuzzed from its own OpenAPI schema (schemathesis): no input gives a server error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from newsparallax.watches import load_watch  # noqa: E402
from newsparallax.web import create_app  # noqa: E402
from web_support import TOKEN, add_insight, build_store  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = build_store(tmp_path_factory.mktemp("fuzz"))
    add_insight(db)
    # reads open to any client (the generated requests do not come from loopback); writes
    # still need the token, which the cases do not carry
    app = create_app(db, load_watch("iran-russia"), token=TOKEN, read_access="open")
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_input_gives_a_server_error(api_schema: Any) -> None:
    """Cases generated from every operation of the schema (paths, queries, bodies)."""
    from hypothesis import given
    from hypothesis import strategies as st

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18
    seen: set[str] = set()

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(data=st.data())
    def run(data: Any) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        response = case.call()
        seen.add(f"{case.method} {operation.path} {response.status_code}")
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])

    run()
    ok = {entry.rsplit(" ", 1)[0] for entry in seen if entry.endswith(" 200")}
    assert len(ok) >= 8, sorted(seen)  # real answers from most operations, not only refusals


def test_fuzzing_reaches_the_write_endpoints_unauthorised(tmp_path: Path) -> None:
    """Writes without the token are refused, whatever the body (401), never a 5xx."""
    from fastapi.testclient import TestClient

    db = build_store(tmp_path)
    app = create_app(db, load_watch("iran-russia"), token=TOKEN)
    with TestClient(app) as client:
        for body in ({}, {"url": "javascript:alert(1)"}, {"id": "<script>"}, [1, 2]):
            for path in ("/api/v1/outlets", "/api/v1/feeds", "/api/v1/monitor/cycles"):
                assert client.post(path, json=body).status_code == 401
