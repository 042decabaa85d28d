"""A Celery worker in a thread of the test process, on kombu's in-memory broker.

Every app the tests make publishes to that broker; the worker runs each task in the app of the
test that is running (`serve`). `wait_idle` returns once every published task has run, so that a
test reads the mailbox or the database after the work it caused, without sleeping.
"""

import threading
import time
from contextlib import contextmanager

from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish, task_postrun
from flask import Flask, current_app, has_app_context

from portal.tasks.app import FlaskTask
from portal.tasks.settings import TASK_MODULES, celery_settings


class _InFlight:
    """Tasks published and not yet run, counted from Celery's signals in this process."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def add(self, delta: int) -> None:
        with self.changed:
            self.count += delta
            self.changed.notify_all()


_in_flight = _InFlight()


@after_task_publish.connect
def _published(**_kwargs) -> None:
    # Only what this thread's worker runs: an app on Redis feeds a worker process of its own
    # (tests/prefork_worker.py).
    if has_app_context() and not current_app.config["CELERY_BROKER_URL"].startswith("memory://"):
        return
    _in_flight.add(1)


@task_postrun.connect
def _ran(**_kwargs) -> None:
    _in_flight.add(-1)


def wait_idle(timeout: float = 60.0) -> None:
    """Until every task published so far, and those they published, has run."""
    deadline = time.monotonic() + timeout
    with _in_flight.changed:
        while _in_flight.count > 0:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{_in_flight.count} task(s) still not run after {timeout} s")
            _in_flight.changed.wait(left)


class InProcessWorker:
    def __init__(self, celery: Celery):
        self.celery = celery

    def serve(self, flask_app: Flask) -> None:
        """Run the coming tasks in this app (the current test's settings and database)."""
        self.celery.flask_app = flask_app
        # A task called directly (`measure_text(key)`) runs in the current Celery app, which is
        # the last one created: another test's `create_app` would run it on that test's database.
        self.celery.set_current()

    @staticmethod
    def wait_idle(timeout: float = 60.0) -> None:
        wait_idle(timeout)

    def purge(self) -> None:
        """Drop what is queued and not taken (a test that stopped waiting)."""
        with self.celery.connection_for_write() as connection:
            for queue in self.celery.conf.task_queues:
                queue.bind(connection.default_channel).purge()


@contextmanager
def in_process_worker(flask_app: Flask):
    import importlib

    celery = Celery("tests", task_cls=FlaskTask)
    celery.config_from_object(celery_settings(flask_app.config))
    celery.flask_app = flask_app
    for module in TASK_MODULES:
        importlib.import_module(module)
    with start_worker(celery, pool="threads", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
        yield InProcessWorker(celery)
