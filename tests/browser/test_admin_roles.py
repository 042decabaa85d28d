"""An administrator gives a colleague a staff role; the colleague sees the matching dashboard."""

import pyotp
from playwright.sync_api import Page, expect

from portal.auth import totp
from portal.auth.models import Role
from tests import factories
from tests.browser.steps import data, sign_in


def test_admin_grants_programme_staff_and_the_colleague_sees_it(page: Page, open_page, live, shot):
    with data(live):
        factories.initiative("BIOMIC", name="Microbiology initiative")
        factories.initiative("QUANTUM", name="Quantum institute")
        factories.doctoral_school("ED130")
        admin = factories.user(
            "alice.martin@example.org", Role.admin, two_factor=True, first_name="Alice", last_name="Martin"
        )
        colleague = factories.user(
            "paul.durand@example.org", two_factor=True, first_name="Paul", last_name="Durand"
        )
        factories.user(
            "lea.petit@example.org",
            unit_acronym="LCQB",
            unit_name="Biologie quantitative",
            unit_code="UMR7238",
        )
        admin_secret, colleague_secret = totp.secret_of(admin), totp.secret_of(colleague)

    page.goto("/account/sign-in")
    page.get_by_label("E-mail").fill("alice.martin@example.org")
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    # The code field is focused on arrival, so a person can type the code straight away.
    expect(page.get_by_label("Code")).to_be_focused()
    shot(page, "two-factor code asked")
    page.get_by_label("Code").fill(pyotp.TOTP(admin_secret).now())
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Alice Martin")
    shot(page, "admin dashboard")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users and roles")
    expect(page.get_by_role("table")).to_contain_text("paul.durand@example.org")
    shot(page, "users")
    page.get_by_role("link", name="DURAND Paul").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Paul Durand")
    roles = page.get_by_role("table")
    expect(roles).to_contain_text("Thesis supervisor")
    school = page.get_by_label("Doctoral school (for doctoral school staff)")
    initiative = page.get_by_label("Initiative or institute (for programme staff)")
    # With JavaScript, a scope select shows only for the role it belongs to.
    expect(school).to_be_hidden()
    expect(initiative).to_be_hidden()
    shot(page, "user page")

    page.get_by_label("Role", exact=True).select_option(label="Programme staff")
    expect(initiative).to_be_visible()
    expect(school).to_be_hidden()
    initiative.select_option(label="BIOMIC")
    shot(page, "programme staff for BIOMIC chosen")
    page.get_by_role("button", name="Grant the role").click()

    expect(page.get_by_role("status")).to_contain_text("Role granted; the person is told by e-mail.")
    granted = roles.get_by_role("row").filter(has_text="Programme staff")
    expect(granted).to_have_count(1)
    expect(granted).to_contain_text("BIOMIC — Microbiology initiative")
    expect(roles).to_contain_text("Thesis supervisor")
    shot(page, "role granted")

    # A unit a director typed by hand, added to the reference data in one click.
    page.goto("/admin/reference/research-units/entered")
    expect(page.get_by_role("heading", level=2)).to_have_text("Units typed by hand")
    typed = page.get_by_role("row").filter(has_text="UMR7238")
    expect(typed).to_contain_text("0 proposals, 1 profile")
    shot(page, "units typed by hand")
    typed.get_by_role("button", name="Add to the reference data LCQB (UMR7238)").click()
    expect(page.get_by_role("status")).to_contain_text("Added to the reference data: LCQB (UMR7238).")
    expect(page.get_by_role("table")).to_contain_text("Every unit typed by hand is in the reference data.")

    colleague_page = open_page()
    sign_in(
        colleague_page, live.app, "paul.durand@example.org", factories.PASSWORD, totp_secret=colleague_secret
    )
    expect(colleague_page.get_by_role("heading", level=1)).to_have_text("Hello Paul Durand")
    programme = colleague_page.get_by_role("region", name="Programme staff")
    expect(programme).to_be_visible()
    expect(programme).to_contain_text("BIOMIC — Microbiology initiative")
    expect(programme).not_to_contain_text("QUANTUM")
    shot(colleague_page, "colleague dashboard")
