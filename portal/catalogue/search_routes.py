"""The search page, /subjects/search: a GET form, its results by relevance then date, in pages."""

from flask import abort, current_app, render_template, request
from flask_babel import force_locale

from portal.catalogue import pages, public_bp
from portal.catalogue.caching import public_response
from portal.catalogue.search import search as run_search
from portal.catalogue.search_form import SearchForm

# A page number beyond any list: bounded where it enters.
MAX_PAGE = 10_000


def page_number() -> int:
    """The `page` argument, 1 by default; 404 outside 1…MAX_PAGE."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


@public_bp.route("/search")
def search():
    language, negotiated = pages.page_language()
    page = page_number()
    with force_locale(language):
        form = SearchForm(formdata=request.args).with_choices()
        if not form.validate():
            page = render_template(
                "public/search.html", form=form, results=None, page_lang=language, helpers=pages
            )
            return page, 400
        size = current_app.config["PUBLIC_PAGE_SIZE"]
        results = run_search(query=form.q.data or "", filters=form.filters(), page=page, size=size)
        if results is None:
            abort(404)
        return public_response(
            lambda: render_template(
                "public/search.html", form=form, results=results, page_lang=language, helpers=pages
            ),
            last_modified=max((row.since for row in results.rows), default=None),
            negotiated=negotiated,
        )
