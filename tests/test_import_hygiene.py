"""The domain packages know nothing of the terminal, and the CLI loads Textual only for `review`.

Each check runs in a fresh interpreter, so that what another test imported cannot hide
what a module pulls in. (import-linter checks the same rules statically in CI; this
test also sees imports made at run time.)
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ssid_tui

DOMAIN_PACKAGES = ("files", "formats", "validation", "matching", "workspace", "exports", "synthetic")
TERMINAL_PACKAGES = ("textual", "rich", "typer")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def domain_modules() -> list[str]:
    """Every module of the domain packages, found on disk (a new module is checked without listing it)."""
    out = []
    for package in DOMAIN_PACKAGES:
        out.append(f"ssid_tui.{package}")
        path = [str(Path(ssid_tui.__file__).parent / package)]
        out += [m.name for m in pkgutil.walk_packages(path, prefix=f"ssid_tui.{package}.")]
    return out


def loaded_after(code: str) -> set[str]:
    """The terminal packages (textual, rich, typer) loaded after running `code` in a fresh interpreter."""
    probe = (
        f"{code}\nimport sys\n"
        f"print(' '.join(p for p in {TERMINAL_PACKAGES!r} if any(m == p or m.startswith(p + '.') for m in sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_the_domain_modules_are_all_found():
    modules = domain_modules()
    assert "ssid_tui.workspace.decisions" in modules and "ssid_tui.formats.results" in modules
    assert len(modules) > 30


@pytest.mark.parametrize("module", domain_modules())
def test_a_domain_module_loads_no_terminal_package(module):
    assert loaded_after(f"import {module}") == set()


def test_the_probe_sees_a_terminal_package_when_one_is_loaded():
    assert loaded_after("import ssid_tui.ui.render") >= {"rich"}


def test_the_cli_loads_textual_only_for_the_review_app(tmp_path):
    runner = "from typer.testing import CliRunner\nfrom ssid_tui.cli import app\n"
    assert "textual" not in loaded_after("import ssid_tui.cli")
    senr = tmp_path / "senr.txt"
    senr.write_bytes((FIXTURES / "senr_clean.txt").read_bytes())
    validate = f"{runner}CliRunner().invoke(app, ['validate', {str(senr)!r}])"
    assert "textual" not in loaded_after(validate)
    missing = str(tmp_path / "missing.sqlite")
    status = f"{runner}CliRunner().invoke(app, ['status', {missing!r}])"
    assert "textual" not in loaded_after(status)
    review = f"{runner}CliRunner().invoke(app, ['review', {missing!r}])"
    # without a terminal (as here) review stops before it loads the app at all
    assert "textual" not in loaded_after(review)


def test_the_cli_reaches_the_review_app_only_inside_the_review_command():
    """`ssid_tui.cli` never imports the ui package itself; `review` imports it when it runs."""
    probe = "import sys, ssid_tui.cli\nprint(any(m == 'ssid_tui.ui' or m.startswith('ssid_tui.ui.') for m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
    source = (Path(ssid_tui.__file__).parent / "cli" / "review.py").read_text(encoding="utf-8")
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not any("ssid_tui.ui" in line for line in top_level)
    assert "    from ssid_tui.ui.app import ReviewApp" in source


def test_no_test_module_imports_another():
    """Shared builders live in tests/support/ and fixtures in conftest.py, never in a test module."""
    tests = Path(__file__).resolve().parent
    offenders = [p.name for p in tests.glob("test_*.py")
                 if re.search(r"^\s*(from|import)\s+tests\.test_", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []
