"""The committee pages' common start: SCAI's committee of 2021, its programme staff signed in."""

import pytest

from portal.auth.models import Role
from portal.extensions import db
from portal.reviews.services import committee_of
from tests import factories


@pytest.fixture
def desk(app_context, client):
    """The committee; `desk.staff` is the member of SCAI's programme staff who is signed in."""
    scai = factories.initiative("SCAI")
    campaign = factories.campaign(2021)
    campaign.initiatives.append(scai)
    db.session.commit()
    committee = committee_of(campaign=campaign, initiative=scai)
    db.session.commit()
    staff = factories.user("staff@example.org", Role.programme_staff, scope=scai, two_factor=True)
    client.sign_in_user(staff)
    committee.staff = staff
    return committee
