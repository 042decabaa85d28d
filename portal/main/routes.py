"""Home: a welcome for visitors, a page fit for each role once signed in."""

from flask import abort, current_app, make_response, render_template, request, session
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.auth.models import Role, User
from portal.extensions import db
from portal.i18n import LANGUAGE_COOKIE
from portal.main import bp
from portal.navigation import redirect_next
from portal.proposals.permissions import proposals_of, submitted_proposals
from portal.reference.models import Campaign, CampaignState, DoctoralSchool, Initiative, ResearchUnit


def _visible_campaigns() -> list[Campaign]:
    return list(
        db.session.scalars(
            select(Campaign)
            .where(Campaign.state == CampaignState.published)
            .order_by(Campaign.year.desc())
            .options(selectinload(Campaign.initiatives))
        )
    )


def _admin_counts() -> dict[str, int]:
    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return {
        "users": count(User),
        "campaigns": count(Campaign),
        "initiatives": count(Initiative),
        "doctoral_schools": count(DoctoralSchool),
        "research_units": count(ResearchUnit),
    }


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html", campaigns=_visible_campaigns())
    roles = current_user.roles
    return render_template(
        "main/dashboard.html",
        Role=Role,
        roles=roles,
        campaigns=_visible_campaigns(),
        admin_counts=_admin_counts() if Role.admin in roles else None,
        my_proposals=proposals_of(current_user) if Role.supervisor in roles else [],
        programme_proposals=submitted_proposals(initiative_ids=current_user.staff_initiative_ids()),
        school_proposals=submitted_proposals(school_ids=current_user.staff_school_ids()),
        staff_schools=sorted(
            (g.doctoral_school for g in current_user.grants if g.role is Role.school_staff),
            key=lambda school: school.number,
        ),
        staff_initiatives=sorted(
            (g.initiative for g in current_user.grants if g.role is Role.programme_staff),
            key=lambda initiative: initiative.acronym,
        ),
    )


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the language: on the account when signed in, in a year-long cookie otherwise."""
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = language
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    response = make_response(redirect_next())
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
