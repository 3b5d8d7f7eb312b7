"""指令 — every command of the procedure as one POST, with the CLI's models and refusals.

The body is one command (`renovation schema commands`); the authenticated principal enters it,
its `actor` names the acting official (or is left out when the principal acted). A repeated
command id answers as the first time (`duplicate: true`). The answer comes once the read models
show the change, so a page that follows sees it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.commands import AnyCommand

router = APIRouter(prefix="/api", tags=["commands"])


@router.post("/commands", summary="Apply one command")
def execute(
    command: Annotated[AnyCommand, Body()], me: PrincipalDep, rt: RuntimeDep, request: Request,
) -> dict[str, Any]:
    outcome = rt.service.execute(command, me)
    request.app.state.follower.wait_for(outcome.position)
    return outcome.to_dict()
