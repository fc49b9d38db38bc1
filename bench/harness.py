"""What a scenario is, and running one: check each case once, EXPLAIN, race it against its baseline, print.

A scenario is GraphQL requests, each raced against a hand-written baseline that returns the same answer by the
shortest path to the database. Adding one is a module under bench/scenarios/ registered in `bench.scenarios`.
"""

from __future__ import annotations

import cProfile
import json
import math
import pstats
import re
import statistics
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from bench.client import GraphQLRequestError, GraphQLSession

Call = Callable[[], Awaitable[Any]]
Baseline = Callable[[asyncpg.Connection, int], Awaitable[Any]]
"""The floor for a case: the same answer, as Python objects, by the shortest path (connection, bench user id)."""
Compare = Callable[[dict[str, Any], Any], list[str]]
"""(GraphQL `data`, baseline result) -> what differs, in words; empty when they agree."""
SummaryRow = tuple[str, str]
"""A case's title and its cells in the summary table."""

_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+([a-z_][a-z0-9_.]*)", re.IGNORECASE)
_CTE = re.compile(r"(?:\bWITH|,)\s*([a-z_][a-z0-9_]*)\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s*)?\(", re.IGNORECASE)
# Where a profiled function's file lives says its library: ours first, then installed packages, then stdlib.
_OWNERS = tuple(map(re.compile, (r"/(assetgraph|bench)/", r"site-packages/(\w+)", r"lib/python3\.\d+/(\w+)")))


@dataclass(frozen=True)
class Case:
    """One GraphQL request and its baseline, timed against each other; the app's statements on assets are EXPLAINed."""

    label: str
    query: str
    variables: Mapping[str, Any]
    baseline: Baseline
    compare: Compare
    decode_timed: bool = True
    """Whether the timed GraphQL runs include the client's JSON decode of the response. False for a case whose
    baseline decodes no JSON (rows from asyncpg), so that both sides stop at the answer as received; the response
    is still decoded and checked against the baseline once, before the timing."""


@dataclass(frozen=True)
class Explain:
    """A hand-written statement whose plan the scenario prints; `arguments` are built from the bench user id."""

    label: str
    sql: str
    arguments: Callable[[int], Sequence[Any]] = lambda user_id: (user_id,)


Prepare = Callable[[asyncpg.Connection, int], Awaitable[tuple[tuple[Case, ...], tuple[Explain, ...]]]]
"""Cases and plans built from the seeded library when the scenario runs (connection, bench user id)."""


Extra = Callable[["Bench"], Awaitable[list["SummaryRow"]]]
"""Figures a scenario measures its own way after its cases (printing them as it goes), with their summary rows."""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    cases: tuple[Case, ...] = ()
    explains: tuple[Explain, ...] = ()
    prepare: Prepare | None = None  # more cases and plans, for those whose input is read from the library
    extra: Extra | None = None


@dataclass(frozen=True)
class Bench:
    """Everything a case runs against: the app in-process, a plain connection for baselines, the bench user."""

    session: GraphQLSession
    conn: asyncpg.Connection
    user_id: int
    runs: int
    warmup: int
    profile: bool


def _print_lines(lines: Sequence[str]) -> None:
    for line in lines:
        print(f"  {line}")
    print(end="", flush=True)


def statement_name(sql: str) -> str:
    """A short name for a statement: its verb and the tables it names, e.g. 'SELECT assets'."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
    ctes = {name.lower() for name in _CTE.findall(sql)}
    tables = dict.fromkeys(name.lower() for name in _TABLE.findall(sql) if name.lower() not in ctes)
    return f"{verb} {','.join(tables) or '-'}"


def _plan_nodes(node: dict[str, Any], depth: int, out: list[str]) -> bool:
    """Appends one line per plan node to `out`; True when some node reads the assets table whole."""
    text = node["Node Type"] + (" Backward" if node.get("Scan Direction") == "Backward" else "")
    text += f" on {node['Relation Name']}" if "Relation Name" in node else ""
    text += f" using {node['Index Name']}" if "Index Name" in node else ""
    rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    out.append(f"{'  ' * depth}{text} (rows={rows:g}, {node.get('Actual Total Time', 0.0):.2f} ms)")
    seq_scan = node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "assets"
    for child in node.get("Plans", ()):
        seq_scan = _plan_nodes(child, depth + 1, out) or seq_scan
    return seq_scan


async def explain(conn: asyncpg.Connection, label: str, sql: str, arguments: Sequence[Any]) -> list[str]:
    """A summary of `EXPLAIN (ANALYZE, BUFFERS)`: one line per plan node, and whether assets is read whole."""
    plan = json.loads(await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *arguments))[0]
    nodes: list[str] = []
    seq_scan = _plan_nodes(plan["Plan"], 0, nodes)
    hit, read = plan["Plan"].get("Shared Hit Blocks", 0), plan["Plan"].get("Shared Read Blocks", 0)
    return [
        f"EXPLAIN {label}: {plan.get('Execution Time', 0.0):.2f} ms, buffers hit={hit} read={read}",
        *(f"    {node}" for node in nodes),
        f"    Seq Scan on assets: {'YES, the whole table is read' if seq_scan else 'no'}",
    ]


async def explain_prepared(conn: asyncpg.Connection, label: str, sql: str, arguments: Sequence[Any]) -> list[str]:
    """`explain` of the statement's 6th execution as a prepared statement, as the app's driver runs it: PostgreSQL
    plans the first five for their values, then may switch to a generic plan made without them."""
    literals = []
    for kind, value in zip((await conn.prepare(sql)).get_parameters(), arguments, strict=True):
        name = f"{kind.schema}.{kind.name}"  # EXECUTE takes its arguments as SQL text, not as bound values
        literals.append(f"{await conn.fetchval(f'SELECT quote_nullable($1::{name}::text)', value)}::{name}")
    execute = f"EXECUTE bench_statement({', '.join(literals)})" if literals else "EXECUTE bench_statement"
    await conn.execute(f"PREPARE bench_statement AS {sql}")
    try:
        for _ in range(5):
            await conn.execute(execute)
        return await explain(conn, label, execute, ())
    finally:
        await conn.execute("DEALLOCATE bench_statement")


def _median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    # Nearest-rank p95: an observed sample, never an interpolation.
    return statistics.median(ordered), ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


async def race(figure: Call, baseline: Call, *, warmup: int, runs: int) -> tuple[float, float, float, float]:
    """Median and p95 of both sides (ms); runs alternate so that drift (caches, CPU, other load) hits both alike."""
    for _ in range(warmup):
        await figure()
        await baseline()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for call, elapsed in zip((figure, baseline), samples, strict=True):
            started = time.perf_counter()
            await call()
            elapsed.append((time.perf_counter() - started) * 1000)
    return *_median_p95(samples[0]), *_median_p95(samples[1])


def _owner(filename: str) -> str:
    """The library a profiled function belongs to: 'strawberry', 'sqlalchemy', 'assetgraph', 'builtins', ..."""
    found = next((match for pattern in _OWNERS if (match := pattern.search(filename))), None)
    return found.group(1) if found else "builtins" if filename == "~" else filename


async def profile(call: Call, requests: int = 20) -> list[str]:
    """cProfile of `requests` calls: own time by library, then the slowest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        await call()
    profiler.disable()
    by_owner: Counter[str] = Counter()
    functions: list[tuple[float, str]] = []
    for (filename, line, name), (_, _, own, _, _) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        by_owner[_owner(filename)] += own
        functions.append((own, f"{_owner(filename)}:{name} ({filename.rsplit('/', 1)[-1]}:{line})"))
    total = sum(by_owner.values()) or 1.0
    return [
        f"profile of {requests} GraphQL requests (cProfile, own time by library; cProfile inflates Python):",
        *(f"    {owner:<24} {seconds / total:6.1%}" for owner, seconds in by_owner.most_common(10)),
        "  slowest functions (own time):",
        *(f"    {own * 1000 / requests:7.2f} ms/request  {what}" for own, what in sorted(functions)[-12:][::-1]),
    ]


async def _run_case(bench: Bench, case: Case) -> str:
    """Checks, EXPLAINs, races and prints one case; returns its summary cells."""
    with bench.session.recording() as statements:
        data = await bench.session.execute(case.query, case.variables)
    differences = case.compare(data, await case.baseline(bench.conn, bench.user_id))
    names = [statement_name(sql) for sql, _ in statements]
    plans: list[str] = []
    for number, (name, (sql, parameters)) in enumerate(zip(names, statements, strict=True), start=1):
        if "assets" in name.split(" ", 1)[1].split(","):  # the plans that matter: the app's reads of assets
            label = f"app statement {number} ({name}), 6th run as prepared"
            plans += await explain_prepared(bench.conn, label, sql, parameters)

    async def figure() -> Any:
        if case.decode_timed:
            return await bench.session.execute(case.query, case.variables)
        return await bench.session.execute_undecoded(case.query, case.variables)

    async def baseline() -> Any:
        return await case.baseline(bench.conn, bench.user_id)

    times = await race(figure, baseline, warmup=bench.warmup, runs=bench.runs)
    ratio = times[0] / times[2] if times[2] > 0 else math.nan
    check = ["check: GraphQL and baseline agree"]
    if differences:
        check = ["WARNING: GraphQL and baseline answers differ:", *(f"    {d}" for d in differences)]
    figures = [
        f"GraphQL   median {times[0]:8.2f} ms   p95 {times[1]:8.2f} ms   ({bench.runs} runs)",
        f"baseline  median {times[2]:8.2f} ms   p95 {times[3]:8.2f} ms",
        f"ratio     {ratio:.2f} (GraphQL median / baseline median)",
        f"SQL statements per GraphQL request: {len(names)}  [{'; '.join(names)}]",
    ]
    _print_lines(figures + check + plans + (await profile(figure) if bench.profile else []))
    cells = f"{times[0]:>11.2f} {times[1]:>8.2f}  {times[2]:>12.2f} {times[3]:>8.2f}  {ratio:>6.2f}  {len(names):>3}"
    return cells + ("  (answers differ)" if differences else "")


async def _guarded_case(bench: Bench, case: Case) -> str:
    # A case that cannot run (a field not there yet, a failing baseline) is reported, never fatal.
    try:
        return await _run_case(bench, case)
    except (GraphQLRequestError, asyncpg.PostgresError) as exc:
        skipped = f"{type(exc).__name__}: {exc}"[:600]
    except Exception as exc:
        traceback.print_exc()
        skipped = f"bench error {type(exc).__name__}: {exc}"[:600]
    _print_lines([f"SKIPPED: {skipped}"])
    return f"skipped: {skipped}"


async def run_scenario(bench: Bench, scenario: Scenario) -> list[SummaryRow]:
    """Prints the scenario's plans, then each case's block as it finishes; returns the summary rows."""
    print(f"\n== {scenario.name}: {scenario.description} ==", flush=True)
    cases, explains = scenario.cases, scenario.explains
    if scenario.prepare is not None:
        prepared = await scenario.prepare(bench.conn, bench.user_id)
        cases, explains = cases + prepared[0], explains + prepared[1]
    for target in explains:
        try:
            _print_lines(await explain(bench.conn, target.label, target.sql, target.arguments(bench.user_id)))
        except asyncpg.PostgresError as exc:
            _print_lines([f"EXPLAIN {target.label}: not available ({type(exc).__name__}: {exc})"])
    rows: list[SummaryRow] = []
    for case in cases:
        title = f"{scenario.name}: {case.label}"
        print(f"\n-- {title}", flush=True)
        rows.append((title, await _guarded_case(bench, case)))
    if scenario.extra is not None:
        rows += await scenario.extra(bench)
    return rows


def print_summary(rows: list[SummaryRow]) -> None:
    print("\n== summary (ms; ratio = GraphQL median / baseline median) ==")
    width = max([len(title) for title, _ in rows] + [20])
    columns = f"{'GraphQL med':>11} {'p95':>8}  {'baseline med':>12} {'p95':>8}  {'ratio':>6}  {'SQL':>3}"
    _print_lines([f"{'case':<{width}}  {columns}", *(f"{title:<{width}}  {cells}" for title, cells in rows)])
