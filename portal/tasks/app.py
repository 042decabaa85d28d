"""The Celery application of a Flask application: each task runs inside its app context."""

from celery import Celery, Task
from flask import Flask

from portal.tasks.settings import celery_settings


class FlaskTask(Task):
    """A task with the Flask app's context (its configuration, its database session) around it."""

    def __call__(self, *args, **kwargs):
        with self.app.flask_app.app_context():
            return super().__call__(*args, **kwargs)


def init_celery(app: Flask) -> Celery:
    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.config_from_object(celery_settings(app.config))
    celery.flask_app = app
    app.extensions["celery"] = celery
    return celery
