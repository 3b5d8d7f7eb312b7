"""Rendering a case's state for history: masked, plain, and what changed between two states."""

from __future__ import annotations

import pytest

from renovation.audit.history import AsOf
from renovation.audit.views import diff, plain
from renovation.kernel.errors import InvalidInputError
from tests.support.domain import protected


def test_personal_data_renders_only_in_its_masked_form() -> None:
    value = protected("450321********0001", index="p")
    assert plain({"id_number": value}) == {"id_number": "450321********0001"}
    assert plain(value.model_dump(mode="json")) == "450321********0001"


def test_a_reveal_function_replaces_the_mask_and_sees_the_field_path() -> None:
    seen = []

    def reveal(value: object, path: str) -> str:
        seen.append(path)
        return "450321193801010088"

    assert plain({"head": {"id_number": protected("450321********0088")}}, reveal=reveal) == {
        "head": {"id_number": "450321193801010088"}}
    assert seen == ["head.id_number"]


def test_diff_names_each_changed_field_by_its_dotted_path() -> None:
    before = {"stage": "applied", "grading": None, "notices": {}}
    after = {"stage": "graded", "grading": {"grade": "C"}, "notices": {}}
    assert diff(before, after) == [
        {"field": "grading.grade", "change": "added", "after": "C"},
        {"field": "stage", "change": "changed", "before": "applied", "after": "graded"},
    ]


def test_diff_shows_a_removed_value() -> None:
    assert diff({"notices": {"village": {"no": "1"}}}, {"notices": {}}) == [
        {"field": "notices.village.no", "change": "removed", "before": "1"}]


@pytest.mark.parametrize("text", ["7", " 12 ", "2022-03-20"])
def test_as_of_is_a_version_or_a_date(text: str) -> None:
    point = AsOf.parse(text)
    assert point is not None and (point.version or point.day)


@pytest.mark.parametrize("text", ["v7", "2022-13-01", "2022/03/20", "-1", ""])
def test_as_of_anything_else_is_refused_naming_the_rule(text: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        AsOf.parse(text)
    assert (error.value.rule, error.value.field) == ("history.as_of_format", "as_of")
