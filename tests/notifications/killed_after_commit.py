"""A director submits, and the process dies right after the submission's commit, as a worker killed
by the system would: `python -m tests.notifications.killed_after_commit DATABASE_URL MAIL_PORT
PROPOSAL_ID`. Run by tests/notifications/test_killed_after_commit.py, which then starts the outbox worker.
"""

import os
import sys

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import create_app
from portal.extensions import db
from portal.proposals.models import Proposal
from tests.conftest import FormClient, make_config
from tests.factories import PASSWORD
from tests.proposals.test_form_pages import posted

KILLED = 17  # the exit status that says the process died where it was meant to


def _die(session) -> None:
    # Before anything else may run after the commit, the outbox's immediate delivery included.
    os._exit(KILLED)


def main(database_url: str, mail_port: int, proposal_id: int) -> None:
    app = create_app(make_config(database_url, mail_port))
    client = FormClient(app.test_client())
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        fields = posted(proposal, action="submit")
        owner = proposal.owner.email
    assert client.sign_in(owner, PASSWORD).status_code == 302
    path = f"/proposals/{proposal_id}/edit"
    fields["csrf_token"] = client.token(path)
    event.listen(Session, "after_commit", _die, insert=True)  # the first commit from now on
    response = client.post(path, data=fields)
    sys.exit(f"the request ended without a commit: {response.status_code}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
