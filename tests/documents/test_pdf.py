"""The official PDF of the example proposal: labels and values in order, metadata, tags."""

import re

import pytest

from portal.documents import measure_description, render_proposal_pdf
from portal.documents.pdf import month_year
from tests.documents.conftest import reader


@pytest.fixture(scope="module")
def example_pdf(example_content, context):
    return render_proposal_pdf(example_content, context=context, figures={})


@pytest.fixture(scope="module")
def text(example_pdf):
    # pypdf breaks lines where the layout does; compare with single spaces.
    raw = "\n".join(page.extract_text() for page in reader(example_pdf).pages)
    return re.sub(r"\s+", " ", raw)


def assert_in_order(text: str, expected: list[str]) -> None:
    position = 0
    for item in expected:
        found = text.find(item, position)
        assert found >= 0, f"{item!r} missing after position {position}: …{text[position : position + 200]}…"
        position = found + len(item)


def test_description_of_the_example_takes_three_pages(example_content):
    measure = measure_description(example_content["description"], figures={}, language="en")
    assert 2 < measure.pages <= 3
    assert measure.page_count == 3
    assert measure.fits(3)
    assert not measure.fits(2)


def test_every_label_and_value_in_official_order(text):
    assert_in_order(
        text,
        [
            "Programme Instituts et Initiatives",
            "Appel à projet – campagne 2021",
            "Proposition de projet de recherche doctoral (PRD)",
            "Intitulé du projet de recherche doctoral (PRD) :",
            "Memorization in Deep Learning",
            "Directeur.rice de thèse porteur.euse du projet (titulaire d'une HDR) :",
            "NOM : LAMPRIER",  # the surname in capitals (portal/names.py)
            "Prénom : Sylvain",
            "Titre : Assistant Professor",
            "e-mail : sylvain.lamprier@lip6.fr",
            "Adresse professionnelle : LIP6, Jussieu, Bat 26, 5eme étage",
            "Unité de Recherche : LIP6",
            "Intitulé : Laboratoire d'Informatique Parisien",
            "Code : UMR7606",
            "École Doctorale de rattachement de l'équipe (future école doctorale du.de la doctorant.e) :",
            "ED130 EDITE",
            "Doctorant.e.s actuellement encadré.e.s par la.e directeur.rice de thèse",
            "Nombre de doctorant.e.s : 4",
            "Vincent Grari janvier 2019 CIFRE AXA 50 %",
            "Agnès Mustar septembre 2020 contrat ANR 50 %",
            "Jean-Yves Franceschi septembre 2018 bourse ministère 50 %",
            "Manon Cesaire novembre 2020 IRT SystemX 50 %",
            "Quotité totale d'encadrement 200 %",
            "Co-encadrant.e :",
            "NOM : OYALLON",
            "Prénom : Edouard",
            "Titre : Junior Research Scientist HDR",
            "École Doctorale de rattachement :",
            "ED130 EDITE",
            "Ou si ED non Alliance SU :",
            "Doctorant.e.s actuellement encadré.e.s par la.e co-directeur.rice de thèse",
            "Néant",
            "Selon vous, ce projet est-il susceptible d'intéresser une autre Initiative",
            "ou un autre Institut ?",
            "Oui",
            "Oui, c'est une thématique nationale prioritaire de recherche",
            "Cotutelle internationale :",
            "Non",
            "Mots-clés :",
            "Statistical signal processing, Deep learning, Generalization",
            "Description du projet de recherche doctoral (en français ou en anglais) :",
            "(cd_instituts_et_initiatives@listes.upmc.fr) avant le 20 février",
            "Introduction",
            "Memorization?",
            "Memorizing symetries",
            "Data memorization",
            "Outline",
            "Desired profile",
            "References",
        ],
    )


def test_description_starts_on_its_own_page(example_pdf):
    pages = reader(example_pdf).pages
    assert len(pages) == 2 + 3
    assert pages[2].extract_text().lstrip().startswith("Advisors:")


def test_metadata(example_pdf):
    pdf = reader(example_pdf)
    info = pdf.metadata
    assert info.title == "Memorization in Deep Learning"
    assert info.author == "Sylvain LAMPRIER"
    assert info.subject == "AAP 2021 – SCAI"
    assert info["/Keywords"] == "Statistical signal processing, Deep learning, Generalization"
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_pdf_is_tagged(example_pdf):
    root = reader(example_pdf).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/K"]
    # The joined layouts keep their tags: every page, the description's too, is in the tree.
    assert len(tree["/ParentTree"].get_object()["/Nums"]) == 2 * 5
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_co_supervisor_outside_the_alliance_and_no_co_supervisor(content, context):
    content["co_supervisor"]["doctoral_school"] = None
    content["co_supervisor"]["doctoral_school_other"] = "ED 999 Université de Nulle Part"
    content["cotutelle"] = {"answer": True, "partner": "Universität Wien", "country": "Autriche"}
    text = re.sub(
        r"\s+",
        " ",
        "".join(
            p.extract_text() for p in reader(render_proposal_pdf(content, context=context, figures={})).pages
        ),
    )
    assert_in_order(
        text,
        ["Ou si ED non Alliance SU :", "ED 999 Université de Nulle Part", "Cotutelle internationale :", "Oui",
         "Université partenaire : Universität Wien", "Pays : Autriche"],
    )  # fmt: skip
    content["co_supervisor"] = None
    content["director"]["students"] = []
    text = re.sub(
        r"\s+",
        " ",
        "".join(
            p.extract_text() for p in reader(render_proposal_pdf(content, context=context, figures={})).pages
        ),
    )
    assert_in_order(text, ["la quotité d'encadrement) :", "Néant", "Co-encadrant.e :", "Néant", "Selon vous"])
    assert "Ou si ED non Alliance SU" not in text


def test_french_proposal_sets_the_language(content, context):
    content["language"] = "fr"
    assert reader(render_proposal_pdf(content, context=context, figures={})).trailer["/Root"]["/Lang"] == "fr"


def test_month_year():
    assert month_year("2019-01") == "janvier 2019"
    assert month_year("2020-12") == "décembre 2020"
    assert month_year("bogus") == "bogus"


def test_each_page_names_its_part_and_its_place_in_it(example_pdf):
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader(example_pdf).pages]
    front = [text for text in pages if "Formulaire – page" in text]
    description = [text for text in pages if "Description – page" in text]
    assert len(front) + len(description) == len(pages)
    for number, text in enumerate(front, start=1):
        assert f"Formulaire – page {number} / {len(front)}" in text
    for number, text in enumerate(description, start=1):
        assert f"Description – page {number} / {len(description)}" in text
    # The description's count is the one its page limit is about.
    assert len(description) == 3
