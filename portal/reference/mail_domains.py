"""The institution e-mail domains a call's conflict rule "same e-mail domain" ignores.

At one university everyone writes from @sorbonne-universite.fr or @cnrs.fr: sharing that domain
says nothing about working together. The list is short and checked where it is typed (the
campaign form, the reference-data loader): a typo is refused, not kept as a domain no one has.
"""

import re

from flask_babel import lazy_gettext as _l

MAX_DOMAINS = 20
MAX_LENGTH = 253
# Labels of letters, digits and inner hyphens, at least two of them, the last alphabetic.
_DOMAIN = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$")


class DomainListError(ValueError):
    """The list cannot be kept; the message says why, in the reader's language."""


def parse_domains(raw: str | list | None) -> list[str]:
    """The domains of a typed text (one a line, or separated by commas, semicolons or spaces) or of
    a list, lower-cased, a leading "@" dropped, duplicates removed; raises DomainListError."""
    items = raw if isinstance(raw, list) else re.split(r"[\s,;]+", str(raw or ""))
    domains: list[str] = []
    for item in items:
        domain = str(item).strip().casefold().removeprefix("@")
        if not domain or domain in domains:
            continue
        if len(domain) > MAX_LENGTH or not _DOMAIN.match(domain):
            message = _l("“%(domain)s” is not an e-mail domain such as cnrs.fr.", domain=domain[:80])
            raise DomainListError(str(message))
        domains.append(domain)
    if len(domains) > MAX_DOMAINS:
        raise DomainListError(str(_l("At most %(count)d domains.", count=MAX_DOMAINS)))
    return domains


def is_covered(domain: str, ignored: list[str]) -> bool:
    """`domain` is one of `ignored` or a subdomain of one (etu.sorbonne-universite.fr)."""
    return any(domain == item or domain.endswith("." + item) for item in ignored)
