"""Cursor pagination of answers computed whole (overdue items, findings): the cursor is opaque
to clients; `next` is the cursor of the following page, null on the last."""

from __future__ import annotations

from typing import Any

from renovation.kernel.errors import InvalidInputError


def paged(answer: dict[str, Any], key: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """`answer` with only one page of its list `key`, and `next`."""
    start = 0
    if cursor is not None:
        if not (cursor.isascii() and cursor.isdigit()):
            raise InvalidInputError("input.cursor", "cursor", cursor,
                                    "cursor: use the `next` value of the previous page")
        start = int(cursor)
    items = answer[key]
    end = start + limit
    return {**answer, key: items[start:end], "total": len(items), "limit": limit,
            "next": str(end) if end < len(items) else None}
