"""名单核对 — is a household on its category's certifying list, as the registries show it?

Asked at certification and county approval, and only where the policy refuses households its
department's list does not show (`[comparison] on_list = "refuse"`): elsewhere the comparison's
`category_not_on_list` finding flags them instead, and nothing is read here.
"""

from __future__ import annotations

from datetime import date

from renovation.aggregates.case import RenovationCase
from renovation.policy import load_policy
from renovation.policy.comparison import ListCheck, supports_certification
from renovation.registry.store import RegistryStore


class CertifyingLists:
    """The list check of one store's registry snapshots."""

    def __init__(self, store: RegistryStore) -> None:
        self.store = store

    def __call__(self, case: RenovationCase, day: date) -> ListCheck | None:
        rules = load_policy(case.policy_id).comparison
        kind = rules.lists.get(case.category) if rules.on_list == "refuse" else None
        snapshot = self.store.snapshot_in_force(kind, day) if kind else None
        if kind is None or snapshot is None:
            return None  # nothing to check against: the policy does not ask, or no list is loaded
        entries = self.store.entries_for(kind, case.household.person_refs(), day)
        listed = any(supports_certification(day, entry.attrs) for entry in entries)
        return ListCheck(kind, snapshot.as_of, listed)

