"""The domain modules know nothing of the UI: importing them must not load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = ["formats.senr", "formats.senr_fields", "formats.codes", "formats.ods", "validation.rules",
          "matching.registry", "matching.names", "matching.blocking", "matching.comparisons",
          "matching.matcher", "workspace.match_run", "workspace.store", "workspace.decisions",
          "workspace.queue", "files.lock", "files.safe", "exports.writers", "exports.selections",
          "exports.report", "synthetic.generator"]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module):
    code = f"import sys, ssid_tui.{module}; print('textual' in sys.modules or any(m.startswith('textual.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_the_cli_loads_textual_only_for_the_review_app():
    code = "import sys, ssid_tui.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
