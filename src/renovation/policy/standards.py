"""差异化补助的核对 — each county's differentiated standards against the programme's 户均 figures.

Seed 004 §三(三) sets household averages (户均: 3万元 for households certified by rural
revitalization, 1.85万元 for civil affairs, of which 2.65万 / 1.5万 central and regional, 0.15万
city, 0.2万 county) and asks the counties to differentiate around them. A county table passes when,
weighted by the households it plans per row, each department's average amount — and each fund
source's average part — lies within a yuan of the 户均 figure (`county.TOLERANCE`). The check runs
when a policy is loaded (a failing file does not load) and as `renovation policy check-standards`,
which reads the file without it so as to report every county.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.policy.county import PlannedAverage, format_yuan, standards_averages
from renovation.policy.models import Policy
from renovation.policy.registry import policy_ids


class StandardsAverageError(RuleViolation):
    """A county's planned average differs from the programme's 户均 figure."""


def read_unchecked(source: str) -> Policy:
    """A shipped policy (by id) or a policy file (by path), validated but for the averages."""
    path = Path(source)
    if source in policy_ids():
        text = (resources.files("renovation.policy") / "data" / f"{source}.toml").read_text(
            encoding="utf-8")
    elif path.suffix == ".toml" and path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        raise InvalidInputError(
            "policy.known", "policy_id", source,
            f"no policy {source!r} and no such .toml file;"
            f" known policies: {', '.join(policy_ids())}",
        )
    try:
        return Policy.model_validate(tomllib.loads(text), context={"check_standards": False})
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidInputError(
            "policy.valid", "policy_id", source, f"policy {source} is invalid: {error}"
        ) from None


def report(policy: Policy) -> dict[str, object]:
    """Every county table's averages, as JSON-ready rows."""
    return {
        "policy": policy.ref,
        "passed": all(a.passed for a in standards_averages(policy)),
        "averages": [_row(a) for a in standards_averages(policy)],
    }


def _row(average: PlannedAverage) -> dict[str, object]:
    return {
        "county": average.county, "name": average.name, "department": average.department.value,
        "source": average.source, "households": average.households,
        "planned_average": format_yuan(average.average), "figure": average.figure,
        "passed": average.passed,
    }


def check(policy: Policy) -> None:
    """Refuse the first county whose planned average is not the 户均 figure."""
    for average in standards_averages(policy):
        if not average.passed:
            field = f"county_standards.{average.county}.{average.department.value}"
            raise StandardsAverageError(
                "policy.county_standards_average",
                field + (f".{average.source}" if average.source else ""),
                format_yuan(average.average), average.message(),
            )
