"""The development mailbox: the messages the portal wrote, readable, with working links.

Registered only when DEV_MAILBOX is on (DevelopmentConfig): production never serves it, whatever
the request. It answers only requests from this machine, since it shows every confirmation and
reset link.
"""

from flask import Blueprint

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")

from portal.devmail import routes  # noqa: E402, F401  (registers the views)
