"""Running scenarios: verify each case once, print its plans, race it against its baseline, report."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

import asyncpg

from bench.client import GraphQLRequestError, GraphQLSession, Statement
from bench.explain import explain, statement_tables
from bench.profiling import profile_requests
from bench.report import CaseResult, print_case, print_heading, print_lines
from bench.scenario import Case, Scenario
from bench.seed import BenchUser
from bench.timing import race


@dataclass(frozen=True)
class Options:
    runs: int
    warmup: int
    profile: bool


@dataclass(frozen=True)
class Bench:
    """Everything a case runs against: the app in-process, a plain connection for baselines, the bench user."""

    session: GraphQLSession
    conn: asyncpg.Connection
    user: BenchUser
    options: Options


async def _explain_app_sql(bench: Bench, statements: list[Statement]) -> list[str]:
    """Plans of the app's own statements on assets, run again with the parameters it sent."""
    lines: list[str] = []
    for number, statement in enumerate(statements, start=1):
        name = statement_tables(statement.sql)
        if "assets" in name.split(" ", 1)[1].split(","):
            summary = await explain(bench.conn, f"app statement {number} ({name})", statement.sql, statement.parameters)
            lines.extend(summary.lines())
    return lines


async def _run_case(bench: Bench, scenario: Scenario, case: Case) -> CaseResult:
    with bench.session.recording() as statements:
        data = await bench.session.execute(case.query, case.variables)
    expected = await case.baseline(bench.conn, bench.user)
    differences = case.compare(data, expected)
    plans = await _explain_app_sql(bench, statements) if case.explain_app_sql else []

    async def figure() -> Any:
        return await bench.session.execute(case.query, case.variables)

    async def baseline() -> Any:
        return await case.baseline(bench.conn, bench.user)

    timings = await race(figure, baseline, warmup=bench.options.warmup, runs=bench.options.runs)
    return CaseResult(
        scenario=scenario.name,
        case=case.label,
        figure=timings[0],
        baseline=timings[1],
        statements=[statement_tables(s.sql) for s in statements],
        differences=differences,
        plans=plans,
        profile=await profile_requests(figure) if bench.options.profile else [],
    )


async def _guarded_case(bench: Bench, scenario: Scenario, case: Case) -> CaseResult:
    # A case that cannot run (a field not there yet, a failing baseline) is reported, never fatal.
    try:
        return await _run_case(bench, scenario, case)
    except (GraphQLRequestError, asyncpg.PostgresError) as exc:
        return CaseResult(scenario.name, case.label, skipped=f"{type(exc).__name__}: {exc}"[:600])
    except Exception as exc:
        traceback.print_exc()
        return CaseResult(scenario.name, case.label, skipped=f"bench error {type(exc).__name__}: {exc}"[:600])


async def run_scenario(bench: Bench, scenario: Scenario) -> list[CaseResult]:
    print_heading(f"{scenario.name}: {scenario.description}")
    for target in scenario.explains:
        try:
            summary = await explain(bench.conn, target.label, target.sql, target.arguments(bench.user))
            print_lines(summary.lines())
        except asyncpg.PostgresError as exc:
            print_lines([f"EXPLAIN {target.label}: not available ({type(exc).__name__}: {exc})"])
    results: list[CaseResult] = []
    for case in scenario.cases:
        result = await _guarded_case(bench, scenario, case)
        print_case(result)
        results.append(result)
    return results
