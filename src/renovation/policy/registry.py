"""The shipped policy files, loaded and validated once per process."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from renovation.kernel.errors import InvalidInputError
from renovation.kernel.vocabulary import Category
from renovation.policy.models import Policy

_DATA = resources.files("renovation.policy") / "data"

TREATED_AS = {Category.URBAN_DIBAO_RURAL_HUKOU: Category.DIBAO}
"""Categories a policy may admit only as another (seed 004 §三(一): 农村户籍人口享受城市低保的
视为农村低保户): certified by the same department and matched by the same rates."""


class PolicyFileError(Exception):
    """A shipped policy file is malformed: a programming error, caught by the test suite."""


@cache
def policy_ids() -> tuple[str, ...]:
    names = (p.name for p in _DATA.iterdir())
    return tuple(sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml")))


@cache
def load_policy(policy_id: str) -> Policy:
    """The policy with this id, or InvalidInputError naming the known ones."""
    if policy_id not in policy_ids():
        raise InvalidInputError(
            "policy.known",
            "policy_id",
            policy_id,
            f"no policy {policy_id!r}; known policies: {', '.join(policy_ids())}",
        )
    text = (_DATA / f"{policy_id}.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyFileError(f"policy file {policy_id}.toml is invalid: {error}") from error
    policy = parse_policy(data, f"{policy_id}.toml")
    if policy.id != policy_id:
        raise PolicyFileError(f"policy file {policy_id}.toml declares id {policy.id!r}")
    return policy


def parse_policy(data: dict[str, Any], name: str) -> Policy:
    """A policy from a parsed policy file, or PolicyFileError naming what is wrong: an invalid
    value, a figure without a citation (`[sources]`), a category treated as another unlike it."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        raise PolicyFileError(f"policy file {name} is invalid: {error}") from error
    for category, like in TREATED_AS.items():
        if problem := _unlike(policy, category, like):
            raise PolicyFileError(f"policy file {name}: {category.value} {problem}")
    return policy


def _unlike(policy: Policy, category: Category, like: Category) -> str | None:
    if category not in policy.categories:
        return None
    if policy.categories[category] != policy.categories.get(like):
        return (f"is certified by {policy.categories[category].value}, but it counts as"
                f" {like.value}, certified by {policy.categories.get(like)}")
    odd = [r.id for r in policy.subsidy_rates
           if (category in r.categories) != (like in r.categories)]
    if odd:
        return f"counts as {like.value}, but rates {', '.join(odd)} name only one of the two"
    return None


def all_policies() -> list[Policy]:
    return [load_policy(policy_id) for policy_id in policy_ids()]
