"""Guards for whole areas; each object is still checked by its own rule in the route."""

from functools import wraps

from flask import abort
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
