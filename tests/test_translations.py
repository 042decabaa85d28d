"""The French catalogue: every string of the code and templates translated, with its placeholders,
in French typography; the compiled .mo in step with the .po; pages and e-mails in the language asked for.

When a test here fails after strings were added or changed, see docs/translating.md (`make translations`).
"""

import gettext
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

# The options of `pybabel extract` in `make translations` (docs/translating.md); only -o differs.
EXTRACT_OPTIONS = [
    "-F",
    str(ROOT / "babel.cfg"),
    "-k",
    "_l",
    "-k",
    "lazy_gettext",
    "--ignore-dirs",
    ".* __pycache__",
    "--add-comments=Translators:",
    "--project",
    "PRD Portal",
    "--copyright-holder",
    "PRD Portal",
    "--no-wrap",
]

# printf-style placeholders as Python and Jinja's new-style gettext use them: %(name)s, %d, %%.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrs%]")
NBSP = "\u00a0"
HINT = "Run `make translations`, then translate the new entries of the .po (docs/translating.md)."


def _forms(value) -> tuple[str, ...]:
    """The msgid or msgstr of a message as a tuple: one item, or one per plural form."""
    if isinstance(value, tuple | list):
        return tuple(value)
    return (value,)


def _relative(path: str) -> str:
    location = Path(path)
    return str(location.relative_to(ROOT) if location.is_absolute() else location)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def _label(message) -> str:
    where = ", ".join(f"{_relative(path)}:{line}" for path, line in message.locations[:3])
    return f"{_forms(message.id)[0]!r}" + (f" ({where})" if where else "")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What `pybabel extract` finds today in portal/ and templates/, read as a catalogue."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    status = CommandLineInterface().run(
        ["pybabel", "-q", "extract", *EXTRACT_OPTIONS, "-o", str(pot), str(ROOT)]
    )
    assert not status, "pybabel extract failed"
    with pot.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def french():
    with PO.open("rb") as handle:
        return read_po(handle)


def test_extraction_finds_strings_of_python_templates_and_emails(extracted):
    # A guard on babel.cfg itself: each kind of source must contribute (the _macros folder included,
    # which Babel's default directory filter would skip).
    paths = {path for message in extracted if message.id for path, _line in message.locations}
    for expected in (
        "portal/auth/forms.py",  # lazy_gettext as _l
        "portal/auth/routes.py",  # gettext as _
        "templates/base.html",
        "templates/_macros/forms.html",
        "templates/emails/invitation.txt",
        "templates/emails/invitation.subject.txt",
    ):
        assert any(Path(path).as_posix().endswith(expected) for path in paths), f"nothing from {expected}"
    assert any(isinstance(message.id, tuple) for message in extracted), "no ngettext plural found"


def test_every_extracted_message_has_a_french_translation(extracted, french):
    problems = []
    for message in extracted:
        if not message.id:
            continue
        translation = french.get(message.id, context=message.context)
        if translation is None:
            problems.append(f"missing from the .po: {_label(message)}")
            continue
        if translation.fuzzy:
            problems.append(f"fuzzy: {_label(message)}")
        strings = _forms(translation.string)
        if isinstance(message.id, tuple) and len(strings) != french.num_plurals:
            problems.append(f"needs {french.num_plurals} plural forms: {_label(message)}")
        if not all(strings):
            problems.append(f"not translated: {_label(message)}")
            continue
        expected = set().union(*(_placeholders(text) for text in _forms(message.id)))
        for text in strings:
            if _placeholders(text) != expected:
                problems.append(
                    f"placeholders differ: {_label(message)} has {sorted(expected)}, "
                    f"{text!r} has {sorted(_placeholders(text))}"
                )
    assert not problems, f"{len(problems)} problem(s) in the French catalogue. {HINT}\n" + "\n".join(problems)


def test_french_catalogue_has_no_fuzzy_entry_and_french_plurals(french):
    assert not french.fuzzy, "the catalogue header is marked fuzzy: pybabel compile would skip it"
    fuzzy = [_label(message) for message in french if message.id and message.fuzzy]
    assert not fuzzy, "fuzzy entries are left out of the .mo; check and unmark them:\n" + "\n".join(fuzzy)
    assert french.num_plurals == 2
    assert french.plural_expr.replace(" ", "") == "(n>1)"


def test_french_typography(french):
    """Typographic apostrophes; a no-break space before : ; ? ! and %, and inside « »."""
    problems = []
    for message in french:
        if not message.id:
            continue
        for text in _forms(message.string):
            if "'" in text:
                problems.append(f"straight apostrophe (use ’): {text!r}")
            if re.search(rf"(?<![{NBSP}\d])[:;?!]", text):
                problems.append(f"no no-break space before : ; ? or !: {text!r}")
            if re.search(rf"(?<!{NBSP})%%|«(?!{NBSP})|(?<!{NBSP})»", text):
                problems.append(f"no no-break space before % or inside « »: {text!r}")
    assert not problems, "French typography (docs/translating.md, 'Conventions'):\n" + "\n".join(problems)


def _compiled(catalog) -> dict:
    """{(msgid, context): msgstr} as gettext sees it, from a catalogue compiled in memory."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _messages(read_mo(buffer))


def _messages(catalog) -> dict:
    return {
        (_forms(message.id), message.context): _forms(message.string) for message in catalog if message.id
    }


def test_compiled_mo_is_up_to_date_with_the_po(french):
    assert MO.exists(), (
        "translations/fr/LC_MESSAGES/messages.mo is missing: run `pybabel compile -d translations`"
    )
    with MO.open("rb") as handle:
        on_disk = read_mo(handle)
    expected = _compiled(french)
    actual = _messages(on_disk)
    stale = sorted(key[0][0] for key in expected.keys() ^ actual.keys())
    stale += sorted(key[0][0] for key in expected.keys() & actual.keys() if expected[key] != actual[key])
    assert not stale, (
        "messages.mo is older than messages.po: run `pybabel compile -d translations`\n"
        + "\n".join(stale[:20])
    )
    assert on_disk.plural_forms == french.plural_forms


def test_mo_applies_the_french_plural_rule():
    with MO.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Home") == "Accueil"
    # French puts 0 and 1 in the singular.
    assert translations.ngettext("%(num)d account", "%(num)d accounts", 0) == "%(num)d compte"
    assert translations.ngettext("%(num)d account", "%(num)d accounts", 1) == "%(num)d compte"
    assert translations.ngettext("%(num)d account", "%(num)d accounts", 2) == "%(num)d comptes"


FRENCH_PAGE = ('lang="fr"', "Accueil", "Se connecter", "Créer un compte")
ENGLISH_PAGE = ('lang="en"', "Home", "Sign in", "Create an account")


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected", "unexpected"),
    [
        # The browser's choice (the cookie) wins over its languages.
        ("fr", "en", FRENCH_PAGE, ENGLISH_PAGE),
        ("en", "fr", ENGLISH_PAGE, FRENCH_PAGE),
        (None, "fr-FR,fr;q=0.9,en;q=0.5", FRENCH_PAGE, ENGLISH_PAGE),
        (None, "en-GB,en;q=0.9", ENGLISH_PAGE, FRENCH_PAGE),
    ],
    ids=["cookie-fr", "cookie-en", "accept-language-fr", "accept-language-en"],
)
@pytest.mark.parametrize("path", ["/", "/account/sign-in"])
def test_pages_are_shown_in_the_language_asked_for(
    client, path, cookie, accept_language, expected, unexpected
):
    if cookie:
        client.set_cookie("prd_lang", cookie)
    response = client.get(path, headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in expected:
        assert text in html, f"{text!r} missing from {path}"
    for text in unexpected[1:]:
        assert f">{text}<" not in html, f"{text!r} shown on {path}"


def test_sign_in_form_labels_are_translated(client):
    """Form labels are lazy strings, resolved when the page is rendered."""
    client.set_cookie("prd_lang", "fr")
    html = client.get("/account/sign-in").get_data(as_text=True)
    assert "Mot de passe" in html
    assert "Garder ma session ouverte sur cet appareil" in html


@pytest.mark.parametrize(
    ("locale", "subject", "greeting"),
    [
        ("fr", "Invitation au Portail PRD", "Bonjour Sylvie Lambert,"),
        ("en", "You are invited to the PRD Portal", "Hello Sylvie Lambert,"),
    ],
)
def test_emails_are_written_in_the_recipients_language(app, locale, subject, greeting):
    from portal.notifications.mail import render_message

    with app.test_request_context("/"):
        message = render_message(
            to="sylvie.lambert@demo.test",
            template="invitation",
            locale=locale,
            user=SimpleNamespace(display_name="Sylvie Lambert"),
            inviter=SimpleNamespace(display_name="Alice Martin"),
            url="https://prd-portal.test/account/invitation/token",
        )
    assert message["Subject"] == subject
    assert message.get_body(("plain",)).get_content().startswith(greeting)
