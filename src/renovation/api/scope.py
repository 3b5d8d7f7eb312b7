"""What a reader may see: the area a query is scoped to, checked against the principal's roles.

Every read names an action (`view_reports`, `view_cases`, `view_findings`, `manage_users`). A
query asked `within` an area is allowed when one of the principal's roles may do the action
there; without `within`, it is scoped to the broadest area where one of them may.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.directory import Principal
from renovation.bootstrap import Runtime
from renovation.kernel.errors import InvalidInputError, NotAuthorizedError
from renovation.kernel.jurisdiction import CODE_PATTERN, check_code, level_of
from renovation.projections import ViewsDatabase
from renovation.projections.queries.answers import Answers


def division_code(value: str | None, field: str = "within") -> str | None:
    """A 12-digit division code from a query parameter, or None; refused naming the field."""
    if value is None or value == "":
        return None
    try:
        return check_code(value)
    except ValueError as error:
        raise InvalidInputError("input.division_code", field, value, str(error)) from None


def scoped(rt: Runtime, principal: Principal, action: str, within: str | None) -> str:
    """The area the principal reads for `action`: `within`, or their broadest permitted one."""
    code = division_code(within)
    if code is not None:
        rt.pipeline.acting(principal, action, code)
        return code
    allowed = [g for g in principal.held_on(rt.pipeline.today())
               if action in rt.directory.authorizer.actions_of(g.role)]
    if not allowed:
        raise NotAuthorizedError("authorization.role_action", "actor.role", principal.staff_id,
                                 f"none of {principal.staff_id}'s roles may"
                                 f" {action.replace('_', ' ')}")
    return min(allowed, key=lambda g: (level_of(g.jurisdiction), g.grant_no)).jurisdiction


def views(request: Request) -> ViewsDatabase:
    found: ViewsDatabase = request.app.state.views
    return found


ViewsDep = Annotated[ViewsDatabase, Depends(views)]


def answers(request: Request) -> Answers:
    """The server's kept answers (`projections.queries.answers`), shared by its threads."""
    found: Answers = request.app.state.answers
    return found


AnswersDep = Annotated[Answers, Depends(answers)]
Within = Annotated[str | None, Query(description="12-digit division code (default: your area)",
                                     pattern=CODE_PATTERN)]


def reports_scope(rt: RuntimeDep, me: PrincipalDep, within: Within = None) -> str:
    return scoped(rt, me, "view_reports", within)


def cases_scope(rt: RuntimeDep, me: PrincipalDep, within: Within = None) -> str:
    return scoped(rt, me, "view_cases", within)


ReportsScope = Annotated[str, Depends(reports_scope)]
CasesScope = Annotated[str, Depends(cases_scope)]
