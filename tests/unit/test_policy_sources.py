"""出处: every figure of a policy cites where it comes from, and a loader refuses one that does
not — a seed section only where the seed states it, otherwise a named document or a decision."""

from __future__ import annotations

import copy
import re
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from renovation.policy import all_policies, load_policy
from renovation.policy.citations import (
    DecisionCitation,
    SeedCitation,
    cited_figures,
    uncited,
)
from renovation.policy.registry import PolicyFileError, parse_policy

SEEDS_DIR = Path(__file__).resolve().parents[2] / "docs" / "seeds"  # the plans, as published


def policy_file(policy_id: str) -> dict[str, Any]:
    data = resources.files("renovation.policy") / "data" / f"{policy_id}.toml"
    return tomllib.loads(data.read_text(encoding="utf-8"))


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(PolicyFileError) as caught:
        parse_policy(data, "test.toml")
    return str(caught.value)


def test_every_figure_of_every_shipped_policy_has_a_citation() -> None:
    for policy in all_policies():
        assert uncited(policy, policy.sources) == []
        figures = cited_figures(policy, policy.sources)
        assert {f.path for f in figures} >= {"payment.submit_by_day", "calendar.start_by"}


@pytest.mark.parametrize(("policy_id", "path"), [
    ("guilin-2022", "payment.submit_by_day"),
    ("guilin-2022", "subsidy_rates.civil-affairs"),
    ("ningxia-2021", "calendar.start_by"),
    ("ningxia-2021", "area.min_by_size"),
])
def test_a_figure_without_a_citation_fails_the_load_naming_it(policy_id: str, path: str) -> None:
    data = policy_file(policy_id)
    parse_policy(copy.deepcopy(data), "test.toml")  # near miss: the shipped file loads
    del data["sources"][path]
    assert f"no citation for {path}" in refusal(data)


def test_a_figure_left_at_its_default_needs_a_citation_too() -> None:
    data = policy_file("ningxia-2021")
    assert "fraud" not in data  # Ningxia's file sets no threshold: the defaults apply
    del data["sources"]["fraud.backdate_days"]
    assert "no citation for fraud.backdate_days" in refusal(data)


def test_a_new_row_without_a_citation_is_named_once() -> None:
    data = policy_file("guilin-2022")
    data["subsidy_rates"].append({"id": "extra", "label": "x", "amount": 1000,
                                  "split": {"county": 1000}})
    message = refusal(data)
    assert "no citation for subsidy_rates.extra:" in message
    assert "subsidy_rates.extra.amount" not in message


def test_a_whole_section_cannot_be_cited_so_a_figure_added_later_is_not_covered() -> None:
    data = policy_file("guilin-2022")
    payment = data["sources"].pop("payment.submit_by_day")
    for key in [k for k in data["sources"] if k.startswith("payment.")]:
        del data["sources"][key]
    data["sources"]["payment"] = payment
    assert "[sources] names payment:" in refusal(data)


def test_a_citation_of_no_figure_is_refused() -> None:
    data = policy_file("guilin-2022")
    data["sources"]["paymnt.submit_by_day"] = data["sources"]["payment.submit_by_day"]
    assert "[sources] names paymnt.submit_by_day" in refusal(data)


def test_a_seed_is_cited_only_for_its_own_area() -> None:
    data = policy_file("ningxia-2021")
    data["sources"]["calendar.start_by"] = {"kind": "seed", "seed": "004", "section": "§七(二)",
                                            "quote": "7月全面开工"}
    assert "cites seed 004, the plan of 450300000000, for a policy of 640000000000" in refusal(
        data)


def test_a_decision_says_who_set_the_figure_and_when() -> None:
    data = policy_file("ningxia-2021")
    del data["sources"]["calendar.start_by"]["set_on"]
    assert "set_on" in refusal(data)


def test_a_seed_citation_quotes_the_plan_or_says_how_the_figure_follows() -> None:
    data = policy_file("guilin-2022")
    del data["sources"]["payment.submit_by_day"]["quote"]
    assert "quotes the plan's words (quote) or says how" in refusal(data)


def test_figures_no_seed_states_are_cited_as_decisions_or_documents() -> None:
    ningxia, guilin = load_policy("ningxia-2021"), load_policy("guilin-2022")
    for path in ("calendar.start_by", "payment.submit_by_day", "payment.pay_by_day",
                 "acceptance.city_spot_check_min_ratio", "notice_min_days"):
        assert isinstance(ningxia.sources[path], DecisionCitation), path
    assert isinstance(guilin.sources["notice_min_days"], DecisionCitation)
    assert guilin.sources["area.max_per_person"].kind == "document"
    assert not any(isinstance(c, SeedCitation) for p, c in ningxia.sources.items()
                   if p.startswith(("area.", "calendar.", "payment.")))


def test_guilin_cites_its_plan_for_counting_urban_dibao_as_rural_dibao() -> None:
    citation = load_policy("guilin-2022").sources["categories.urban_dibao_rural_hukou"]
    assert isinstance(citation, SeedCitation)
    assert (citation.seed, citation.section) == ("004", "§三(一)")
    assert citation.quote == "农村户籍人口享受城市低保的视为农村低保户"


def _seed_text(seed: str) -> str:
    found = sorted(SEEDS_DIR.glob(f"{seed}_*.txt"))
    assert found, f"seed {seed} is not under docs/seeds"
    return re.sub(r"\s+", "", found[0].read_text(encoding="utf-8"))


def test_every_quoted_seed_passage_is_in_the_seed_word_for_word() -> None:
    for policy in all_policies():
        for path, citation in policy.sources.items():
            if isinstance(citation, SeedCitation) and citation.quote:
                text = _seed_text(citation.seed)
                assert re.sub(r"\s+", "", citation.quote) in text, (policy.id, path)
                section = citation.section.split("(")[0].removeprefix("§")
                assert f"{section}、" in text, (policy.id, path)


class _Row(BaseModel):
    id: str
    amount: int


class _Decided(BaseModel):
    county: str
    set_by: str
    set_on: date
    amount: int


class _Section(BaseModel):
    a: int = 1
    b: dict[str, int] = {"x": 1, "y": 2}


class _Toy(BaseModel):
    id: str = "toy-2022"
    new_section: _Section = _Section()
    rows: tuple[_Row, ...] = (_Row(id="r1", amount=5),)
    decided: tuple[_Decided, ...] = (
        _Decided(county="450321000000", set_by="阳朔县住建局", set_on=date(2022, 8, 1), amount=9),)


def test_the_check_walks_any_model_so_a_section_added_later_must_be_cited() -> None:
    toy = _Toy()
    assert uncited(toy, {}) == ["new_section.a", "new_section.b", "rows.r1"]
    cited = dict.fromkeys(["new_section.a", "new_section.b.x", "rows.r1"], "c")
    assert uncited(toy, cited) == ["new_section.b.y"]


def test_a_row_that_records_who_set_it_and_when_cites_itself() -> None:
    figures = {f.path: f.citation for f in cited_figures(_Toy(), {})}
    decided = figures["decided.0.amount"]
    assert isinstance(decided, DecisionCitation)
    assert (decided.set_by, decided.set_on) == ("阳朔县住建局", date(2022, 8, 1))
