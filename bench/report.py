"""Printing: one block per case as it finishes, and a summary table at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.timing import Timing


@dataclass(frozen=True)
class CaseResult:
    scenario: str
    case: str
    figure: Timing | None = None
    baseline: Timing | None = None
    statements: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.figure is None or self.baseline is None or self.baseline.median_ms <= 0:
            return None
        return self.figure.median_ms / self.baseline.median_ms

    @property
    def title(self) -> str:
        return f"{self.scenario}: {self.case}"


def _timing(timing: Timing) -> str:
    return f"median {timing.median_ms:8.2f} ms   p95 {timing.p95_ms:8.2f} ms"


def print_heading(text: str) -> None:
    print(f"\n== {text} ==", flush=True)


def print_lines(lines: list[str]) -> None:
    for line in lines:
        print(f"  {line}")
    print(end="", flush=True)


def print_case(result: CaseResult) -> None:
    print(f"\n-- {result.title}")
    if result.skipped is not None:
        print_lines([f"SKIPPED: {result.skipped}"])
        return
    assert result.figure is not None and result.baseline is not None and result.ratio is not None
    lines = [
        f"GraphQL   {_timing(result.figure)}   ({result.figure.runs} runs)",
        f"baseline  {_timing(result.baseline)}",
        f"ratio     {result.ratio:.2f} (GraphQL median / baseline median)",
        f"SQL statements per GraphQL request: {len(result.statements)}  [{'; '.join(result.statements)}]",
    ]
    if result.differences:
        lines.append("WARNING: GraphQL and baseline answers differ:")
        lines.extend(f"    {difference}" for difference in result.differences)
    else:
        lines.append("check: GraphQL and baseline agree")
    print_lines(lines + result.plans + result.profile)


def print_summary(results: list[CaseResult]) -> None:
    print_heading("summary (ms; ratio = GraphQL median / baseline median)")
    width = max([len(r.title) for r in results] + [20])
    columns = f"{'GraphQL med':>11} {'p95':>8}  {'baseline med':>12} {'p95':>8}  {'ratio':>6}  {'SQL':>3}"
    print(f"  {'case':<{width}}  {columns}")
    for r in results:
        if r.figure is None or r.baseline is None or r.ratio is None:
            print(f"  {r.title:<{width}}  skipped: {r.skipped}")
            continue
        warning = "  (answers differ)" if r.differences else ""
        print(
            f"  {r.title:<{width}}  {r.figure.median_ms:>11.2f} {r.figure.p95_ms:>8.2f}  "
            f"{r.baseline.median_ms:>12.2f} {r.baseline.p95_ms:>8.2f}  {r.ratio:>6.2f}  {len(r.statements):>3}{warning}"
        )
    print(end="", flush=True)
