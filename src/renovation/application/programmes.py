"""Which programmes exist and which policy each applies.

Until programmes are recorded as aggregates of their own, a programme is identified by the id
of the policy it applies (e.g. `guilin-2022`).
"""

from __future__ import annotations

from renovation.kernel.errors import InvalidInputError
from renovation.policy import Policy, load_policy, policy_ids


class ProgrammeCatalog:
    """Programme ids and their policies."""

    def programme_ids(self) -> tuple[str, ...]:
        return policy_ids()

    def policy_for(self, programme_id: str) -> Policy:
        if programme_id not in self.programme_ids():
            raise InvalidInputError(
                "programme.known", "payload.programme_id", programme_id,
                f"no programme {programme_id!r}; known: {', '.join(self.programme_ids())}",
            )
        return load_policy(programme_id)
