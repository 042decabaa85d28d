"""A description beyond the limits is refused at every way in, with its message beside the field
and everything typed kept (issue 11: one stored draft stalled every web worker)."""

import io
import json

import pytest

from portal.extensions import db
from portal.proposals.interchange import ImportRefused, import_document
from portal.proposals.models import ProposalFigure
from tests import factories
from tests.proposals.hostile import deep_formula, many_formulas
from tests.proposals.test_form_pages import edit_path, posted
from tests.proposals.test_interchange import EXAMPLE, _call

HOSTILE = {
    "8,000 formulas": (many_formulas(), "The description is too long"),
    "500 formulas": (many_formulas(500), "The description has too many formulas: 500, at most 400."),
    "a deep formula": (deep_formula(), "A formula nests too deeply: 14 levels"),
}


@pytest.fixture
def draft(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    return proposal


@pytest.mark.parametrize("name", HOSTILE)
def test_the_form_refuses_it_beside_the_field_and_keeps_what_was_typed(draft, client, name):
    text, message = HOSTILE[name]
    saved = draft.content["description"]
    response = client.submit(edit_path(draft), posted(draft, title="Typed title", description=text))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = html.index('id="description-error"')
    assert message in html[error : error + 400]
    assert 'aria-describedby="description-error"' in html
    assert "Typed title" in html
    # Jinja escapes the textarea's text, as the notice page does.
    assert text.replace("<", "&lt;").replace(">", "&gt;")[-2000:] in html
    db.session.refresh(draft)
    assert draft.content["description"] == saved


@pytest.mark.parametrize("name", HOSTILE)
def test_autosave_refuses_it_with_the_message_for_the_field(draft, client, name):
    text, message = HOSTILE[name]
    response = client.submit(
        f"/proposals/{draft.id}/autosave", posted(draft, description=text), page=edit_path(draft)
    )
    assert response.status_code == 400
    assert response.json["status"] == "invalid" and response.json["field"] == "description"
    assert message in response.json["message"]


@pytest.mark.parametrize("name", HOSTILE)
def test_the_preview_answers_the_message_without_rendering(draft, client, name):
    text, message = HOSTILE[name]
    response = client.submit(f"/proposals/{draft.id}/preview", {"description": text}, page=edit_path(draft))
    assert response.status_code == 200
    assert message in response.json["label"]
    assert response.json["html"] == "" and response.json["fits"] is False


@pytest.mark.parametrize("name", HOSTILE)
def test_the_import_refuses_it_naming_the_description(app_context, name):
    _call()
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["description"] = HOSTILE[name][0]
    with pytest.raises(ImportRefused) as refused:
        import_document(document)
    problems = [(problem.path, problem.message) for problem in refused.value.problems]
    assert [path for path, _message in problems] == ["description"]
    assert HOSTILE[name][1] in problems[0][1]


def test_the_import_refuses_too_many_figures_before_decoding_them(app_context):
    _call()
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["figures"] = [{"name": f"f{i}", "data": "not base64!"} for i in range(13)]
    with pytest.raises(ImportRefused) as refused:
        import_document(document)
    problems = refused.value.problems
    assert not [problem for problem in problems if problem.path.endswith(".data")]  # none decoded
    assert "A description can hold at most 12 figures." in [problem.message for problem in problems]


def test_a_figure_beyond_the_count_is_refused(draft, client, app):
    app.config["DESCRIPTION_MAX_FIGURES"] = 0
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (40, 30), (20, 90, 160)).save(png, "PNG")
    png.seek(0)
    response = client.submit(
        f"/proposals/{draft.id}/figures",
        {"figure": (png, "plot.png")},
        page=edit_path(draft),
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "A description can hold at most 0 figures." in response.get_data(as_text=True)
    assert db.session.query(ProposalFigure).count() == 0


def test_french_messages(draft, client):
    client.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    fields = posted(draft, description=many_formulas(500))
    response = client.submit(f"/proposals/{draft.id}/autosave", fields, page=edit_path(draft))
    assert "trop de formules" in response.json["message"]
