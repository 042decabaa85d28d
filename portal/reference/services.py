"""Operations on reference data beyond plain editing."""

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.reference.models import Campaign, CampaignState
from portal.timezones import paris_to_utc, utc_to_paris


class CampaignExists(ValueError):
    """The following year already has its campaign."""

    def __init__(self, campaign: Campaign):
        super().__init__(campaign.name)
        self.campaign = campaign


def _one_year_later(moment: datetime) -> datetime:
    """Same wall-clock time in Paris a year later (23:59 stays 23:59 whatever the DST)."""
    local = utc_to_paris(moment).replace(tzinfo=None)
    try:
        shifted = local.replace(year=local.year + 1)
    except ValueError:  # 29 February
        shifted = local.replace(year=local.year + 1, day=28)
    return paris_to_utc(shifted)


def prepare_next_campaign(*, previous: Campaign) -> Campaign:
    """A draft for the following year: same settings and initiatives, dates a year later."""
    year = previous.year + 1
    existing = db.session.scalar(select(Campaign).where(Campaign.year == year))
    if existing is not None:
        raise CampaignExists(existing)
    campaign = Campaign(
        name=previous.name.replace(str(previous.year), str(year))
        if str(previous.year) in previous.name
        else f"AAP {year}",
        year=year,
        opens_at=_one_year_later(previous.opens_at),
        closes_at=_one_year_later(previous.closes_at),
        page_limit=previous.page_limit,
        contact_email=previous.contact_email,
        description=previous.description,
        state=CampaignState.draft,
        initiatives=list(previous.initiatives),
        ignored_mail_domains=list(previous.ignored_mail_domains or []),
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign
