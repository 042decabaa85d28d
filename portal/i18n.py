"""Which language a page is shown in, and date formatting in Europe/Paris."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

LANGUAGE_COOKIE = "prd_lang"


def select_locale() -> str:
    """The account's choice, then this browser's choice, then the browser's languages, then French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Commands speak English to the administrator; e-mails choose their reader's language.
        return "en"
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    for chosen in (session.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen in languages:
            return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
