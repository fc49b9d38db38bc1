"""Log lines stay bounded and free of SQL parameters, whatever a client sends."""

from __future__ import annotations

import json
import logging
import sys

import httpx
import pytest

from assetgraph.logging_setup import MAX_FIELD_CHARS, MAX_TRACEBACK_CHARS, JsonFormatter


def _format(record: logging.LogRecord) -> dict[str, object]:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry: dict[str, object] = json.loads(line)
    return entry


def test_long_fields_and_messages_are_cut_with_their_length() -> None:
    record = logging.makeLogRecord(
        {"msg": "x" * 50_000, "levelname": "INFO", "name": "t", "field": "y" * 5_000_000, "items": ["z"] * 10_000}
    )
    entry = _format(record)
    assert len(json.dumps(entry)) < 3 * 1000 + 2 * MAX_FIELD_CHARS + 500
    assert str(entry["field"]).endswith("... (5000000 characters)")
    assert str(entry["event"]).endswith("... (50000 characters)")


def test_a_traceback_keeps_its_end_and_loses_sql_parameters_and_long_lines() -> None:
    secret = "client-typed " + "q" * 10_000
    try:
        raise RuntimeError(
            "(sqlalchemy.dialects.postgresql.asyncpg.Error) invalid input\n"
            "[SQL: SELECT 1 WHERE x = $1]\n"
            f"[parameters: ('{secret}',)]\n"
            f"also quoted: {secret}"
        )
    except RuntimeError:
        record = logging.makeLogRecord({"msg": "failed", "levelname": "ERROR", "exc_info": sys.exc_info()})
    exc = str(_format(record)["exc"])
    assert "[parameters: not logged]" in exc
    assert "[SQL: SELECT 1 WHERE x = $1]" in exc
    assert secret not in exc
    assert len(exc) <= MAX_TRACEBACK_CHARS + 3
    assert all(len(line) <= MAX_FIELD_CHARS + 30 for line in exc.splitlines())


async def test_a_huge_request_path_makes_a_bounded_log_line(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # when a client asks for a 50,000-character path
    with caplog.at_level(logging.INFO, logger="assetgraph.http"):
        response = await http.get("/" + "a" * 50_000)
    # then it gets a 404, and the request's log line stays short
    assert response.status_code == 404
    (record,) = [r for r in caplog.records if r.name == "assetgraph.http"]
    assert len(JsonFormatter().format(record)) < 1000
