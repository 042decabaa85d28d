"""Background work on Celery: the app bound to Flask, its settings and queues, and publishing
after the commit of the transaction that makes the work necessary.

The task functions live with their domains (portal/notifications/tasks.py, portal/proposals/tasks.py,
portal/exports/tasks.py); this package knows only how they are run.
"""

from portal.tasks.app import init_celery
from portal.tasks.dispatch import after_commit, publish
from portal.tasks.routing import BULK, INTERACTIVE, SUBMISSION

__all__ = ["BULK", "INTERACTIVE", "SUBMISSION", "after_commit", "init_celery", "publish"]
