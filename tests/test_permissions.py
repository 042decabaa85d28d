"""Every route, and each role that must be refused on it.

The table below must name every endpoint of the app: a new route without a line fails the suite.
"""

import pytest

from portal.auth.models import Role
from tests import factories

ADMIN_ONLY = ("anonymous", "supervisor", "reviewer", "school_staff", "programme_staff")
SIGNED_IN = ("anonymous",)

# endpoint: (method, path, roles refused). {user} and {grant} are another user's ids.
ROUTES = {
    "staff.users": ("GET", "/admin/users/", ADMIN_ONLY),
    "staff.invite_user": ("POST", "/admin/users/invite", ADMIN_ONLY),
    "staff.user_detail": ("GET", "/admin/users/{user}", ADMIN_ONLY),
    "staff.add_grant": ("POST", "/admin/users/{user}/grants", ADMIN_ONLY),
    "staff.revoke_grant": ("POST", "/admin/users/{user}/grants/{grant}/revoke", ADMIN_ONLY),
    "staff.disable_user": ("POST", "/admin/users/{user}/disable", ADMIN_ONLY),
    "staff.enable_user": ("POST", "/admin/users/{user}/enable", ADMIN_ONLY),
    "staff.reset_two_factor": ("POST", "/admin/users/{user}/reset-two-factor", ADMIN_ONLY),
    "staff.resend_invitation": ("POST", "/admin/users/{user}/resend-invitation", ADMIN_ONLY),
    "staff.reference_index": ("GET", "/admin/reference/", ADMIN_ONLY),
    "staff.reference_list": ("GET", "/admin/reference/campaigns/", ADMIN_ONLY),
    "staff.reference_create": ("POST", "/admin/reference/initiatives/new", ADMIN_ONLY),
    "staff.reference_edit": ("POST", "/admin/reference/research-units/1", ADMIN_ONLY),
    "staff.reference_import": ("POST", "/admin/reference/import", ADMIN_ONLY),
    "staff.campaign_next_year": ("POST", "/admin/reference/campaigns/1/next-year", ADMIN_ONLY),
    "auth.profile": ("POST", "/account/profile", SIGNED_IN),
    "auth.change_password": ("POST", "/account/password", SIGNED_IN),
    "auth.security": ("GET", "/account/security", SIGNED_IN),
    "auth.two_factor_setup": ("POST", "/account/two-factor/setup", SIGNED_IN),
    "auth.regenerate_recovery_codes": ("POST", "/account/two-factor/recovery-codes", SIGNED_IN),
    "auth.disable_two_factor": ("POST", "/account/two-factor/disable", SIGNED_IN),
}

# Routes open to everyone by design, with the test that covers what they refuse.
PUBLIC = {
    "static": "assets",
    "main.home": "tests/test_demo.py: each role's page",
    "main.set_language": "tests/test_security.py: unknown language refused",
    "auth.sign_in": "tests/auth/test_sign_in.py",
    "auth.sign_out_route": "tests/auth/test_sign_in.py",
    "auth.sign_up": "tests/auth/test_sign_up.py",
    "auth.confirm_email": "tests/auth/test_sign_up.py: used link refused",
    "auth.resend_confirmation": "tests/auth/test_sign_up.py",
    "auth.forgot_password": "tests/auth/test_password_reset.py",
    "auth.reset_password": "tests/auth/test_password_reset.py: tampered and expired links refused",
    "auth.accept_invitation": "tests/staff/test_users_admin.py: used link refused",
    "auth.two_factor": "tests/auth/test_two_factor.py: without the password step, refused",
    "auth.csrf_token": "tests/test_security.py",
}

CASES = [(endpoint, role) for endpoint, (_, _, roles) in ROUTES.items() for role in roles]


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES) | set(PUBLIC)


def _sign_in_as(client, role: str):
    if role == "anonymous":
        return
    user = factories.user(f"{role}@example.org", Role(role), two_factor=Role(role) is not Role.supervisor)
    client.sign_in_user(user)


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_role_is_refused(app_context, client, endpoint, role):
    method, path, _ = ROUTES[endpoint]
    other = factories.user("other@example.org")
    factories.research_unit("UMR1000")
    path = path.format(user=other.id, grant=other.grants[0].id)
    _sign_in_as(client, role)
    response = client.get(path) if method == "GET" else client.submit(path, {}, page="/")
    if role == "anonymous":
        assert response.status_code == 302 and response.location.startswith("/account/sign-in")
    else:
        assert response.status_code == 403
