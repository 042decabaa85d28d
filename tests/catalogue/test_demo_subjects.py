"""The demo publishes AAP 2021's funded subjects and its waiting list, with formulas and figures."""

import re

from portal.demo.seed import seed_demo
from portal.extensions import db


def test_the_demo_publishes_its_2021_subjects_with_formulas_and_figures(app_context, apps, client):
    seed_demo()
    db.session.commit()
    apps.task_worker.wait_idle()  # the public texts' renderings, queued by the consent
    listing = client.get("/subjects/2021/?lang=fr").get_data(as_text=True)
    titles = re.findall(r'<h2 lang="\w+"><a href="(/subjects/2021/\d+)\?lang=fr">([^<]+)</a>', listing)
    assert sorted(title for _, title in titles) == [
        "Apprentissage frugal pour l’imagerie médicale",
        "Graph neural networks for molecular property prediction",
        "Optimisation non convexe et généralisation des réseaux profonds",
    ]
    assert "Robustness certificates" not in listing  # not funded
    assert "Liste d’attente" in listing and "Financé" in listing
    for path, _title in titles:
        page = client.get(path).get_data(as_text=True)
        assert 'class="math' in page and "<figcaption>" in page, path
        figure = re.search(r'<img src="([^"]+)"', page).group(1)
        assert client.get(figure).mimetype == "image/png"
        assert "Doctorant·e de démonstration" not in page and "4 place Jussieu" not in page
