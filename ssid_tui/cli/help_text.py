"""How `--help` reads: paragraphs wrapped to the terminal, flags without a type, did-you-mean.

Typer (rich markup mode) keeps the line breaks inside a docstring's paragraphs, so help
came out in 80-column lines on any terminal. `reflow` joins a paragraph's lines so Rich
wraps it to the terminal's width; indented lines (examples) keep their own lines.
A flag takes no value, so Typer's `<bool>` type column is left empty for it.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

import typer
from typer.core import TyperGroup, TyperOption

from ssid_tui.cli.option_errors import missing_value
from ssid_tui.formats.safe_text import quoted, visible

try:  # Typer 0.29+ carries its own Click
    from typer._click.exceptions import ClickException, NoSuchOption
except ImportError:  # pragma: no cover - older Typer on the real Click
    from click.exceptions import ClickException, NoSuchOption  # type: ignore[assignment]


def reflow(doc: str) -> str:
    """A docstring with each paragraph on one line; indented lines (examples, lists) kept apart."""
    paragraphs = []
    for para in inspect.cleandoc(doc).split("\n\n"):
        lines: list[str] = []
        for line in para.splitlines():
            if lines and not line.startswith((" ", "-", "*")) and not lines[-1].startswith(" "):
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def reflow_commands(app: typer.Typer) -> None:
    """Give every command of `app` (and of its sub-apps) its docstring reflowed as help."""
    for info in app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = reflow(info.callback.__doc__)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_commands(group.typer_instance)


_display_type_rich = TyperOption.display_type_rich


# The contexts are typed Any: Typer 0.29+ passes its own vendored Click's, older Typer click's.
def _no_type_for_flags(self: TyperOption, ctx: Any) -> str | None:
    """No `<bool>` after a flag such as --read-only or --help: it takes no value."""
    if self.is_flag:
        return None
    return _display_type_rich(self, ctx)


TyperOption.display_type_rich = _no_type_for_flags  # type: ignore[method-assign]


def suggested_commands(typed: str, commands: list[str]) -> list[str]:
    """The commands `typed` most likely meant, compared without case (commands are lower case):
    the one it names (`FIND`), else the one it begins (`IMP`), else the closest by spelling (`Fnd`)."""
    folded = {c.casefold(): c for c in commands}
    key = typed.casefold()
    if key in folded:
        return [folded[key]]
    begun = [c for k, c in folded.items() if k.startswith(key)]
    if len(begun) == 1:
        return begun
    return [folded[k] for k in difflib.get_close_matches(key, list(folded), n=2)]


def shown_visibly(exc: ClickException, command: Any = None, ctx: Any = None) -> ClickException:
    """`exc` with its message shown as every other value is: an undecodable byte or a control
    typed in an option's name (`--x\\xff`) reads `<U+DCFF>` or `<ESC>`, never raw nor `\\udcff`."""
    missing_value(exc, command, ctx)
    if isinstance(exc, NoSuchOption) and str(exc.message).startswith("No such option: "):
        exc.message = f"No such option: {exc.option_name}"  # Click writes its controls as `\\x1b`
    message = exc.format_message

    def visibly() -> str:
        return "\n".join(visible(line) for line in message().split("\n"))

    exc.format_message = visibly  # type: ignore[method-assign]
    return exc


class SuggestingGroup(TyperGroup):
    """Unknown commands suggest the command they begin (`import` -> `import-selections`);
    every usage error of the command line is shown with its characters made visible."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """As Click; a usage error (unknown option, missing value) shown visibly."""
        try:
            return super().make_context(*args, **kwargs)
        except ClickException as exc:
            raise shown_visibly(exc, self) from exc.__cause__

    def invoke(self, ctx: Any) -> Any:
        """As Click; a usage error of a command's own options shown visibly."""
        try:
            return super().invoke(ctx)
        except ClickException as exc:
            name = ctx.invoked_subcommand
            raise shown_visibly(exc, self.get_command(ctx, name) if name else None, ctx) from exc.__cause__

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[Any, Any, list[str]]:
        """As Click, but the command meant is suggested whatever the case typed (`FIND` -> `find`), and
        a typed prefix of exactly one command is suggested by name."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            meant = suggested_commands(name, self.list_commands(ctx))
            if meant:
                ctx.fail(f"No such command {quoted(name)}. Did you mean {' or '.join(repr(c) for c in meant)}?")
            try:
                return super().resolve_command(ctx, args)
            except ClickException as exc:  # Click's message has the name as repr() writes it
                exc.message = str(exc.message).replace(repr(name), quoted(name), 1)
                raise
        return super().resolve_command(ctx, args)
