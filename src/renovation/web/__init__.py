"""The dashboard: Jinja2 pages over the services and queries; htmx and ECharts served locally."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from renovation.web import (
    case_page,
    exports,
    forms,
    inspection,
    ledger,
    objection,
    overview,
    pages,
    public,
    reports,
    tipoff_public,
    tipoffs,
)
from renovation.web.assets import STATIC

ROUTERS = (pages.router, overview.router, reports.router, inspection.router, case_page.router,
           exports.router, public.router, objection.router, forms.router,
           tipoff_public.router, tipoffs.router, ledger.router)


async def _to_sign_in(_request: Request, error: Exception) -> Response:
    assert isinstance(error, pages.SignInRequired)
    return pages.sign_in_redirect(error)


def install(app: FastAPI) -> None:
    """Mount the pages and their static files on the API's app."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(pages.SignInRequired, _to_sign_in)
