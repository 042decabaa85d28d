"""`make run` as a newcomer runs it: one command serves the demo with its workers and scheduler.

The whole command runs, on an instance directory of its own and a free port: migrations, the demo
data, then honcho's web server, Celery workers and beat. A forgotten-password request on the served
site must be delivered by a worker (its outbox row marked sent), which proves the embedded broker
carries tasks between the processes; Ctrl+C (SIGINT to the group) must stop them all.
"""

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.mailsink import free_port

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 180


def _read_until(process: subprocess.Popen, pattern: str, seen: list[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("make run ended early:\n" + "".join(seen[-40:]))
        seen.append(line)
        if re.search(pattern, line):
            return
    raise AssertionError(f"no line matching {pattern!r} after {STARTUP_SECONDS} s:\n" + "".join(seen[-40:]))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our local server)
            return response.status == 200
    except OSError:
        return False


def _ask_for_a_reset(base: str, email: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/account/forgot-password", timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email}).encode()
    with opener.open(f"{base}/account/forgot-password", data=form, timeout=10) as response:
        assert response.status == 200


def _sent_to(database: Path, email: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT status FROM outbox_messages WHERE recipients LIKE ? AND status = 'sent'", (f"%{email}%",)
        ).fetchall()


def test_make_run_serves_the_demo_with_a_worker_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    instance = tmp_path / "instance"
    environment = {
        **os.environ,
        "PORTAL_INSTANCE_DIR": str(instance),
        "PORT": str(port),
        # The test process's own settings must not leak into the served app.
        "PORTAL_ENV": "development",
    }
    environment.pop("TEST_DATABASE_URL", None)
    environment.pop("CELERY_BROKER_URL", None)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],  # noqa: S607 (make from PATH, as the README says)
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen: list[str] = []
    try:
        _read_until(process, rf"Serving on http://127\.0\.0\.1:{port}", seen)
        output = "".join(seen)
        assert "director@demo.test" in output and "demo-password" in output
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base}/") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _answers(f"{base}/"), "the web server never answered"

        _ask_for_a_reset(base, "director@demo.test")
        database = instance / "portal.sqlite3"
        deadline = time.monotonic() + 60
        while not _sent_to(database, "director@demo.test") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _sent_to(database, "director@demo.test"), "no worker delivered the reset e-mail"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    # Every process of the group (web, workers, beat) is gone, not only make.
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
