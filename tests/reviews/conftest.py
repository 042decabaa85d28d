"""A committee of the SCAI initiative in the AAP 2021 call, with its default rubric."""

import pytest

from portal.extensions import db
from portal.reviews.services import committee_of
from tests import factories


@pytest.fixture
def committee(app_context):
    target = factories.initiative("SCAI")
    campaign = factories.campaign(2021)
    campaign.initiatives.append(target)
    db.session.commit()
    row = committee_of(campaign=campaign, initiative=target)
    db.session.commit()
    return row
