"""Administrators' wording of the e-mails: checked, stored, and rendered in a sandbox.

An override is a template typed in a web form, so it is rendered by Jinja's immutable sandbox: no
attribute starting with an underscore, no method that changes data, ranges and repetitions capped.
It only sees the plain values of catalogue.py, never the objects behind them.
"""

import logging
import re
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape
from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.extensions import db
from portal.notifications.catalogue import KINDS
from portal.notifications.mail import header_text
from portal.notifications.models import EmailTemplateOverride
from portal.notifications.samples import sample_context

log = logging.getLogger(__name__)

LOCALES = ("fr", "en")
# A rendered e-mail longer than this is a mistake (or an attempt to make the worker hang).
MAX_OUTPUT = 100_000
_URL = re.compile(r"https?://[^\s<>\"']+")
_SIGNATURE = "\n-- \n"


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("the power operator is not allowed")
        if isinstance(right, int) and isinstance(left, str | list | tuple) and len(left) * right > MAX_OUTPUT:
            raise SecurityError("the result would be too long")
        if isinstance(left, int) and isinstance(right, str | list | tuple) and len(right) * left > MAX_OUTPUT:
            raise SecurityError("the result would be too long")
        return super().call_binop(context, operator, left, right)


_sandbox = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


class OverrideError(ValueError):
    """What is wrong with a wording, in words for the administrator."""


@dataclass
class Rendered:
    subject: str | None
    text: str | None


def _render(source: str, values: dict[str, Any]) -> str:
    output = _sandbox.from_string(source).render(values)
    if len(output) > MAX_OUTPUT:
        raise SecurityError("the result would be too long")
    return output


def explain(error: TemplateError) -> str:
    """The error as the edit page shows it, next to the field."""
    if isinstance(error, TemplateSyntaxError):
        return _("Syntax error on line %(line)d: %(message)s", line=error.lineno, message=error.message)
    if isinstance(error, SecurityError):
        return _("Not allowed in an e-mail: %(message)s", message=error.message or "")
    if isinstance(error, UndefinedError):
        return _("Unknown variable: %(message)s. Use only the variables listed.", message=error.message)
    return _("This template cannot be rendered: %(message)s", message=error.message or "")


def check(template: str, source: str) -> str:
    """Render `source` with the sample data, strictly; raises OverrideError with the reason."""
    try:
        return _render(source, KINDS[template].values(sample_context(template)))
    except TemplateError as error:
        raise OverrideError(explain(error)) from error
    except Exception as error:  # noqa: BLE001 (a filter given a wrong type: the admin's typo)
        raise OverrideError(explain(TemplateError(str(error)))) from error


def find(template: str, locale: str) -> EmailTemplateOverride | None:
    """The stored wording of `template` in `locale`, if an administrator wrote one."""
    # No autoflush: this runs while a change is half-made (inside send_template), not to flush it early.
    with db.session.no_autoflush:
        return db.session.scalar(
            select(EmailTemplateOverride).where(
                EmailTemplateOverride.template == template, EmailTemplateOverride.locale == locale
            )
        )


def apply(row: EmailTemplateOverride, values: dict[str, Any]) -> Rendered:
    """The overridden parts of one message; None for the parts that keep their default."""
    subject = header_text(_render(row.subject, values)) if row.subject else None
    text = _render(row.body, values) if row.body else None
    return Rendered(subject or None, text)


def render_override(template: str, locale: str, context: dict[str, Any]) -> Rendered:
    """The administrator's wording for this message, or Rendered(None, None) to use the files.

    A wording that fails on real data (it passed the checks on the samples) must not lose the
    message: it is logged and the default is sent instead.
    """
    kind = KINDS.get(template)
    row = find(template, locale) if kind is not None else None
    if row is None:
        return Rendered(None, None)
    try:
        return apply(row, kind.values(context))
    except Exception:  # noqa: BLE001 (the default wording is always there to fall back on)
        log.exception("The %s wording of e-mail %s failed: the default is sent", locale, template)
        return Rendered(None, None)


def _linked(line: str) -> Markup:
    parts, start = [], 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(".,;:!?)»")
        parts.append(escape(line[start : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        start = match.start() + len(url)
    parts.append(escape(line[start:]))
    return Markup("").join(parts)


def text_to_html(text: str) -> Markup:
    """Paragraphs from blank lines, line breaks kept, addresses made links, everything escaped.

    The signature after "-- " is left out: the HTML layout adds its own.
    """
    body = ("\n" + text.replace("\r\n", "\n")).split(_SIGNATURE, 1)[0].strip()
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(_linked(line) for line in p.split("\n")))
        for p in paragraphs
    )


def html_part(text: str) -> str:
    """The HTML alternative of an overridden text, in the layout of every e-mail."""
    return render_template("emails/_override.html", body=text_to_html(text))


def save(*, template: str, locale: str, subject: str, body: str, by: User) -> EmailTemplateOverride | None:
    """Store the wording (checked by the form); both parts empty means the default again."""
    subject, body = subject.strip(), body.strip()
    if not subject and not body:
        reset(template=template, locale=locale, by=by)
        return None
    row = find(template, locale) or EmailTemplateOverride(template=template, locale=locale)
    row.subject, row.body, row.updated_by = subject or None, (body + "\n") if body else None, by
    db.session.add(row)
    db.session.flush()
    record(
        "email_template.updated",
        actor=by,
        obj=row,
        template=template,
        locale=locale,
        subject=row.subject,
        body=row.body,
    )
    return row


def reset(*, template: str, locale: str, by: User) -> bool:
    """Back to the wording of the files; False when there was nothing to reset."""
    row = find(template, locale)
    if row is None:
        return False
    record("email_template.reset", actor=by, obj=row, template=template, locale=locale)
    db.session.delete(row)
    db.session.flush()
    return True
