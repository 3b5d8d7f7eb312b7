"""举报投诉办理时限 come from a data file: every figure names its source, unknown keys are
refused, and a county's own figures replace the defaults for its areas only."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import pytest
from pydantic import ValidationError

from renovation.policy.tipoffs import TipOffDeadlines, load_tipoff_deadlines

SHIPPED = tomllib.loads((resources.files("renovation.policy") / "data" / "tipoffs"
                         / "deadlines.toml").read_text(encoding="utf-8"))


def test_the_shipped_figures_are_marked_as_a_county_decision_placeholder() -> None:
    policy = load_tipoff_deadlines()
    for figure in (policy.hand_over, policy.conclude):
        assert figure.days > 0 and "county decision" in figure.source
    assert policy.conclude.days > policy.hand_over.days
    assert policy.ref == "tipoffs@1"


def test_an_unknown_key_in_the_file_is_refused() -> None:
    with pytest.raises(ValidationError):
        TipOffDeadlines.model_validate({**SHIPPED, "escalate_after": 3})
    with pytest.raises(ValidationError):
        TipOffDeadlines.model_validate({**SHIPPED, "hand_over": {"days": 5}})


def test_a_countys_own_figures_apply_to_its_areas_only() -> None:
    own = {"hand_over": {"days": 3, "source": "阳朔县纪委监委 decision"},
           "conclude": {"days": 30, "source": "阳朔县纪委监委 decision"}}
    policy = TipOffDeadlines.model_validate({**SHIPPED, "counties": {"450321000000": own}})
    lodged = date(2022, 6, 1)
    assert policy.due_dates("450321100201", lodged) == (date(2022, 6, 4), date(2022, 7, 1))
    default = load_tipoff_deadlines()
    assert policy.due_dates("450323100201", lodged) == default.due_dates("450323100201", lodged)
