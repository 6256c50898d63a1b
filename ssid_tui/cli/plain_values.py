"""Text and path options converted without pydantic: a command starts ~150 ms sooner.

Typer 0.29 builds a pydantic TypeAdapter for every option of the command it runs, and
importing pydantic plus building the adapters costs more than `ssid-tui find` spends on
its query. A `str` or `Path` option with no parser and no path type of its own needs
none of that: its value is the text Click read, or that text as a `Path` checked by
Typer's own path rules (`coerce_cli_path`, the function its adapter calls). Every other
option (numbers, choices, flags) keeps Typer's conversion and its wording, built only
when a value reaches it: a flag left off or an option not given is None, and stays None.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import _TyperParameter

from ssid_tui.cli.option_errors import OptionValueError, option_name
from ssid_tui.formats.safe_text import visible_char


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """A `str` or `Path` option's value, converted as Typer's adapter would convert it."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, bytes):  # Click hands over str; Typer decodes bytes the same way
            value = value.decode("utf-8", "replace")
        if self.annotation is str:
            text = str(value)
            undecoded = [c for c in dict.fromkeys(text) if "\udc80" <= c <= "\udcff"]
            if undecoded:  # bytes the terminal's encoding could not read: no text to search or store
                raise OptionValueError(
                    f"{option_name(param)} holds bytes that are not text in this terminal's encoding "
                    f"({''.join(visible_char(c) for c in undecoded[:5])}): type it again in UTF-8.",
                    ctx=ctx, param=param)
            return text
        path = value if isinstance(value, Path) else Path(str(value))
        return coerce_cli_path(path, self.parameter_info, path_type=Path, param=param, ctx=ctx)


@dataclass(frozen=True)
class DeferredRuntimeParam(RuntimeParam):
    """Typer's own conversion, built the first time a value (not None) needs it."""

    descriptor: TypeDescriptor

    @cached_property
    def typer_param(self) -> RuntimeParam:
        """Typer's conversion for this option, pydantic adapter and all."""
        return build_runtime_param(self.descriptor)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.typer_param._coerce_value(value, param=param, ctx=ctx)


def is_plain(descriptor: TypeDescriptor) -> bool:
    """True for a `str` or `Path` option that no parser, file mode or path type of its own changes."""
    info = descriptor.parameter_info
    return (
        descriptor.annotation in (str, Path)
        and descriptor.file_annotation is None
        and info.parser is None
        and info.path_type is None
    )


def runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    """The conversion for one option: ours for plain text and paths, Typer's (when needed) for the rest."""
    if is_plain(descriptor):
        return PlainRuntimeParam(annotation=descriptor.annotation, parameter_info=descriptor.parameter_info)
    return DeferredRuntimeParam(annotation=descriptor.annotation, parameter_info=descriptor.parameter_info,
                                descriptor=descriptor)


def _get_runtime_param(self: _TyperParameter) -> RuntimeParam:
    if self._runtime_param is None:
        self._runtime_param = runtime_param(self.type_descriptor)
    return self._runtime_param


def install() -> None:
    """Convert plain options this way in every command (called once when the CLI is built)."""
    _TyperParameter.get_runtime_param = _get_runtime_param  # type: ignore[method-assign]
