"""One rule for a person's name (portal/names.py), the same on the proposal page, in the school's
e-mail, in the PDF and its metadata, and in the file name."""

import io

import pytest
from flask import current_app
from pypdf import PdfReader

from portal.documents.pdf import render_proposal_pdf
from portal.extensions import db
from portal.names import formal_name, listed_name, spoken_name, surname_in_capitals
from portal.notifications.mail import render_message
from portal.proposals.printing import figure_images, pdf_filename, print_context
from tests import factories

# (as typed, in capitals by the rule)
HARD_SURNAMES = [
    ("Dupont", "DUPONT"),
    ("d'Alembert", "d'ALEMBERT"),
    ("D'ALEMBERT", "d'ALEMBERT"),
    ("d’Ormesson", "d’ORMESSON"),
    ("de La Fontaine", "de LA FONTAINE"),
    ("  de   la  Tour ", "de la TOUR"),
    ("van der Waals", "van der WAALS"),
    ("von Neumann", "von NEUMANN"),
    ("Lévi-Strauss", "LÉVI-STRAUSS"),
    ("García Márquez", "GARCÍA MÁRQUEZ"),
    ("Le Goff", "LE GOFF"),
    ("De Gaulle", "DE GAULLE"),
    ("DE LA TOUR", "de la TOUR"),
    ("N’Diaye", "N’DIAYE"),
    ("O'Neill", "O'NEILL"),
    # A particle alone is the whole surname.
    ("Da", "DA"),
    ("Van", "VAN"),
    ("Dell", "DELL"),
]


@pytest.mark.parametrize(("typed", "capitals"), HARD_SURNAMES)
def test_the_surname_is_in_capitals_except_its_leading_particles(typed, capitals):
    assert surname_in_capitals(typed) == capitals


def test_the_three_forms_of_a_name():
    person = {"first_name": " Jean  le Rond ", "last_name": "d'Alembert"}
    assert spoken_name(person) == "Jean le Rond d'Alembert"
    assert formal_name(person) == "Jean le Rond d'ALEMBERT"
    assert listed_name(person) == "d'ALEMBERT Jean le Rond"
    assert formal_name({"first_name": "", "last_name": ""}) == ""


@pytest.mark.parametrize(("typed", "capitals"), [HARD_SURNAMES[1], HARD_SURNAMES[4], HARD_SURNAMES[6]])
def test_every_place_writes_the_name_by_the_same_rule(app_context, client, typed, capitals):
    owner = factories.user(first_name="Jean", last_name=typed)
    campaign, _initiative = factories.call_with_initiative("SCAI")
    proposal = factories.submitted_proposal(campaign, owner)
    content = proposal.submitted_revision.content
    content_director = {**content["director"], "first_name": "Jean", "last_name": typed}
    content = {**content, "director": content_director}
    proposal.submitted_revision.content = content
    proposal.content = content
    db.session.commit()
    expected = f"Jean {capitals}"

    client.sign_in_user(owner)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"<dd>{expected}</dd>" in page.replace("&#39;", "'")

    with current_app.test_request_context():
        message = render_message(
            to="ed@example.org",
            template="proposal_transmitted",
            locale="fr",
            proposal=proposal,
            revision=proposal.submitted_revision,
            reference="PRD-0000-0001",
            url="http://example.org/",
        )
    assert expected in message.get_body(("plain",)).get_content()

    pdf = PdfReader(
        io.BytesIO(
            render_proposal_pdf(
                content, context=print_context(proposal, content), figures=figure_images(proposal)
            )
        )
    )
    assert pdf.metadata.author == expected
    front = pdf.pages[0].extract_text()
    assert capitals in front and typed.strip() not in front.replace(capitals, "")

    assert pdf_filename(proposal, content).endswith(f"– {capitals}.pdf")
