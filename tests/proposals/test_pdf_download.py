"""The official PDF download: a stored file served in few queries, under the key the exports use."""

import pytest
from sqlalchemy import func, select

from portal.documents import content_hash, prepare_figure
from portal.extensions import db
from portal.proposals.models import StoredPdf
from portal.proposals.printing import (
    figure_images,
    figure_row,
    print_context,
    revision_pdf,
    submitted_content,
)
from portal.proposals.rules import find_school
from portal.proposals.services import reopen, submit
from tests import factories
from tests.documents.conftest import make_png
from tests.queries import page_queries

# The signed-in user, the proposal (each with its role grants: 4), the submitted content, the
# schools, the figures' hashes, the stored file with the ordinal: 8 (13 before), and no commit.
STORED_DOWNLOAD_QUERIES = 8


@pytest.fixture
def submitted(app_context):
    proposal = factories.proposal()
    proposal.figures.append(figure_row(prepare_figure("plot.png", make_png())))
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    return proposal


def test_a_stored_pdf_is_served_in_few_queries(submitted, client):
    client.sign_in_user(submitted.owner)
    path = f"/proposals/{submitted.id}/pdf"
    first = client.get(path)
    assert page_queries(client, path) <= STORED_DOWNLOAD_QUERIES
    again = client.get(path)
    assert (
        again.data == first.data
        and again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    )


def test_the_stored_file_is_keyed_as_the_exports_look_it_up(submitted, client):
    # The download hashes the figures' stored hashes; the exports hash the figures' bytes.
    client.sign_in_user(submitted.owner)
    data = client.get(f"/proposals/{submitted.id}/pdf").data
    content = submitted_content(submitted)
    key = content_hash(content, figure_images(submitted), print_context(submitted, content))
    assert db.session.scalar(select(StoredPdf.data).where(StoredPdf.content_hash == key)) == data


def test_a_submitted_revision_s_pdf_keeps_its_submission_time_once_reopened(submitted, client):
    # The school's copy is made when its message is sent, maybe after the director reopened the
    # proposal: it is still the PDF of the submitted version, stamped with its submission time.
    client.sign_in_user(submitted.owner)
    sent_while_submitted = client.get(f"/proposals/{submitted.id}/pdf").data
    revision = submitted.submitted_revision
    reopen(proposal=submitted, author=submitted.owner)
    db.session.commit()
    assert revision_pdf(revision) == sent_while_submitted
    assert db.session.scalar(select(func.count(StoredPdf.id))) == 1


@pytest.mark.parametrize("reference", ["ED130", "EDITE", " ED131 ", "SAME", "ED999", ""])
def test_print_context_names_schools_as_find_school_does(app_context, reference):
    factories.doctoral_school("ED130", acronym="EDITE")
    factories.doctoral_school("ED131", acronym="SAME")
    factories.doctoral_school("ED132", acronym="SAME")
    proposal = factories.proposal()
    content = {**proposal.content, "director": {**proposal.content["director"], "doctoral_school": reference}}
    school = find_school(reference) if reference else None
    expected = str(school) if school else reference
    assert print_context(proposal, content).director_school_label == expected
