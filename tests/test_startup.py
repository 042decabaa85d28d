"""A `flask` command or a web process does not load the print machinery it does not use."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(instance: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PORTAL_ENV": "development", "FLASK_APP": "wsgi"}
    environment["PORTAL_INSTANCE_DIR"] = str(instance)
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_app_starts_without_weasyprint(tmp_path):
    loaded = "sorted(m for m in sys.modules if m.startswith('weasyprint'))"
    answer = _run(tmp_path, "-c", f"import sys, wsgi; print({loaded})")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "[]"


def test_flask_help_prints_no_stylesheet_progress(tmp_path):
    answer = _run(tmp_path, "-m", "flask", "--help")
    assert answer.returncode == 0, answer.stderr
    assert "Fetching and parsing CSS" not in answer.stdout + answer.stderr
    assert "seed-demo" in answer.stdout
