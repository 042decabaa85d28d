"""What the dashboard's page offers around the list: the menu, the export links, named opinion forms."""

import html
import re

import pytest

from portal.auth.models import Role
from tests import factories


def _main_menu(page: str) -> str:
    return re.search(r'<nav class="wrap main-nav".*?</nav>', page, re.S).group(0)


@pytest.mark.parametrize("who", ["school_staff", "programme_staff", "admin"])
def test_the_main_menu_links_staff_to_the_dashboard_and_the_exports(world, client, who):
    client.sign_in_user(getattr(world, who))
    menu = _main_menu(client.get("/").get_data(as_text=True))
    assert 'href="/staff/proposals/">Proposals followed</a>' in menu
    assert 'href="/exports/">Exports</a>' in menu
    # The current page is marked in the menu.
    menu = _main_menu(client.get("/staff/proposals/").get_data(as_text=True))
    assert 'href="/staff/proposals/" aria-current="page"' in menu


def test_the_main_menu_offers_neither_to_supervisors(world, client):
    client.sign_in_user(factories.user("supervisor-x@example.org", Role.supervisor))
    menu = _main_menu(client.get("/").get_data(as_text=True))
    assert "/staff/proposals/" not in menu and "/exports/" not in menu


def test_the_export_links_carry_the_call_initiative_and_school(world, client):
    client.sign_in_user(world.programme_staff)
    page = client.get("/staff/proposals/?campaign=2041&initiative=DASHA&state=draft&q=soil")
    links = html.unescape(page.get_data(as_text=True))
    for path in ("/exports/proposals.zip", "/exports/proposals.xlsx", "/exports/proposals.csv", "/exports/"):
        # The exports know the call, initiative and school filters only: the others are left out.
        assert f'href="{path}?campaign=2041&initiative=DASHA"' in links, path


def test_each_opinion_form_names_its_proposal_for_screen_readers(world, client):
    client.sign_in_user(world.school_staff)
    page = client.get("/staff/proposals/").get_data(as_text=True)
    title = html.escape(world.first.title, quote=False)
    hidden = f'<span class="visually-hidden"> — {title}</span>'
    assert f'<legend class="visually-hidden">Opinion of the doctoral school — {title}</legend>' in page
    assert f"Give the opinion{hidden}</summary>" in page
    assert f"Comment{hidden}</label>" in page
    assert (
        f'aria-label="Record the opinion — {html.escape(world.first.title)}">Record the opinion</button>'
        in page
    )
