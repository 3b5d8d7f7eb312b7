"""自筹能力评估 — the household's own means, assessed by the township after a home visit.

Seed 004 §三(三): 对无自筹能力的特殊困难农户，按照标准（最低）建设面积建筑成本予以全额补助
实行兜底解决.
The assessment is what county approval reads to decide 兜底 (and a county table's row by means);
it may be recorded from the application until the county approves, and a later assessment
replaces an earlier one as a new event: nothing recorded is edited.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from renovation.aggregates.base import Actor
from renovation.aggregates.case import guards
from renovation.aggregates.case.state import CaseState
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.vocabulary import SelfFunding, Stage

ASSESSABLE = (Stage.APPLIED, Stage.RETURNED, Stage.TOWNSHIP_APPROVED)
"""After the application, before the county decides."""

if TYPE_CHECKING:
    _Base = CaseState
else:
    _Base = object


class MeansCommands(_Base):
    """The command that records (or re-records) the household's means."""

    def assess_means(
        self, self_funding: SelfFunding, basis: ProtectedValue, evidence: tuple[str, ...],
        actor: Actor, occurred_on: date,
    ) -> None:
        """自筹能力评估 — from the application until county approval; dated after the application
        and after any earlier assessment it replaces."""
        guards.acting(self, actor, occurred_on, ASSESSABLE, "means_assessment")
        guards.not_before(occurred_on, self.submitted_on, "the application")
        if self.means is not None:
            guards.not_before(occurred_on, self.means.on, "the earlier means assessment")
        self._means_assessed(
            self_funding=self_funding, basis=basis, evidence=evidence, actor=actor,
            occurred_on=occurred_on,
        )
