"""A real Celery worker process on Redis, for the tests of the time limits, which only a prefork
worker enforces (the suite's worker thread cannot stop a task): `celery -A tests.prefork_worker
worker`, configured by the environment that tests/proposals/test_render_limits.py sets.
"""

import os

from portal import create_app
from tests.conftest import make_config

flask_app = create_app(
    make_config(
        os.environ["PRD_TEST_DATABASE_URL"],
        0,
        CELERY_BROKER_URL=os.environ["PRD_TEST_BROKER_URL"],
        RENDER_TIME_LIMIT=float(os.environ["PRD_TEST_RENDER_TIME_LIMIT"]),
        RENDER_HARD_TIME_LIMIT=float(os.environ.get("PRD_TEST_RENDER_HARD_TIME_LIMIT", 0)),
    )
)
celery = flask_app.extensions["celery"]
if os.environ.get("PRD_TEST_IGNORE_SOFT_LIMIT"):
    # As a render that swallows the soft limit's exception would: only the hard limit stops it.
    celery.conf.task_soft_time_limit = None
