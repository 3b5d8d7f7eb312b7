"""The shipped policy files, loaded and validated once per process."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import ValidationError

from renovation.kernel.errors import InvalidInputError
from renovation.policy.models import Policy

_DATA = resources.files("renovation.policy") / "data"


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
        policy = Policy.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise PolicyFileError(f"policy file {policy_id}.toml is invalid: {error}") from error
    if policy.id != policy_id:
        raise PolicyFileError(f"policy file {policy_id}.toml declares id {policy.id!r}")
    return policy


def all_policies() -> list[Policy]:
    return [load_policy(policy_id) for policy_id in policy_ids()]
