"""A bad option value gets one plain sentence: the option, the value, and what is allowed.

Typer 0.29 validates values with pydantic and prints its wording ("Invalid value for
'--delimiter': Value error, 'tab' is not one of 'comma', 'caret'.", "Input should be
less than or equal to 99"), and writes required arguments as `{workspace}` in the
usage line. Here a value that cannot be used reads "--delimiter cannot be 'tab': use
comma or caret." and the usage line says `WORKSPACE`, as Unix tools do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer._coercion import RuntimeParam
from typer.core import TyperArgument

from ssid_tui.formats.safe_text import quoted

try:  # Typer 0.29+ carries its own Click
    from typer._click.exceptions import BadOptionUsage, BadParameter, MissingParameter
except ImportError:  # pragma: no cover - older Typer on the real Click
    from click.exceptions import BadOptionUsage, BadParameter, MissingParameter  # type: ignore[assignment]


class OptionValueError(BadParameter):
    """A value that cannot be used, said in one sentence of our own."""

    def format_message(self) -> str:
        """The sentence alone (Click would put "Invalid value for ...:" before it)."""
        return str(self.message)


def option_name(param: Any) -> str:
    """'--delimiter' for an option (its longest name), 'WORKSPACE' for an argument."""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or list(getattr(param, "opts", []))
    if isinstance(param, TyperArgument) or not opts:
        return str(param.name or "value").upper()
    return str(max(opts, key=len))


def allowed(param: Any) -> str:
    """What the parameter takes, as the end of a sentence: 'use comma or caret'."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return ""
    if desc.is_choice and desc.choices:
        names = [str(getattr(c, "value", c)) for c in desc.choices]
        return "use " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1])
    info = desc.parameter_info
    number = "a whole number" if desc.annotation is int else "a number" if desc.annotation is float else ""
    if not number:
        return ""
    if info.min is not None and info.max is not None:
        return f"give {number} from {info.min} to {info.max}"
    if info.min is not None:
        return f"give {number}, {info.min} or more"
    if info.max is not None:
        return f"give {number}, {info.max} or less"
    return f"give {number}"


def sentence(param: Any, value: Any, reason: str) -> str:
    """'--min-score cannot be 200: give a whole number from 1 to 99.'"""
    what = allowed(param)
    if not what:  # a check of our own or of the path type: its reason, without pydantic's prefix
        what = reason.removeprefix("Value error, ").rstrip(".")
    return f"{option_name(param)} cannot be {quoted(value if isinstance(value, str) else str(value))}: {what}."


_coerce = RuntimeParam.coerce

#: Path options that name a folder, not a file.
FOLDER_OPTIONS = frozenset({"--to", "--dir"})


def empty_path(param: Any, value: Any) -> str | None:
    """The sentence for an empty path (`--results ''`): Python reads it as `.`, the current folder,
    which a command would then call "a folder", read, or write into."""
    desc = getattr(param, "type_descriptor", None)
    if not (isinstance(value, str) and not value.strip() and getattr(desc, "annotation", None) is Path):
        return None
    name = option_name(param)
    what = "a folder name" if name in FOLDER_OPTIONS else "a file name"
    return f"{name} needs {what}: {quoted(value)} is empty."


def needs(param: Any) -> str:
    """What an option takes, for "--ods needs a file name": a file name, a folder name or a value."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if annotation is not Path:
        return "a whole number" if annotation is int else "a number" if annotation is float else "a value"
    return "a folder name" if option_name(param) in FOLDER_OPTIONS else "a file name"


def _option_names(command: Any, ctx: Any) -> dict[str, Any]:
    """Every name of every option of `command` (`--ods`, `-w`), and its parameter."""
    params = command.get_params(ctx) if command is not None else []
    return {name: p for p in params for name in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]}


def option_as_value(param: Any, value: Any, ctx: Any) -> str | None:
    """The sentence for an option left without its value (`match --ods --jobs 2`): Click gives it the
    next option's name as its value, and then says only "unexpected extra argument (2)"."""
    if not isinstance(value, str) or not value.startswith("-") or len(value) < 2 or isinstance(param, TyperArgument):
        return None
    if value.split("=", 1)[0] not in _option_names(getattr(ctx, "command", None), ctx):
        return None
    return f"{option_name(param)} needs {needs(param)} right after it, not the option {quoted(value)}."


def missing_value(exc: Exception, command: Any, ctx: Any) -> None:
    """Click's "Option '--ods' requires an argument." (an option last on the line) in our words:
    "--ods needs a file name right after it." `command` is the one whose options were parsed."""
    name = getattr(exc, "option_name", None)
    if not isinstance(exc, BadOptionUsage) or not str(exc.message).startswith(f"Option {name!r} requires"):
        return
    param = _option_names(command, ctx).get(str(name))
    exc.message = f"{option_name(param) if param else name} needs {needs(param)} right after it."


def dash_path(param: Any, value: Any) -> str | None:
    """The sentence for `-` as a path (`validate -`): many tools read standard input (or write standard
    output) there, ssid-tui would take it for a file named "-", so it is refused by name."""
    desc = getattr(param, "type_descriptor", None)
    if value != "-" or getattr(desc, "annotation", None) is not Path:
        return None
    name = option_name(param)
    what = needs(param)
    return (f"{name} cannot be '-': ssid-tui reads and writes named files only, never standard input or output; "
            f"give {what} (./- for one named -).")


def _coerce_plainly(self: RuntimeParam, value: Any, param: Any, ctx: Any) -> Any:
    """Typer's conversion of a typed value; its refusal in our sentence (checks in callbacks keep theirs)."""
    problem = empty_path(param, value) or dash_path(param, value) or option_as_value(param, value, ctx)
    if problem:
        raise OptionValueError(problem, ctx=ctx, param=param)
    try:
        return _coerce(self, value, param, ctx)
    except (MissingParameter, OptionValueError):  # the latter already says it in our words
        raise
    except BadParameter as exc:
        raise OptionValueError(sentence(param, value, str(exc.message)), ctx=ctx, param=param) from None


def _usage_name(self: TyperArgument) -> str:
    name = str(self.metavar or self.name or "").upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def install() -> None:
    """Use these wordings in every command (called once when the CLI is built)."""
    RuntimeParam.coerce = _coerce_plainly  # type: ignore[method-assign]
    TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
    TyperArgument.get_error_hint = lambda self: str(self.metavar or self.name or "").upper()  # type: ignore[method-assign]
