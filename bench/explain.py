"""One-line-per-node summaries of `EXPLAIN (ANALYZE, BUFFERS)`, and whether the assets table is scanned whole."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+([a-z_][a-z0-9_.]*)", re.IGNORECASE)
_CTE = re.compile(r"(?:\bWITH|,)\s*([a-z_][a-z0-9_]*)\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s*)?\(", re.IGNORECASE)


@dataclass(frozen=True)
class PlanSummary:
    label: str
    nodes: list[str]
    seq_scan_on_assets: bool
    execution_ms: float
    shared_hit: int
    shared_read: int

    def lines(self) -> list[str]:
        verdict = "YES, the whole table is read" if self.seq_scan_on_assets else "no"
        return [
            f"EXPLAIN {self.label}: {self.execution_ms:.2f} ms, buffers hit={self.shared_hit} read={self.shared_read}",
            *(f"    {node}" for node in self.nodes),
            f"    Seq Scan on assets: {verdict}",
        ]


def _node_line(node: dict[str, Any], depth: int) -> str:
    text = node["Node Type"]
    if node.get("Scan Direction") == "Backward":
        text += " Backward"
    if "Relation Name" in node:
        text += f" on {node['Relation Name']}"
    if "Index Name" in node:
        text += f" using {node['Index Name']}"
    rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    return f"{'  ' * depth}{text} (rows={rows:g}, {node.get('Actual Total Time', 0.0):.2f} ms)"


def _walk(node: dict[str, Any], depth: int, out: list[str]) -> bool:
    out.append(_node_line(node, depth))
    seq_scan = node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "assets"
    for child in node.get("Plans", ()):
        seq_scan = _walk(child, depth + 1, out) or seq_scan
    return seq_scan


async def explain(conn: asyncpg.Connection, label: str, sql: str, arguments: Sequence[Any]) -> PlanSummary:
    raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *arguments)
    document = json.loads(raw) if isinstance(raw, str) else raw
    plan = document[0]
    nodes: list[str] = []
    seq_scan = _walk(plan["Plan"], 0, nodes)
    return PlanSummary(
        label=label,
        nodes=nodes,
        seq_scan_on_assets=seq_scan,
        execution_ms=float(plan.get("Execution Time", 0.0)),
        shared_hit=int(plan["Plan"].get("Shared Hit Blocks", 0)),
        shared_read=int(plan["Plan"].get("Shared Read Blocks", 0)),
    )


def statement_tables(sql: str) -> str:
    """A short name for a statement: its verb and the tables it names, e.g. 'SELECT assets'."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
    ctes = {name.lower() for name in _CTE.findall(sql)}
    tables = dict.fromkeys(name.lower() for name in _TABLE.findall(sql) if name.lower() not in ctes)
    return f"{verb} {','.join(tables) or '-'}"
