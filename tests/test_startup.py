"""What a `flask` command or a web process loads at start: not the print machinery it does not
use; the templates and the password hasher before the first request."""

import os
import runpy
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from portal.auth import passwords
from portal.serving import web_templates

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


def test_a_web_process_compiles_its_pages_before_serving(app):
    """gunicorn.conf.py's hook, as gunicorn calls it once the process has loaded the app."""
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    app.jinja_env.cache.clear()
    hooks["post_worker_init"](SimpleNamespace(wsgi=app))
    compiled = {name for _loader, name in app.jinja_env.cache}
    assert {"auth/sign_in.html", "proposals/edit.html", "public/subject.html"} <= compiled
    assert set(web_templates(app)) <= compiled
    assert not any(name.startswith("print/") for name in compiled)


def test_simultaneous_first_sign_ins_build_the_password_hasher_once():
    """Outside an app context the production cost holds (37 ms a hash): slow enough for eight
    threads to meet on an unguarded cache."""
    passwords._hasher_with.cache_clear()
    start = threading.Barrier(8)

    def sign_in() -> None:
        start.wait()
        assert not passwords.verify_password(None, "a wrong password")

    threads = [threading.Thread(target=sign_in) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert passwords._hasher_with.cache_info().misses == 1
