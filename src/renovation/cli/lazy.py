"""A typer group whose sub-commands are imported only when one of them runs.

Importing every sub-command pulls in the application, the event store and the policies, which
takes seconds; `renovation --help` and `renovation version` need none of it. The group knows
each sub-command's name and one-line help from a static table (`Lazy`), shows those in its own
help, and imports the module of a sub-command when it is invoked or asked for its own help.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group


@dataclass(frozen=True)
class Lazy:
    """A sub-command: `target` is "module:attribute", a `typer.Typer` (a group of commands) or
    a function (one command); `help` is the first paragraph of its help, as listed."""

    name: str
    target: str
    help: str

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def command(self) -> TyperCommand | TyperGroup:
        """The click command typer builds for the target, as `add_typer`/`command` would."""
        target = self.load()
        if isinstance(target, typer.Typer):
            group = get_group(target)
            group.name = self.name
            return group
        single = typer.Typer()
        single.command(self.name)(target)
        found = get_group(single).commands[self.name]
        assert isinstance(found, TyperCommand)
        return found


class _Placeholder(TyperCommand):
    """Stands for a sub-command not yet imported: enough to be listed in help."""


class LazyGroup(TyperGroup):
    """Subclasses set `lazy`, in the order help lists them; eager commands may be named there
    too (as a `Lazy` whose target is never loaded) to keep their place."""

    lazy: ClassVar[tuple[Lazy, ...]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        eager = dict(self.commands)
        self.commands.clear()
        for entry in self.lazy:
            self.commands[entry.name] = eager.pop(entry.name, None) or _Placeholder(
                entry.name, help=entry.help)
        self.commands.update(eager)
        self._eager = {n for n, c in self.commands.items() if not isinstance(c, _Placeholder)}
        self._listing = False

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if isinstance(found, _Placeholder):
            if not self._listing:
                found = self.commands[cmd_name] = self.entry(cmd_name).command()
        elif cmd_name in self._eager:
            _skip_pydantic(found.get_params(ctx))
        return found

    def get_params(self, ctx: typer.Context) -> list[Any]:
        params = super().get_params(ctx)
        _skip_pydantic(params)
        return params

    def entry(self, name: str) -> Lazy:
        return next(e for e in self.lazy if e.name == name)

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:
        # listing the sub-commands needs only their names and short help: import none of them
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _skip_pydantic(params: list[Any]) -> None:
    """Let text and flag options (`--help` too) take a str or bool as it comes.

    typer checks every value that is not already a bool (`--help` not given is None) with a
    pydantic TypeAdapter, and importing pydantic for that takes a third of `renovation
    version`. Any other value still goes to typer's own check. This leans on typer's
    internals, so anything unexpected leaves the option as typer made it.
    """
    if _AsGiven is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        kind = getattr(descriptor, "annotation", None)
        if kind in (str, str | None, bool) and getattr(param, "_runtime_param", 0) is None:
            param._runtime_param = _AsGiven(descriptor.parameter_info, kind)


def _as_given() -> type | None:
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:
        return None

    class AsGiven(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, bool if self.annotation is bool else str):
                return value
            return build_runtime_param(param.type_descriptor)._coerce_value(value, param, ctx)

    return AsGiven


_AsGiven = _as_given()
