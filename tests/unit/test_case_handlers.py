"""Every command reaches its case method through one typed handler, never by name."""

from __future__ import annotations

import inspect

from renovation.application.case_handlers import CASE_HANDLERS
from renovation.application.commands import COMMAND_TYPES
from renovation.application.commands.selection import SubmitApplication


def test_every_command_on_a_case_has_exactly_one_handler() -> None:
    on_a_case = set(COMMAND_TYPES.values()) - {SubmitApplication}
    assert set(CASE_HANDLERS) == on_a_case


def test_each_handler_is_typed_for_the_command_it_is_registered_for() -> None:
    for command, handler in CASE_HANDLERS.items():
        annotation = inspect.signature(handler).parameters["cmd"].annotation
        assert annotation.rsplit(".", 1)[-1] == command.__name__, (command, handler)
