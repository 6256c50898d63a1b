"""The domain modules know nothing of the UI: importing them must not load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = ["senr", "fields", "codes", "validation", "ods", "registry", "names", "blocking", "comparisons",
          "matching", "run", "workspace", "decisions", "queue", "lock", "export", "selections", "report",
          "safefiles", "synthetic"]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module):
    code = f"import sys, ssid_tui.{module}; print('textual' in sys.modules or any(m.startswith('textual.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_the_cli_loads_textual_only_for_the_review_app():
    code = "import sys, ssid_tui.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
