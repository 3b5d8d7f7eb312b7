"""The figures, their targets, and whether a measured value meets them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    """`value` must be >= (`at_least`) or <= the threshold to pass."""

    threshold: float
    at_least: bool = True

    def met(self, value: float) -> bool:
        return value >= self.threshold if self.at_least else value <= self.threshold

    def describe(self, unit: str) -> str:
        sign = "≥" if self.at_least else "≤"
        amount = f"{self.threshold:.0%}" if unit == "ratio" else f"{self.threshold:,.0f} {unit}"
        return f"{sign} {amount}"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    targets: dict[str, Target]  # by backend; a figure without one for a backend is informative


FIGURES: tuple[Figure, ...] = (
    Figure("online", "online commands, one commit each (ratio to bare per-save rate)", "ratio",
           {"sqlite": Target(0.70), "postgres": Target(0.70)}),
    Figure("bulk_import", "bulk import of full-lifecycle cases", "events/s",
           {"sqlite": Target(15_000), "postgres": Target(8_000)}),
    Figure("catch_up", "projection catch-up, all read models", "events/s",
           {"sqlite": Target(20_000)}),
    Figure("history", "case history replay, p99", "ms",
           {"sqlite": Target(5, False), "postgres": Target(5, False)}),
    Figure("queries", "dashboard queries, worst p95", "ms",
           {"sqlite": Target(50, False), "postgres": Target(50, False)}),
    Figure("web", "dashboard pages, 50 users at once: worst server p95 (总览, county)", "ms",
           {"sqlite": Target(100, False), "postgres": Target(100, False)}),
    Figure("feed", "event feed, pages of 1,000 from the start", "events/s",
           {"sqlite": Target(20_000), "postgres": Target(20_000)}),
    Figure("relay", "relay into the local JetStream (ratio: to a bare publisher)", "events/s",
           {"sqlite": Target(10_000), "postgres": Target(10_000)}),
    Figure("sse", "live stream (SSE): delivery after commit, p95", "ms",
           {"sqlite": Target(200, False), "postgres": Target(200, False)}),
    Figure("audit_verify", "audit verify", "events/s",
           {"sqlite": Target(100_000), "postgres": Target(100_000)}),
    Figure("peak_rss", "peak RSS, import and full rebuild", "MB",
           {"sqlite": Target(300, False), "postgres": Target(300, False)}),
)
BY_KEY = {figure.key: figure for figure in FIGURES}
STEPS = ("online", "import", "bare bulk", "catch-up", "queries", "history", "audit verify",
         "rebuild", "web", "stream")
"""A run's phases, in the order it runs them."""


@dataclass
class Result:
    """One measured figure: the value, the bare library's value beside it, and the details."""

    key: str
    value: float
    baseline: float | None = None
    baseline_label: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def figure(self) -> Figure:
        return BY_KEY[self.key]

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return self.value / self.baseline

    def verdict(self, backend: str) -> str:
        target = self.figure.targets.get(backend)
        if target is None:
            return "info"
        if self.detail.get("errors"):
            return "MISS"  # under load "without errors" is part of the target, however fast
        return "pass" if target.met(self.value) else "MISS"

    def to_dict(self, backend: str) -> dict[str, Any]:
        target = self.figure.targets.get(backend)
        return {**asdict(self), "label": self.figure.label, "unit": self.figure.unit,
                "target": target.describe(self.figure.unit) if target else None,
                "ratio": self.ratio, "verdict": self.verdict(backend)}
