"""The published side of the demo's AAP 2021: the funded subjects and the waiting list have full
descriptions (formulas, a table, a figure), their directors agreed to publication, and the call
publishes its funded subjects and its waiting list."""

import io
import math

from PIL import Image, ImageDraw

from portal.catalogue.models import CallPublication, PublicationPolicy
from portal.catalogue.services import record_submission, set_policy
from portal.documents.figures import prepare_figure
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.printing import figure_row
from portal.reference.models import Campaign

# Written for the demo, by index in reviews.PROPOSALS_2021; the others keep a short text.
DESCRIPTIONS = {
    0: r"""## Contexte

Les réseaux profonds sont entraînés en minimisant un risque empirique non convexe
$\widehat{R}(\theta) = \frac{1}{n} \sum_{i=1}^{n} \ell(f_\theta(x_i), y_i)$, et pourtant la
descente de gradient trouve des minima qui **généralisent**. Pourquoi ?

## Objectif scientifique

La thèse étudie la dynamique $\theta_{t+1} = \theta_t - \eta \nabla \widehat{R}(\theta_t)$ près
des minima plats, et cherche à borner l'écart de généralisation :

$$R(\theta) - \widehat{R}(\theta) \le \sqrt{\frac{\mathrm{KL}(Q \| P) + \log\frac{2\sqrt{n}}{\delta}}{2n}}$$

![Figure 1 : risque empirique et risque de test au fil de l'entraînement](figure:courbes)

| Année | Travail | Livrable |
|---|---|---|
| 1 | modèles linéaires profonds | bornes exactes |
| 2 | réseaux à deux couches | analyse de la dynamique |
| 3 | architectures réelles | expériences et logiciel libre |

## Profil recherché

Master en mathématiques appliquées ou en informatique, goût pour la théorie et l'expérience.

## Candidater

Envoyez un CV, vos relevés de notes de master et une lettre de motivation à l'adresse de contact
indiquée sur cette page.
""",
    1: r"""## Context

The properties of a molecule do not change when it is rotated or when its atoms are renumbered.
Message passing networks update each atom's state $h_v$ from its neighbours:

$$h_v^{(k+1)} = \phi\Big(h_v^{(k)}, \sum_{u \in \mathcal{N}(v)} \psi(h_v^{(k)}, h_u^{(k)}, e_{uv})\Big)$$

## Scientific objective

The thesis designs networks that are exactly equivariant to the Euclidean group $E(3)$ and
measures what this buys on small data sets.

![Figure 1: validation error as the training set grows](figure:learning-curve)

| Data set | Molecules | Target |
|---|---|---|
| QM9 | 134k | energies |
| ESOL | 1.1k | solubility |

## Applying

Send a CV, your master's transcripts and a short statement to the contact address on this page.
""",
    2: r"""## Contexte

En imagerie médicale, annoter une image coûte cher : on dispose souvent de quelques centaines
d'exemples. On cherche un classifieur $f$ qui minimise $\mathbb{E}[\ell(f(x), y)]$ avec $n \approx 300$.

## Objectif

Combiner pré-entraînement auto-supervisé et régularisation
$\Omega(f) = \lambda \|f\|_{\mathcal{H}}^2$ pour apprendre avec peu d'images annotées.

![Figure 1 : précision selon le nombre d'images annotées](figure:precision)

## Candidater

CV et relevés de notes à l'adresse de contact indiquée sur cette page.
""",
}
FIGURES = {0: "courbes", 1: "learning-curve", 2: "precision"}
CONTACTS = {0: "these-scai@universite-demo.test", 1: "gnn-phd@universite-demo.test", 2: ""}


def description(index: int, summary: str) -> str:
    return (
        DESCRIPTIONS.get(index) or f"## Contexte\n\n{summary}\n\n## Objectif\n\nUn projet de démonstration.\n"
    )


def _curves(seed: int) -> bytes:
    """A small line chart of two falling curves, one above the other: drawn, not fetched."""
    width, height, margin = 480, 260, 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.line(
        [(margin, margin), (margin, height - margin), (width - margin, height - margin)],
        fill="black",
        width=2,
    )
    for shift, color in ((0.0, (29, 59, 106)), (0.25 + 0.05 * seed, (200, 90, 40))):
        points = []
        for step in range(60):
            x = step / 59
            y = shift + (1 - shift) * math.exp(-4 * x)
            points.append((margin + x * (width - 2 * margin), height - margin - y * (height - 2 * margin)))
        draw.line(points, fill=color, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def add_figures(proposal: Proposal, index: int) -> None:
    """The figure its description names, before it is submitted."""
    if index in FIGURES:
        proposal.figures.append(figure_row(prepare_figure(FIGURES[index], _curves(index))))


def seed_catalogue(proposals: list[Proposal], programme) -> None:
    """Consent for the described subjects, and the call's policy (funded and waiting list)."""
    campaign: Campaign = proposals[0].campaign
    if db.session.get(CallPublication, campaign.id) is not None:
        return
    for index, proposal in enumerate(proposals):
        if index in DESCRIPTIONS:
            record_submission(
                proposal=proposal,
                consent=True,
                contact_email=CONTACTS[index],
                by=proposal.owner,
                now=proposal.submitted_at,
            )
    set_policy(campaign=campaign, policy=PublicationPolicy.funded_and_waiting, by=programme)
