"""The consent box of the PRD form, and the contact address it may show.

Apart from the catalogue's other forms: the PRD form (proposals/forms.py) imports it, and it
imports nothing of the catalogue.
"""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, Form

EMAIL_MAX = 254

#: The consent's wording (version models.CONSENT_WORDING_VERSION), after the official form's
#: "Ce texte sera diffusé en ligne".
CONSENT_LABEL = _l(
    "I agree that this project be published online: its title, keywords and description, and the "
    "names, titles and research units of its supervisors, in the public catalogue of thesis "
    "subjects, if the programme publishes the subjects of this call."
)


def contact_problem(address: str) -> str | None:
    """Why `address` cannot be shown as the contact, or None (empty: no contact shown)."""
    if not address:
        return None
    if len(address) > EMAIL_MAX:
        return str(_l("At most %(limit)d characters.", limit=EMAIL_MAX))
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return str(_l("Enter a valid e-mail address, or leave the field empty."))
    return None


class ConsentForm(Form):
    """Part of the PRD form; read at submission only, so a draft's save never depends on it."""

    consent = BooleanField(
        CONSENT_LABEL,
        description=_l("The official form says of the description: « Ce texte sera diffusé en ligne »."),
    )
    contact_email = EmailField(
        _l("Contact address shown on the public page (optional)"),
        description=_l(
            "Leave it empty to show no address: students then apply as the description says. No "
            "other address of the proposal is ever shown."
        ),
        render_kw={"maxlength": EMAIL_MAX, "autocomplete": "email"},
    )
