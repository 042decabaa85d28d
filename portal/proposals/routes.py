"""My proposals, the form (with and without JavaScript), submission and its receipt."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.models import Role
from portal.extensions import db, limiter
from portal.proposals import ahead, bp, measures
from portal.proposals.content import normalise
from portal.proposals.description_view import page_html
from portal.proposals.editing import EditPage, profile_from_director
from portal.proposals.forms import ExtensionForm, ProposalForm, content_from_form, form_data
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.official_pdf import pdf_state
from portal.proposals.permissions import (
    can_manage,
    editable_proposal,
    owned_proposal,
    proposals_of,
    readable_proposal,
)
from portal.proposals.receipts import co_supervisor, reference, send_receipt, send_to_school_and_programme
from portal.proposals.services import (
    NotAllowedNow,
    StaleVersion,
    SubmissionRefused,
    grant_extension,
    reopen,
    save_draft,
    start_proposal,
    submit,
    withdraw,
)
from portal.reference.models import Campaign, CampaignState
from portal.refreshing import reloading
from portal.security import form_view
from portal.timezones import local_datetime, paris_to_utc


def _open_campaigns() -> list[Campaign]:
    campaigns = db.session.scalars(select(Campaign).where(Campaign.state == CampaignState.published))
    return [campaign for campaign in campaigns if campaign.is_open()]


@bp.route("/")
@login_required
def index():
    proposals = proposals_of(current_user)
    return render_template(
        "proposals/index.html",
        proposals=proposals,
        open_campaigns=_open_campaigns(),
        can_start=current_user.has_role(Role.supervisor),
    )


@bp.route("/new", methods=["POST"])
@login_required
def new():
    if not current_user.has_role(Role.supervisor):
        abort(403)
    campaign = db.session.get(Campaign, request.form.get("campaign", type=int) or 0)
    if campaign is None or not campaign.is_open():
        flash(_("This call is not open for proposals."), "warning")
        return redirect(url_for("proposals.index"))
    proposal = start_proposal(campaign=campaign, owner=current_user)
    db.session.commit()
    return redirect(url_for("proposals.edit", proposal_id=proposal.id))


def _version(form: ProposalForm) -> int:
    try:
        return int(form.base_version.data or 0)
    except ValueError:
        return 0


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit(proposal_id: int):
    proposal = editable_proposal(proposal_id)
    if proposal.state is not ProposalState.draft:
        flash(_("This proposal is not a draft: reopen it to change it."), "info")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    if request.method == "GET":
        form = ProposalForm(campaign=proposal.campaign, data=form_data(proposal.content))
        form.base_version.data = proposal.version
        from portal.catalogue.consent import prefill_consent  # the catalogue builds on proposals

        prefill_consent(form.publication.form, proposal)
        return EditPage(proposal, form).render()
    form = ProposalForm(campaign=proposal.campaign)
    page = EditPage(proposal, form)
    if not form.validate_on_submit():
        return page.render(), 400
    action = request.form.get("action", "save")
    if action.startswith(("add-student:", "remove-student:")):
        return page.rebuild(action).render()
    try:
        if action == "submit":
            return _submit(proposal, form, page)
        saved = save_draft(
            proposal=proposal,
            content=content_from_form(form),
            base_version=_version(form),
            author=current_user,
        )
    except StaleVersion:
        db.session.rollback()
        return page.conflict().render(), 409
    except StaleDataError:
        db.session.rollback()
        return EditPage(db.session.get(Proposal, proposal_id), form).conflict().render(), 409
    except NotAllowedNow:
        # Submitted or withdrawn meanwhile (another tab): keep what was typed on the page.
        db.session.rollback()
        flash(
            _("This proposal was submitted or withdrawn meanwhile: reopen it to save these changes."),
            "warning",
        )
        return page.conflict().render(), 409
    if form.update_profile.data and proposal.owner_id == current_user.id:
        profile_from_director(current_user, proposal.content["director"])
    db.session.commit()
    ahead.after_save(proposal)
    if action == "preview":
        # Without JavaScript: the draft is saved, then a page counts it (and refreshes until done).
        return redirect(url_for("proposals.counting", proposal_id=proposal.id))
    flash(_("Draft saved.") if saved else _("No changes to save."), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id))


def _submit(proposal: Proposal, form: ProposalForm, page: EditPage):
    from portal.catalogue.consent import consent_is_valid, record_consent  # the catalogue builds on proposals

    if proposal.owner_id != current_user.id:
        abort(403)
    # A repeated click finds it submitted already: one submission, one receipt.
    already_submitted = proposal.state is ProposalState.submitted
    consent = form.publication.form
    if not already_submitted and not consent_is_valid(consent):
        return page.render(), 422
    description = normalise(content_from_form(form))["description"]
    if description and not already_submitted:
        # The rules read the stored measure of this text: asked now if there is none, and waited
        # for a moment with the session released.
        state = measures.ask(proposal, description, current_user)
        if not state.done:
            measures.wait(state.key)
    try:
        submit(
            proposal=proposal,
            content=content_from_form(form),
            base_version=_version(form),
            author=current_user,
            description_pages=measures.stored_pages(proposal),
        )
    except measures.MeasurePending:
        # The draft was saved before the rules were checked: keep it, and say when to try again.
        db.session.commit()
        form.base_version.data = proposal.version
        page.count_notice = _("The page count is being made; submit again in a moment.")
        return page.render(), 409
    except SubmissionRefused as refused:
        # The draft was saved before the rules were checked: keep it, then show what is missing.
        db.session.commit()
        form.base_version.data = proposal.version
        return page.refused(refused.problems).render(), 422
    except NotAllowedNow:
        db.session.rollback()
        flash(_("The deadline has passed: this proposal can no longer be submitted."), "error")
        return page.render(), 409
    if not already_submitted:
        # In the submission's transaction: a crash after its commit still leaves both messages to
        # the outbox worker. The school's PDF is made when its message is sent, not here.
        send_receipt(proposal)
        send_to_school_and_programme(proposal)
        record_consent(consent, proposal=proposal, by=current_user)
    db.session.commit()
    return redirect(url_for("proposals.receipt", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/autosave", methods=["POST"])
@login_required
@limiter.limit("120 per minute")
def autosave(proposal_id: int):
    """The JavaScript autosave: the same fields as the form; answers in JSON."""
    proposal = editable_proposal(proposal_id)
    form = ProposalForm(campaign=proposal.campaign)
    if not form.validate_on_submit():
        # The description is the field that can be refused; anything else is a stale page.
        problem = form.description.errors[0] if form.description.errors else None
        message = problem or _("These changes could not be saved: reload the page.")
        return jsonify(
            status="invalid", field=form.description.name if problem else None, message=str(message)
        ), 400
    if proposal.state is not ProposalState.draft:
        return jsonify(status="locked", message=_("This proposal is no longer a draft.")), 409
    try:
        saved = save_draft(
            proposal=proposal,
            content=content_from_form(form),
            base_version=_version(form),
            author=current_user,
        )
        db.session.commit()
    except (StaleVersion, StaleDataError):
        db.session.rollback()
        current = db.session.get(Proposal, proposal_id)
        who = current.last_saved_by.display_name if current.last_saved_by else ""
        return jsonify(
            status="conflict",
            version=current.version,
            message=_(
                "%(name)s saved a newer version. Your changes are not saved yet: press “Save draft” to "
                "compare the two and merge.",
                name=who,
            ),
        ), 409
    ahead.after_save(proposal)
    return jsonify(
        status="saved" if saved else "unchanged", version=proposal.version, message=_("All changes saved.")
    )


@bp.route("/<int:proposal_id>/preview", methods=["POST"])
@login_required
@limiter.limit("120 per minute")
def preview(proposal_id: int):
    """The description rendered as in print, with its page count (the live counter)."""
    from portal.proposals.editing import description_preview

    proposal = editable_proposal(proposal_id)
    text = normalise({"description": request.form.get("description", "")})["description"]
    answer = description_preview(proposal, text)
    # Not measured within RENDER_WAIT_SECONDS: the script polls the address in the answer.
    return jsonify(answer), 202 if answer["status"] == "counting" else 200


@bp.route("/<int:proposal_id>")
@login_required
def view(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    context = EditPage(proposal, None).view_context()
    context["description_html"] = page_html(proposal, proposal.content["description"])
    context["official_pdf"] = pdf_state(proposal)
    # A first reader's rendering (or its failure) is kept for every later one.
    db.session.commit()
    return render_template("proposals/view.html", **context)


# While the official PDF is being prepared, the receipt reloads itself this often (no JavaScript).
PDF_REFRESH_SECONDS = 3


@bp.route("/<int:proposal_id>/receipt")
@login_required
def receipt(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    if proposal.submitted_revision is None:
        abort(404)
    revision = proposal.submitted_revision
    official_pdf = pdf_state(proposal)
    page = render_template(
        "proposals/receipt.html",
        proposal=proposal,
        revision=revision,
        reference=reference(proposal),
        co_supervisor=co_supervisor(proposal, revision.content),
        official_pdf=official_pdf,
    )
    return reloading(page, pending=bool(official_pdf and official_pdf.pending), seconds=PDF_REFRESH_SECONDS)


def _state_change(proposal_id: int, change, done_message: str, done_page: str = "proposals.view"):
    proposal = owned_proposal(proposal_id)
    try:
        change(proposal=proposal, author=current_user)
    except NotAllowedNow as refusal:
        db.session.rollback()
        if str(refusal) == "under review":
            flash(
                _("Reviewers are already assigned to this proposal: it can no longer be taken back."), "error"
            )
        else:
            flash(_("The deadline has passed: this proposal can no longer be changed."), "error")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    db.session.commit()
    flash(done_message, "success")
    return redirect(url_for(done_page, proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/reopen", methods=["POST"])
@login_required
def reopen_route(proposal_id: int):
    # Reopened to be changed: straight to the form.
    return _state_change(
        proposal_id,
        reopen,
        _("The proposal is a draft again. The submitted version stays on record."),
        done_page="proposals.edit",
    )


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw_route(proposal_id: int):
    return _state_change(proposal_id, withdraw, _("The proposal is withdrawn from the call."))


@bp.route("/<int:proposal_id>/extension", methods=["POST"])
@login_required
def extend(proposal_id: int):
    """Programme staff of the initiative (or an administrator) give this proposal more time."""
    proposal = readable_proposal(proposal_id)
    if not can_manage(current_user, proposal):
        abort(403)
    form = ExtensionForm()
    if not form.validate_on_submit():
        flash(_("Enter the new deadline as a date and a time."), "error")
    else:
        grant_extension(proposal=proposal, until=paris_to_utc(form.until.data), granted_by=current_user)
        db.session.commit()
        flash(
            _(
                "This proposal may now be changed and submitted until %(time)s.",
                time=local_datetime(proposal.deadline),
            ),
            "success",
        )
    return redirect(url_for("proposals.view", proposal_id=proposal.id))
