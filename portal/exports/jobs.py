"""Rendering missing PDFs in the background: one thread per process, fed a queue of proposal ids.

Progress is read from the database (how many of a selection's PDFs are stored), not from this
process's memory: any worker process can answer the progress page, and a restart loses nothing
but the queue, which the next visit of that page fills again.
"""

import logging
import threading
from collections import deque

from flask import Flask

from portal.extensions import db

log = logging.getLogger(__name__)

_lock = threading.Lock()
_queue: deque[int] = deque()
_queued: set[int] = set()
_failed: set[int] = set()
_thread: threading.Thread | None = None


def enqueue(app: Flask, ids: list[int]) -> None:
    """Queue these proposals' PDFs (once each) and start the thread if it is not running."""
    global _thread
    with _lock:
        for proposal_id in ids:
            if proposal_id not in _queued and proposal_id not in _failed:
                _queued.add(proposal_id)
                _queue.append(proposal_id)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, args=(app,), name="exports-render", daemon=True)
            _thread.start()


def pending() -> int:
    with _lock:
        return len(_queued)


def failed(ids: list[int]) -> list[int]:
    """Those of `ids` whose rendering failed in this process (not tried again until a restart)."""
    with _lock:
        return [proposal_id for proposal_id in ids if proposal_id in _failed]


def wait(timeout: float | None = None) -> None:
    """Until the queue is empty (tests, and the command line never needs it)."""
    thread = _thread
    if thread is not None:
        thread.join(timeout)


def _work(app: Flask) -> None:
    global _thread
    from portal.exports.bundle import render_one

    while True:
        with _lock:
            if not _queue:
                _thread = None
                return
            proposal_id = _queue.popleft()
        try:
            with app.app_context():
                render_one(proposal_id)
                db.session.commit()
        except Exception:
            # One bad proposal (a render past the time limit) must not stop the others.
            log.exception("rendering the PDF of proposal %s for an export failed", proposal_id)
            with _lock:
                _failed.add(proposal_id)
        finally:
            with _lock:
                _queued.discard(proposal_id)
