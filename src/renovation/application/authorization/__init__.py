"""Who may issue which command where: role × action from a casbin policy, jurisdiction by prefix.

Each role also acts from one administrative level (a village clerk from a village code, a county
officer from a county code), so a role cannot be claimed from a jurisdiction it does not serve.
"""

from __future__ import annotations

from importlib import resources

import casbin

from renovation.kernel.errors import NotAuthorizedError, OutsideJurisdictionError
from renovation.kernel.jurisdiction import covers, level_of, prefix
from renovation.kernel.roles import ROLE_LEVELS, level_names
from renovation.kernel.vocabulary import Role


class Authorizer:
    """Decides whether an actor may perform an action on a case in a given village."""

    def __init__(self) -> None:
        here = resources.files(__name__)
        with resources.as_file(here / "model.conf") as model, resources.as_file(
            here / "policy.csv"
        ) as policy:
            self._enforcer = casbin.Enforcer(str(model), str(policy))
        self._enforcer.add_function("within", lambda case, actor: covers(actor, case))
        self._actions = {
            role: frozenset(rule[1] for rule in self._enforcer.get_filtered_policy(0, role.value))
            for role in Role
        }

    def enforce(self, role: Role, action: str, jurisdiction: str, case_code: str) -> bool:
        """The casbin model's own decision (the tests check `authorize` agrees with it)."""
        return bool(self._enforcer.enforce(role.value, action, jurisdiction, case_code))

    def actions_of(self, role: Role) -> list[str]:
        return sorted(self._actions[role])

    def authorize(self, role: Role, jurisdiction: str, action: str, case_code: str) -> None:
        """Return quietly, or raise NotAuthorizedError / OutsideJurisdictionError."""
        level = level_of(jurisdiction)
        if level not in ROLE_LEVELS[role]:
            allowed = level_names(role)
            raise NotAuthorizedError(
                "authorization.role_level", "actor.jurisdiction", jurisdiction,
                f"role {role.value} acts from a {allowed} jurisdiction, not a {level.name.lower()}",
            )
        if action not in self._actions[role]:
            raise NotAuthorizedError(
                "authorization.role_action", "actor.role", role,
                f"role {role.value} may not {action.replace('_', ' ')}",
            )
        # With role and action matched above, the model's matcher reduces to its `within`:
        # evaluating it through casbin's expression engine was 12% of an import.
        if not covers(jurisdiction, case_code):
            raise OutsideJurisdictionError(
                "authorization.jurisdiction", "actor.jurisdiction", jurisdiction,
                f"case in {case_code} lies outside jurisdiction {prefix(jurisdiction)}",
            )
