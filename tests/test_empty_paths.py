"""An empty path (`--results ''`, a blank WORKSPACE) is refused by name, for every path of every command.

Python reads "" as ".", the current folder: `export --results ''` said ". is a folder", `export --to ''`
and `demo --dir ''` wrote into the current folder, and `match ''` stopped on an internal error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main

from ssid_tui.cli.app import app
from tests.support.cli import flat, run


def path_params() -> list[tuple[list[str], Any]]:
    """(the command's words, a Path parameter of it) for every command."""
    out = []

    def walk(command: Any, words: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*words, name])
        for param in getattr(command, "params", []):
            if getattr(getattr(param, "type_descriptor", None), "annotation", None) is Path:
                out.append((words, param))

    walk(typer.main.get_command(app), [])
    return out


def argv(words: list[str], empty: Any, value: str) -> tuple[list[str], str]:
    """The command line giving `empty` the value and the other required parameters "x"; the name it is told by."""
    command: Any = typer.main.get_command(app)
    for w in words:
        command = command.commands[w]
    args, opts = [], []
    for p in command.params:
        given = value if p.name == empty.name else "x" if p.required else None
        if given is not None:
            if p.param_type_name == "argument":
                args.append(given)
            else:
                opts += [p.opts[0], given]
    name = empty.name.upper() if empty.param_type_name == "argument" else max(
        (o for o in empty.opts if o.startswith("--")), key=len)
    return [*words, *args, *opts], name


PATHS = path_params()


def test_every_command_with_a_path_is_covered() -> None:
    commands = {" ".join(words) for words, _p in PATHS}
    assert commands >= {"validate", "match", "review", "status", "history", "export", "import-selections", "find",
                        "ods load", "demo"}
    assert len(PATHS) >= 19


@pytest.mark.parametrize("value", ["", "  "])
@pytest.mark.parametrize(("words", "param"), PATHS,
                         ids=[f"{' '.join(w)} {p.opts[0] if p.param_type_name == 'option' else p.name}" for w, p in PATHS])
def test_an_empty_path_is_named_not_read_as_the_current_folder(tmp_path, monkeypatch, words, param, value):
    monkeypatch.chdir(tmp_path)
    line, name = argv(words, param, value)
    result = run(*line)
    what = "a folder name" if name in ("--to", "--dir") else "a file name"
    assert result.exit_code == 2, (line, result.output)
    assert flat(f"{name} needs {what}: {value!r} is empty.") in flat(result.output.replace("│", "")), result.output
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder


@pytest.mark.parametrize(("words", "param"), PATHS,
                         ids=[f"{' '.join(w)} {p.opts[0] if p.param_type_name == 'option' else p.name}" for w, p in PATHS])
def test_a_dash_is_refused_by_name_not_read_as_a_file_named_dash(tmp_path, monkeypatch, words, param):
    """`validate -` read a file named "-" (cold test): many tools read standard input there; ssid-tui does not."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("SENR^A\n")  # a file of that name is there: it is still not read
    line, name = argv(words, param, "-")
    result = run(*line)
    what = "a folder name" if name in ("--to", "--dir") else "a file name"
    assert result.exit_code == 2, (line, result.output)
    assert flat(f"{name} cannot be '-': ssid-tui reads and writes named files only, never standard input or output; "
                f"give {what} (./- for one named -).") in flat(result.output.replace("│", "")), result.output
    assert [p.name for p in tmp_path.iterdir()] == ["-"]  # nothing written
