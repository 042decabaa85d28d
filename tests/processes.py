"""Real services in processes of their own, for the fault tests: a private Redis on a free port
(stopped and started again by the test), a prefork Celery worker (`celery -A portal.tasks.entry
worker`) whose pool processes a test may kill, and its scheduler (`celery … beat`, the outbox sweep).

Each is started and stopped by its own process id only; the worker's log is kept in a file, read
back by the tests to say what the worker did when one fails.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.mailsink import free_port

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """The condition's first true value; fails the test, naming `what`, after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(interval)


class RedisServer:
    """redis-server on 127.0.0.1 and a free port, nothing saved to disk; `url(db)` for a database."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, f"Redis answering on port {self.port}")

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (the worker's pool), read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


class CeleryWorker:
    """`celery -A portal.tasks.entry worker` on every queue, and `… beat` beside it, in production
    settings read from `environment` (DATABASE_URL, CELERY_BROKER_URL, MAIL_*, RENDER_TIME_LIMIT…).
    The scheduler is a process of its own, so that the worker's children are its pool only."""

    def __init__(self, environment: dict[str, str], log: Path, *, concurrency: int = 1):
        self.environment = environment
        self.log = log
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "PORTAL_ENV": "production",
            "CELERY_BEAT_SCHEDULE_FILE": str(self.log.with_suffix(".schedule")),
            "PYTHONPATH": str(ROOT),
            **self.environment,
        }
        output = {"cwd": ROOT, "env": env, "stdout": self.log.open("ab"), "stderr": subprocess.STDOUT}
        self.beat = subprocess.Popen(
            [str(CELERY), "-A", "portal.tasks.entry", "beat", "--loglevel", "INFO"], **output
        )
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "portal.tasks.entry",
                "worker",
                "-Q",
                "interactive,submission,bulk",
                "-P",
                "prefork",
                "-c",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"fault{os.getpid()}@%h",
            ],
            **output,
        )
        wait_for(self._ready, 60, "the Celery worker ready", interval=0.1)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the worker stopped at start:\n{self.log_text()}")
        return " ready." in self.log_text() and len(self.pool()) >= self.concurrency

    def pool(self) -> set[int]:
        """The pool processes, those that run the tasks."""
        return _children(self.process.pid)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        for process in (self.process, self.beat):
            if process is None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        self.process = self.beat = None
