"""Guards for whole areas; each object is still checked by its own rule in the route."""

from functools import wraps

from flask import abort, current_app
from flask_login import current_user, login_required

from portal.auth.models import Role


def role_required(*roles: Role):
    """Signed in and holding one of `roles`; anyone else is refused (403, the area is no secret)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


admin_required = role_required(Role.admin)


def second_factor_required(user) -> bool:
    """Staff and administrators must use a second factor where the portal enforces it (production)."""
    return bool(current_app.config["TWO_FACTOR_ENFORCED"] and user.needs_two_factor)
