"""What bench/rush.py runs against, started on 127.0.0.1 and removed after: a fresh PostgreSQL
database, a flushed Redis database, an SMTP sink, and the README's production units: gunicorn,
K Celery workers on the interactive queue (as K machines would run them), one on submission, one
on bulk, and the scheduler.
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from celery import Celery

from tests.mailsink import MailSink, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CELERY_APP = "portal.tasks.entry"
SUBMISSION_NICE = 15  # README, "Running in production"
BULK_NICE = 19


@dataclass
class Options:
    web_workers: int
    threads: int
    celery_workers: int
    worker_concurrency: int
    worker_nice: int  # the README's units: renders yield the CPU to the web's answers
    redis_db: int
    server_url: str  # PostgreSQL server, e.g. postgresql+psycopg://postgres@localhost
    app_module: str = "wsgi:app"  # what gunicorn serves (bench/public.py: the app with a bare route)


@dataclass
class Stack:
    options: Options
    database: str = field(default_factory=lambda: f"rush_{os.getpid()}_{secrets.token_hex(3)}")
    port: int = field(default_factory=free_port)
    logs: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rush-")))
    sink: MailSink = field(default_factory=MailSink)
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    database_created: bool = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"{self.options.server_url}/{self.database}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:6379/{self.options.redis_db}"

    def environment(self) -> dict[str, str]:
        """Production settings, pointed at what this stack started."""
        return {
            **os.environ,
            "PORTAL_ENV": "production",
            "FLASK_APP": "wsgi",
            "SECRET_KEY": self._secret,
            "DATABASE_URL": self.database_url,
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.sink.port),
            # Plain http on localhost: a Secure cookie would never come back.
            "SESSION_COOKIE_SECURE": "false",
            "PUBLIC_URL": self.base_url,
            "PORTAL_INSTANCE_DIR": str(self.logs / "instance"),
        }

    def __post_init__(self) -> None:
        self._secret = secrets.token_hex(32)

    def start_data_services(self) -> None:
        """The database, Redis and the mail sink; the schema by `flask db upgrade`."""
        self._flush_redis()
        with psycopg.connect(self._admin_dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.database_created = True
        self.sink.start()
        subprocess.run(
            [BIN / "flask", "db", "upgrade"],
            cwd=ROOT,
            env=self.environment(),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start_servers(self) -> None:
        """gunicorn as in the README's production section, then the background workers."""
        gunicorn = [BIN / "gunicorn", "--workers", str(self.options.web_workers)]
        if self.options.threads > 1:
            gunicorn += ["--threads", str(self.options.threads)]
        gunicorn += ["--bind", f"127.0.0.1:{self.port}", self.options.app_module]
        self._spawn("gunicorn", gunicorn)
        self._start_celery()
        self._wait_until_serving()
        self._wait_for_workers()

    def start_workers(self) -> None:
        """Only the background workers and the scheduler (bench/scale_out.py)."""
        self._start_celery()
        self._wait_for_workers()

    def _start_celery(self) -> None:
        for number in range(1, self.options.celery_workers + 1):
            self._spawn_worker(
                f"worker-{number}", "interactive", self.options.worker_nice, self.options.worker_concurrency
            )
        # The school's PDFs below the page counts (their message has minutes, a director waits
        # seconds), bulk work (renders ahead, exports) below both.
        self._spawn_worker("worker-submission", "submission", SUBMISSION_NICE, 1)
        self._spawn_worker("worker-bulk", "bulk", BULK_NICE, 1)
        self._spawn(
            "beat",
            [
                BIN / "celery",
                "-A",
                CELERY_APP,
                "beat",
                "-l",
                "warning",
                "-s",
                str(self.logs / "beat-schedule"),
            ],
        )

    def _spawn_worker(self, name: str, queue: str, nice: int, concurrency: int) -> None:
        command = ["nice", "-n", str(nice)] if nice else []
        command += [
            BIN / "celery",
            "-A",
            CELERY_APP,
            "worker",
            "-Q",
            queue,
            "--concurrency",
            str(concurrency),
        ]
        level = os.environ.get("RUSH_WORKER_LOG", "warning")
        self._spawn(name, [*command, "-n", f"rush-{name}@%h", "-l", level])

    def _spawn(self, name: str, command: list) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        # A process group of its own: stopping it stops the processes it forked (gunicorn's,
        # Celery's). Not a session: Linux gives each session its own scheduling group
        # (autogroup), whose share of the processors ignores the niceness of the units inside,
        # so that the bulk worker at nice 19 would get as much as the web (docs/pdf.md).
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        self.processes.append((name, process))

    def groups(self) -> dict[str, int]:
        """Each unit's name and process group (its leader's pid: every unit starts a group of its own)."""
        return {name: process.pid for name, process in self.processes if process.poll() is None}

    def _wait_until_serving(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped at start: see {self.logs / (name + '.log')}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/account/sign-in", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {seconds:.0f} s: see {self.logs}")

    def _wait_for_workers(self, seconds: float = 90) -> None:
        """Until every worker answers a ping: a rush must not start while they load."""
        expected = self.options.celery_workers + 2
        client = Celery(broker=self.redis_url)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(client.control.ping(timeout=1.0)) >= expected:
                return
        raise RuntimeError(f"{expected} Celery workers not ready after {seconds:.0f} s: see {self.logs}")

    def stop(self) -> None:
        """Every process started here, the mail sink, the Redis keys and the database."""
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()
        self.sink.stop()
        self._flush_redis()
        if self.database_created:
            with psycopg.connect(self._admin_dsn(), autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.database_created = False

    def _flush_redis(self) -> None:
        redis.Redis.from_url(self.redis_url).flushdb()

    def _admin_dsn(self) -> str:
        return self.options.server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
