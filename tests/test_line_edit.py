"""The `/` search box's text and its editing keys (no terminal needed)."""

from __future__ import annotations

from ssid_tui.ui.line_edit import LineEdit, typed


def edit(*keys: str) -> LineEdit:
    box = LineEdit()
    for key in keys:
        box.key(key, key if len(key) == 1 else None)
    return box


def test_characters_go_in_at_the_cursor_and_the_keys_of_a_shell_edit_them() -> None:
    assert edit(*"garcia").value == "garcia"
    assert edit(*"garca", "left", "i").value == "garcia"
    assert edit(*"maria lopez", "ctrl+w").value == "maria "
    assert edit(*"maria lopez", "home", "delete", "end", "backspace").value == "aria lope"
    box = edit(*"maria lopez", "ctrl+a", "right", "right", "ctrl+k")
    assert (box.value, box.cursor) == ("ma", 2)
    box = edit(*"maria lopez", "left", "left", "ctrl+u")
    assert (box.value, box.cursor) == ("ez", 0)
    assert edit("left", "backspace", "delete", "ctrl+w").value == ""  # nothing to delete: no error


def test_keys_that_do_not_edit_are_refused_and_change_nothing() -> None:
    box = edit(*"ana")
    assert not box.key("tab", None) and not box.key("f1", None) and not box.key("ctrl+x", None)
    assert (box.value, box.cursor) == ("ana", 3)


def test_a_paste_keeps_its_first_line_without_control_characters() -> None:
    assert typed("NUNEZ\x1b[2J, ANA\r\nsecond line") == "NUNEZ[2J, ANA"
    box = edit(*"ab", "left")
    box.insert("[red]x\x07")
    assert (box.value, box.cursor) == ("a[red]xb", 7)
