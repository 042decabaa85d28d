"""Celery's settings, read from the Flask configuration (config.py, README "Configuration")."""

from typing import Any

from portal.tasks.routing import BULK, QUEUES

# Every module that defines tasks: a worker imports them at start.
TASK_MODULES = (
    "portal.notifications.tasks",
    "portal.exports.tasks",
    "portal.proposals.tasks",
    "portal.catalogue.tasks",
    "portal.tasks.warm",
)


def celery_settings(config: dict[str, Any]) -> dict[str, Any]:
    render_limit = float(config["RENDER_TIME_LIMIT"])
    # The hard limit kills the worker process (then replaced) when a render ignores the soft one,
    # which raises inside the task so that it can record the failure.
    hard_limit = float(config.get("RENDER_HARD_TIME_LIMIT") or render_limit + 10)
    broker = config["CELERY_BROKER_URL"]
    transport_options: dict[str, Any] = {}
    if broker.startswith(("redis://", "rediss://")):
        # A task taken by a worker that dies is given to another after this long: longer than any
        # task may run, or a slow one would run twice.
        transport_options = {"visibility_timeout": max(300, 4 * int(hard_limit)), "socket_connect_timeout": 1}
    elif broker.startswith("memory://"):
        # The tests' in-process broker: an idle worker looks for work this often. (The SQLAlchemy
        # transport of `make run` passes its options to create_engine, so it keeps its 1 s.)
        transport_options = {"polling_interval": 0.05}
    return {
        "broker_url": broker,
        "broker_transport_options": transport_options,
        # A web request must not hang on a broker that is down: the outbox row waits for the sweep.
        "broker_connection_timeout": 1.0,
        "broker_connection_retry_on_startup": True,
        "task_publish_retry": False,
        "task_queues": QUEUES,
        "task_default_queue": BULK,
        # Acknowledged once done, given back if its worker dies: every task is idempotent.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "task_soft_time_limit": render_limit,
        "task_time_limit": hard_limit,
        "worker_hijack_root_logger": False,
        "beat_schedule": {
            "sweep-outbox": {
                "task": "notifications.sweep_outbox",
                "schedule": float(config["OUTBOX_SWEEP_SECONDS"]),
                "options": {"queue": BULK},
            },
            "clean-stored-pdfs": {
                "task": "proposals.clean_stored_pdfs",
                "schedule": float(config["PDF_CLEANUP_SECONDS"]),
                "options": {"queue": BULK},
            },
        },
        "beat_schedule_filename": config["CELERY_BEAT_SCHEDULE_FILE"],
        "imports": TASK_MODULES,
        "timezone": "UTC",
    }
