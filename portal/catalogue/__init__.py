"""The public catalogue of subjects: what a call publishes, and the pages anyone may read.

What is public, and when
------------------------
- `models.CallPublication`: each call's `PublicationPolicy`, chosen by programme staff (or an
  administrator) on the call's publication page: `nothing` (the default, and a call without a
  row), `funded`, `funded_and_waiting` (both once the committee's decisions are published) or
  `all_submitted` (once the deadline has passed).
- `models.PublicSubject`: one per proposal whose director ticked the consent box when submitting
  (`consent_at`, `consent_wording` = `models.CONSENT_WORDING_VERSION`). It holds the current
  public text (`title`, `language`, `content`: the public subset of `prd/1` built by
  `content.public_content`: title, keywords, language, initiative, the advisors' names, titles
  and research units, the doctoral school, the description, the contact address the director
  chose to show, if any, and `position_filled`). Nothing else of a proposal is ever public.
- `models.PublicRevision`: every state of that text: the submitted version, then the director's
  corrections (`services.correct`). The submitted proposal itself is never changed.
- Unpublished by programme staff with a reason (`services.unpublish`, audited).

The one interface every public output uses
------------------------------------------
`visibility.visible_subjects(now=None)` is a `Select` of rows `(PublicSubject, outcome,
policy_at, decisions_at)` of the subjects the public may see now, with Proposal, Campaign,
CallPublication, Committee and Decision joined so that callers filter, order and paginate on
them. `visibility.visible_rows(statement)` runs it and gives `Visible(subject, outcome, since)`:
`outcome` is `Outcome.funded`, `Outcome.waiting_list` (only under `funded_and_waiting`) or None,
never "not funded"; `since` is the Last-Modified of what the public sees of it.
`visibility.visible_subject(id)` is the same for one subject, None when hidden (pages: 404).
A page, feed, export or sitemap that does not start from these must not exist.

- `rendering.public_html(subject)`: the description's stored HTML (the preview's renderer,
  `RenderedDescription`), its figures pointing to the public figure route; never rendered in a
  request.
- `caching.public_response(...)`: ETag, Last-Modified, `Cache-Control: public, max-age`, 304.
- `pages.page_language(default)` and `pages.same_page_in(lang)`: the page's language from
  `?lang=` and the switch's links; `pages.advisors`, `school_label`, `initiative_label`,
  `outcome_label`: what a public output says of a subject, from its public content only.
- Tests: `tests/catalogue/world.py` builds a call with one subject in every state (funded,
  waiting, not funded, unconsented, withdrawn, unpublished, draft) and the private values
  (`PRIVATE`) that no public output may contain.
- Public pages (`public_routes.py`, blueprint `public`, `/subjects/…`) take the page's language
  from `?lang=fr|en` (a subject page defaults to its own language, lists to the visitor's), are
  rate-limited per address (`PUBLIC_RATE_LIMIT`) and set no cookie for visitors.
"""

# The routes are imported by create_app (portal/__init__.py), not here: the PRD form imports
# the consent's form from this package, and must not pull the catalogue's models with it.
from flask import Blueprint

#: The public pages: no sign-in.
public_bp = Blueprint("public", __name__, url_prefix="/subjects")
#: Programme staff's and the director's pages about publication.
bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
#: What sits at the site's root for machines: /sitemap.xml.
site_bp = Blueprint("site", __name__)
