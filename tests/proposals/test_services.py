"""Drafts, versions, revisions, submission, reopening and withdrawal, without the web layer."""

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import ProposalState
from portal.proposals.services import (
    REVISION_WINDOW,
    NotAllowedNow,
    StaleVersion,
    SubmissionRefused,
    grant_extension,
    reopen,
    restore_revision,
    save_draft,
    start_proposal,
    submit,
    withdraw,
)
from tests import factories


def test_a_new_draft_is_filled_from_the_profile(app_context):
    unit = factories.research_unit("UMR7606")
    school = factories.doctoral_school("ED130")
    owner = factories.user(
        "ada@example.org",
        first_name="Ada",
        last_name="Lovelace",
        title="Professeure",
        hdr=True,
        address="4 place Jussieu",
        research_unit=unit,
        doctoral_school=school,
    )
    proposal = start_proposal(campaign=factories.campaign(), owner=owner)
    director = proposal.content["director"]
    assert (director["first_name"], director["last_name"], director["title"]) == (
        "Ada",
        "Lovelace",
        "Professeure",
    )
    assert director["unit"]["code"] == "UMR7606" and director["doctoral_school"] == "ED130"
    assert director["hdr"] is True and director["email"] == "ada@example.org"
    assert proposal.state is ProposalState.draft and len(proposal.revisions) == 1


def test_a_draft_saves_with_fields_missing_and_keeps_bad_values(app_context):
    proposal = factories.proposal()
    content = dict(proposal.content, title="", keywords=[])
    content["director"] = dict(
        content["director"], students=[{"name": "X", "start": "soon", "funding": "", "share": "half"}]
    )
    assert save_draft(
        proposal=proposal, content=content, base_version=proposal.version, author=proposal.owner
    )
    db.session.commit()
    row = proposal.content["director"]["students"][0]
    assert row["share"] == "half" and row["start"] == "soon" and proposal.content["title"] == ""


def test_a_save_based_on_an_old_version_is_refused_and_changes_nothing(app_context):
    proposal = factories.proposal()
    base = proposal.version
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="Tab one"),
        base_version=base,
        author=proposal.owner,
    )
    db.session.commit()
    with pytest.raises(StaleVersion) as refused:
        save_draft(
            proposal=proposal,
            content=dict(proposal.content, title="Tab two"),
            base_version=base,
            author=proposal.owner,
        )
    assert refused.value.proposal.content["title"] == "Tab one"
    db.session.rollback()
    assert proposal.content["title"] == "Tab one"


def test_saving_the_same_content_is_not_a_new_version(app_context):
    proposal = factories.proposal()
    version = proposal.version
    assert not save_draft(
        proposal=proposal, content=proposal.content, base_version=version, author=proposal.owner
    )
    assert proposal.version == version


def test_autosaves_of_one_person_make_one_revision_other_people_their_own(app_context):
    proposal = factories.proposal()
    owner, other = proposal.owner, factories.user()
    for title in ("A", "AB", "ABC"):
        save_draft(
            proposal=proposal,
            content=dict(proposal.content, title=title),
            base_version=proposal.version,
            author=owner,
        )
    db.session.commit()
    assert [revision.content["title"] for revision in proposal.revisions][-1] == "ABC"
    count = len(proposal.revisions)
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="Other"),
        base_version=proposal.version,
        author=other,
    )
    assert len(proposal.revisions) == count + 1
    proposal.revisions[-1].updated_at = utcnow() - REVISION_WINDOW - timedelta(seconds=1)
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="Later"),
        base_version=proposal.version,
        author=other,
    )
    assert len(proposal.revisions) == count + 2


def test_submission_freezes_a_version_and_is_idempotent(app_context):
    proposal = factories.proposal()
    base = proposal.version
    submit(proposal=proposal, content=proposal.content, base_version=base, author=proposal.owner)
    db.session.commit()
    assert proposal.state is ProposalState.submitted and proposal.submitted_at is not None
    revisions = len(proposal.revisions)
    # The double click: same content, same (now old) version: one submission.
    submit(proposal=proposal, content=proposal.content, base_version=base, author=proposal.owner)
    assert len(proposal.revisions) == revisions and proposal.submitted_revision.submitted


def test_two_people_submitting_different_texts_at_once(app_context):
    proposal = factories.proposal()
    base = proposal.version
    submit(proposal=proposal, content=proposal.content, base_version=base, author=proposal.owner)
    db.session.commit()
    with pytest.raises(StaleVersion):
        submit(
            proposal=proposal,
            content=dict(proposal.content, title="Other text"),
            base_version=base,
            author=proposal.owner,
        )


def test_a_refused_submission_lists_problems_and_keeps_the_draft(app_context):
    proposal = factories.proposal()
    content = dict(proposal.content, title="")
    with pytest.raises(SubmissionRefused) as refused:
        submit(proposal=proposal, content=content, base_version=proposal.version, author=proposal.owner)
    assert [problem.path for problem in refused.value.problems] == ["title"]
    assert proposal.state is ProposalState.draft and proposal.content["title"] == ""


def test_no_submission_after_the_deadline_unless_extended(app_context):
    target = factories.initiative()
    campaign = factories.campaign()
    campaign.initiatives.append(target)
    proposal = factories.proposal(campaign_row=campaign)
    campaign.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(NotAllowedNow):
        submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    grant_extension(proposal=proposal, until=utcnow() + timedelta(days=1), granted_by=factories.user())
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    assert proposal.state is ProposalState.submitted


def test_reopen_keeps_the_submitted_version_on_record(app_context):
    proposal = factories.proposal()
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    submitted_title = proposal.content["title"]
    reopen(proposal=proposal, author=proposal.owner)
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="Changed"),
        base_version=proposal.version,
        author=proposal.owner,
    )
    db.session.commit()
    assert proposal.state is ProposalState.draft and proposal.submitted_at is None
    assert proposal.submitted_revision.content["title"] == submitted_title
    assert proposal.content["title"] == "Changed"


def test_after_the_deadline_a_submitted_proposal_is_read_only(app_context):
    proposal = factories.proposal()
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    proposal.campaign.closes_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(NotAllowedNow):
        reopen(proposal=proposal, author=proposal.owner)
    with pytest.raises(NotAllowedNow):
        withdraw(proposal=proposal, author=proposal.owner)
    with pytest.raises(NotAllowedNow):
        save_draft(
            proposal=proposal, content=proposal.content, base_version=proposal.version, author=proposal.owner
        )


def test_withdraw_and_reopen(app_context):
    proposal = factories.proposal()
    withdraw(proposal=proposal, author=proposal.owner)
    assert proposal.state is ProposalState.withdrawn and proposal.withdrawn_at is not None
    reopen(proposal=proposal, author=proposal.owner)
    assert proposal.state is ProposalState.draft and proposal.withdrawn_at is None


def test_restore_makes_a_new_revision(app_context):
    proposal = factories.proposal()
    first = proposal.revisions[0]
    other = factories.user()
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="Rewritten"),
        base_version=proposal.version,
        author=other,
    )
    restore_revision(proposal=proposal, revision=first, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    assert proposal.content["title"] == first.content["title"]
    assert proposal.revisions[-1].restored_from == first.number
    assert any(revision.content["title"] == "Rewritten" for revision in proposal.revisions)


def test_an_assigned_proposal_can_be_taken_back_until_its_deadline(app_context):
    """Reviews start only once every deadline has passed: an assignment made during the call does
    not take the director's reopen and withdraw from them; the deadline does."""
    from portal.reviews.services import add_member, assign, committee_of

    proposal = factories.proposal()
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    committee = committee_of(campaign=proposal.campaign, initiative=proposal.initiative)
    reviewer = factories.reviewer()
    add_member(committee=committee, user=reviewer)
    assign(committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=reviewer)
    reopen(proposal=proposal, author=proposal.owner)
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    factories.close_call(proposal.campaign)
    with pytest.raises(NotAllowedNow, match="closed"):
        reopen(proposal=proposal, author=proposal.owner)
    with pytest.raises(NotAllowedNow, match="closed"):
        withdraw(proposal=proposal, author=proposal.owner)
