"""A worker process loads fonts and stylesheets when it starts, not at its first render."""

from celery.signals import worker_process_init


@worker_process_init.connect
def _load_render_resources(**_kwargs) -> None:
    from portal.documents.layout import resources

    resources()
