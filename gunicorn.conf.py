"""gunicorn's settings, read from the working directory (README, "Running in production")."""


def post_worker_init(worker) -> None:
    """Each web process compiles its templates and builds its password hasher before it serves
    (portal/serving.py): the deadline's first requests would otherwise all do it at once."""
    from portal.serving import warm_up

    warm_up(worker.wsgi)
