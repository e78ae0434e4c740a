"""Figures, targets and the summary table every benchmark reports into."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One line of the summary: a measured figure, its yardstick, the ratio and its target."""

    benchmark: str
    figure: str
    yardstick: str
    ratio: float
    ratio_text: str
    target_text: str
    passed: bool | None  # None: a figure for information, with no target

    @property
    def verdict(self) -> str:
        """Return PASS, FAIL or info."""
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"


def check_at_least(
    benchmark: str, figure: str, yardstick: str, ratio: float, minimum: float, unit: str = ""
) -> Check:
    """Return a check that passes when `ratio` is at least `minimum`."""
    ratio_text = f"{ratio:,.0f}{unit}" if unit == "x" else f"{ratio:.2f}"
    target_text = f">= {minimum:,.0f}{unit}" if unit == "x" else f">= {minimum:.2f}"
    return Check(benchmark, figure, yardstick, ratio, ratio_text, target_text, ratio >= minimum)


def check_at_most(benchmark: str, figure: str, value: float, maximum: float, unit: str) -> Check:
    """Return a check that passes when `value` is at most `maximum` (a latency, say)."""
    return Check(
        benchmark,
        figure,
        "-",
        value,
        f"{value:.2f} {unit}",
        f"<= {maximum:g} {unit}",
        value <= maximum,
    )


def info(benchmark: str, figure: str, yardstick: str, ratio: float) -> Check:
    """Return a ratio reported for information, with no target."""
    return Check(benchmark, figure, yardstick, ratio, f"{ratio:.2f}", "-", None)


def print_check(check: Check) -> None:
    """Print the ratio line of a check, as the benchmark runs."""
    if check.passed is None:
        print(f"  ratio {check.benchmark}: {check.ratio_text} (no target)", flush=True)
        return
    target = f"(target {check.target_text}) {check.verdict}"
    print(f"  ratio {check.benchmark}: {check.ratio_text} {target}", flush=True)


def rate(value: float) -> str:
    """Return a rate per second, readable: 15.3 M/s, 8.4 k/s, 950 /s."""
    if value >= 1e6:
        return f"{value / 1e6:.2f} M/s"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k/s"
    return f"{value:.0f} /s"


def summary_table(checks: list[Check]) -> str:
    """Return the final summary as an aligned plain-text table."""
    header = ("benchmark", "figure", "yardstick", "ratio", "target", "result")
    rows = [header] + [
        (c.benchmark, c.figure, c.yardstick, c.ratio_text, c.target_text, c.verdict) for c in checks
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)
