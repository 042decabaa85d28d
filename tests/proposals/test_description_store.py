"""Pages read the description's stored HTML; a text that cannot be rendered opens at once as its
source with a notice (issue 11)."""

import json

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.interchange import import_document
from portal.proposals.models import ProposalEditor, RenderedDescription, RenderState
from portal.proposals.services import save_draft
from tests import factories
from tests.proposals.hostile import deep_formula, many_formulas
from tests.proposals.test_interchange import EXAMPLE, _call

NOTICE = "This description could not be displayed as formatted text; its source is shown."


def stored() -> list[RenderedDescription]:
    return db.session.scalars(select(RenderedDescription).order_by(RenderedDescription.id)).all()


def page(client, proposal) -> str:
    response = client.get(f"/proposals/{proposal.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def write_straight_into_the_database(proposal, text: str) -> None:
    """As a text saved before the limits existed: the draft and its submitted revision."""
    for row in (proposal, proposal.submitted_revision):
        row.content = {**row.content, "description": text}
    db.session.commit()


def co_editor(proposal):
    user = factories.user()
    proposal.editors.append(ProposalEditor(email=user.email, user=user, accepted_at=utcnow()))
    db.session.commit()
    return user


def school_staff(proposal):
    return factories.user(None, Role.school_staff, scope=proposal.director_school, two_factor=True)


@pytest.fixture
def example(app_context):
    """The example proposal of /work/shared/examples, submitted."""
    _call()
    proposal = import_document(json.loads(EXAMPLE.read_text(encoding="utf-8")), submit=True)
    db.session.commit()
    return proposal


@pytest.mark.parametrize("reader", [co_editor, school_staff])
@pytest.mark.parametrize("text", [many_formulas(), deep_formula()], ids=["8,000 formulas", "deep formula"])
def test_a_stored_hostile_text_opens_as_its_source_with_a_notice(example, client, reader, text):
    write_straight_into_the_database(example, text)
    client.sign_in_user(reader(example))
    html = page(client, example)
    assert NOTICE in html
    source = html[html.index('<pre class="description-source">') :]
    start = "&lt;b&gt;Not bold&lt;/b&gt;" if "Not bold" in text else "A formula: $\\sqrt{\\frac{1}{"
    assert source.startswith(f'<pre class="description-source">{start}')
    assert "<svg" not in html
    # Beyond the limits: refused before any rendering, so nothing to store either.
    assert stored() == []


def test_the_example_still_renders_formatted_once(example, client):
    client.sign_in_user(school_staff(example))
    html = page(client, example)
    assert NOTICE not in html
    assert "<h2>Introduction</h2>" in html and html.count("<svg") == 9
    (row,) = stored()
    assert row.state is RenderState.ok
    # The second reader gets the stored HTML: what the store holds is what the page shows.
    row.html = row.html.replace("<h2>Introduction</h2>", "<h2>From the store</h2>")
    db.session.commit()
    assert "<h2>From the store</h2>" in page(client, example)
    assert len(stored()) == 1


def test_a_changed_text_gets_a_new_key(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    assert "A short description" in page(client, proposal)
    content = {**proposal.content, "description": "Another text, $y^2$."}
    save_draft(proposal=proposal, content=content, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    assert "<svg" in page(client, proposal)
    assert len({row.key for row in stored()}) == 2


def test_figures_point_to_the_proposal_that_shows_them(app_context, client):
    from portal.documents.figures import prepare_figure
    from portal.proposals.printing import figure_row
    from tests.documents.conftest import make_png

    proposal = factories.proposal()
    proposal.figures.append(figure_row(prepare_figure("plot", make_png())))
    content = {**proposal.content, "description": "![A plot](figure:plot)"}
    save_draft(proposal=proposal, content=content, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    client.sign_in_user(proposal.owner)
    html = page(client, proposal)
    assert f'<img src="/proposals/{proposal.id}/figures/plot" alt="A plot">' in html
    assert 'src="figure:plot"' in stored()[0].html
