"""What `celery -A portal.tasks.entry worker` and `… beat` load: the app of PORTAL_ENV's settings."""

from portal import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
