"""Within the interactive queue, on Redis as in production, the page counts and previews go
before the drafts' PDFs published ahead of them (tasks/routing.PRIORITIES)."""

import os

import pytest
from celery import Celery

from portal.proposals.measures import MEASURE
from portal.proposals.renders import RENDER_PDF
from portal.tasks import INTERACTIVE, publish
from portal.tasks.settings import celery_settings
from tests.processes import RedisServer, redis_available

pytestmark = pytest.mark.skipif(
    not os.environ.get("REQUIRE_REDIS") and not redis_available(),
    reason="needs redis-server (REQUIRE_REDIS=1 makes this a failure)",
)


@pytest.fixture
def redis_celery(app, monkeypatch):
    """The app publishing to a Redis of its own (nothing consumes it but the test)."""
    server = RedisServer()
    server.start()
    # The app's broker named too: the in-process test worker then does not wait for these tasks.
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", server.url(0))
    celery = Celery("priorities", set_as_current=False)
    celery.config_from_object(celery_settings(app.config))
    monkeypatch.setitem(app.extensions, "celery", celery)
    yield celery
    server.stop()


def test_a_page_count_published_after_draft_pdfs_is_taken_first(app_context, redis_celery):
    for number in (1, 2):
        assert publish(RENDER_PDF, number, f"pdf-{number}")
    for number in (1, 2):
        assert publish(MEASURE, f"text-{number}")
    taken = []
    with redis_celery.connection_for_read() as connection:
        queue = connection.SimpleQueue(INTERACTIVE)
        for _ in range(4):
            message = queue.get(timeout=5)
            taken.append((message.headers["task"], message.headers["argsrepr"]))
            message.ack()
        queue.close()
    assert taken == [
        (MEASURE, "('text-1',)"),
        (MEASURE, "('text-2',)"),
        (RENDER_PDF, "(1, 'pdf-1')"),
        (RENDER_PDF, "(2, 'pdf-2')"),
    ]
