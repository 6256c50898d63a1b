"""A "no" to a question the CLI asks is an answer, not an input error: exit 0, one sentence, nothing changed."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from ssid_tui.cli.app import EXIT_INPUT_ERRORS, confirm_or_stop
from tests.support.cli import flat

asker = typer.Typer()


@asker.command()
def ask() -> None:
    """Asks once, as every question of the CLI does (confirm_or_stop), then says it went on."""
    confirm_or_stop("Go on?", declined="Not done: nothing was changed.", interrupted="Interrupted.")
    print("went on")


@pytest.mark.parametrize("answer", ["n\n", "no\n", "\n", ""], ids=["n", "no", "enter", "ctrl-d"])
def test_a_declined_question_exits_0_with_its_sentence_never_the_input_error_code(answer):
    result = CliRunner().invoke(asker, [], input=answer, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0 != EXIT_INPUT_ERRORS, result.output
    assert "Not done: nothing was changed." in flat(result.output)
    assert "went on" not in result.output and "Aborted" not in result.output


def test_yes_goes_on():
    result = CliRunner().invoke(asker, [], input="y\n", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0 and "went on" in result.output and "Not done" not in result.output


def test_an_answer_that_is_neither_asks_again_saying_how_to_answer():
    result = CliRunner().invoke(asker, [], input="maybe\nn\n", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert result.output.count("Go on? [y/N]:") == 2 and "Please answer y or n." in result.output
    assert "Not done: nothing was changed." in flat(result.output) and "went on" not in result.output
