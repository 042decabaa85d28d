"""Layouts and PDFs with a time limit, in a persistent worker process that is killed on overrun.

signal.alarm only works in the main thread, and the dev server and gunicorn's threads are not;
a thread cannot be stopped. So rendering runs in a child process that keeps its fonts and its
layout cache between calls, and is killed (then replaced on the next call) when it overruns.
The child is a fresh interpreter (`python -m portal.documents.serve`), not a fork: forking a
threaded server can deadlock, and multiprocessing's spawn/forkserver re-run the main module
(gunicorn's, flask's, a script's) in the child.
"""

import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal.documents.errors import DocumentError, RenderTimeout

logger = logging.getLogger(__name__)

DEFAULT_SECONDS = 20.0
_ROOT = Path(__file__).resolve().parents[2]

_lock = threading.Lock()
_worker: "_Worker | None" = None


class RenderFailed(DocumentError):
    """The worker died or returned something unexpected."""


class _Worker:
    def __init__(self):
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_ROOT), *sys.path])}
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "portal.documents.serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
            cwd=str(_ROOT),
        )
        # The connections own their copies of the pipes; the Popen file objects are closed now.
        self.sender = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.receiver = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, fn: Callable, args: tuple, kwargs: dict, seconds: float):
        self.sender.send((fn, args, kwargs))
        if not self.receiver.poll(seconds):
            raise TimeoutError
        ok, value = self.receiver.recv()
        if ok:
            return value
        raise value

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.sender.close()
        self.receiver.close()


def serve() -> None:
    """The worker's loop: run each call, send back its result or its exception."""
    # The pipe to the parent is a private copy of stdout; stray prints go to stderr instead.
    connection_out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    connection_in = Connection(0, writable=False)
    from portal.documents.layout import resources

    resources()  # fonts and stylesheet ready before the first call
    while True:
        try:
            fn, args, kwargs = connection_in.recv()
        except EOFError:
            return
        try:
            reply = (True, fn(*args, **kwargs))
        except Exception as error:  # every failure goes back to the caller, the loop goes on
            reply = (False, error)
        try:
            connection_out.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            connection_out.send((False, RenderFailed(f"{type(reply[1]).__name__}: {reply[1]}")))


def render_with_time_limit(fn: Callable, *args, seconds: float | None = DEFAULT_SECONDS, **kwargs):
    """Run `fn(*args, **kwargs)` in the worker; raise RenderTimeout after `seconds`.

    `fn` must be a module-level function (it is pickled by name); `seconds=None` runs it here.
    """
    if seconds is None:
        return fn(*args, **kwargs)
    with _lock:
        started = time.monotonic()
        worker = _running()
        try:
            return worker.call(fn, args, kwargs, seconds)
        except TimeoutError:
            _discard()
            logger.warning("%s stopped after %.1f s", getattr(fn, "__name__", fn), time.monotonic() - started)
            raise RenderTimeout(_l("The document took too long to lay out and was stopped.")) from None
        except (EOFError, OSError, BrokenPipeError):
            _discard()
            raise RenderFailed(_l("The document could not be made; please try again.")) from None


def _discard() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def _running() -> _Worker:
    """The live worker, started if there is none; the caller holds _lock."""
    global _worker
    if _worker is None or not _worker.alive():
        _worker = _Worker()
    return _worker


def start_worker() -> None:
    """Start the worker now, so that the first render does not wait for its start-up (tests)."""
    with _lock:
        _running()


def stop_worker() -> None:
    """Stop the worker process (tests, shutdown); the next call starts a new one."""
    with _lock:
        _discard()


def exit_for_tests() -> None:
    """Die like a worker killed by the system (out of memory…); used by the tests."""
    os._exit(1)
