"""The HTTP doors: the API (FastAPI) and, beside it, the dashboard pages."""

from renovation.api.app import create_app

__all__ = ["create_app"]
