"""How many tasks wait in each queue, asked of the broker (for the administrators' outbox page).

Redis answers with the length of each queue's list; the SQLAlchemy transport of `make run` counts
its rows. A broker that cannot be reached gives None: the page says "not available".
"""

import logging

from flask import current_app

from portal.tasks.routing import QUEUES

log = logging.getLogger(__name__)


def depths() -> dict[str, int | None]:
    """Queue name → tasks waiting (taken ones not counted); None for all when the broker is down."""
    celery = current_app.extensions["celery"]
    try:
        with celery.connection_for_read() as connection:
            connection.ensure_connection(max_retries=0)
            channel = connection.default_channel
            return {queue.name: channel.queue_declare(queue=queue.name).message_count for queue in QUEUES}
    except Exception as error:  # noqa: BLE001 (a page about the queues must answer when the broker is down)
        log.warning("The broker did not say how long its queues are: %s", error)
        return dict.fromkeys(queue.name for queue in QUEUES)
