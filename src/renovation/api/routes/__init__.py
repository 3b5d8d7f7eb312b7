"""The API's routers, one per area of the product."""

from renovation.api.routes import (
    cases,
    commands,
    events,
    findings,
    programmes,
    reports,
    session,
    spotchecks,
    staff,
    tipoffs,
)

ROUTERS = (session.router, commands.router, reports.router, cases.router, findings.router,
           programmes.router, spotchecks.router, staff.router, events.router,
           tipoffs.router)

__all__ = ["ROUTERS"]
