"""Users, their roles (with the doctoral school or initiative a staff role covers) and recovery codes."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.names import spoken_name
from portal.reference.models import DoctoralSchool, Initiative, ResearchUnit


class Role(enum.Enum):
    supervisor = "supervisor"
    reviewer = "reviewer"
    school_staff = "school_staff"
    programme_staff = "programme_staff"
    admin = "admin"


# Roles whose holders must sign in with a second factor.
STAFF_ROLES = frozenset({Role.school_staff, Role.programme_staff, Role.admin})


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled: Mapped[bool] = mapped_column(default=False)
    # Bumped on sign-out and password change: every cookie carrying an older value is dead.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(8))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Profile: what the PRD form pre-fills.
    last_name: Mapped[str] = mapped_column(String(100), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(150), default="")
    hdr: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str] = mapped_column(Text, default="")
    research_unit_id: Mapped[int | None] = mapped_column(ForeignKey("research_units.id", ondelete="SET NULL"))
    doctoral_school_id: Mapped[int | None] = mapped_column(
        ForeignKey("doctoral_schools.id", ondelete="SET NULL")
    )
    research_unit: Mapped[ResearchUnit | None] = relationship()
    # A unit typed by hand, not (yet) in the reference list: used when research_unit is None, and
    # offered to administrators to add to the list (reference/entered_units.py).
    unit_acronym: Mapped[str] = mapped_column(String(32), default="", server_default="")
    unit_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    unit_code: Mapped[str] = mapped_column(String(16), default="", server_default="")
    doctoral_school: Mapped[DoctoralSchool | None] = relationship()
    # The owner's choice: directors who type this address fill their co-supervisor block from it.
    findable_as_co_supervisor: Mapped[bool] = mapped_column(default=False, server_default=false())

    # Two-factor authentication (TOTP).
    # Encrypted (auth/secrets_box.py): a database dump alone must not give away second factors.
    totp_secret_sealed: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last accepted time step, so that one code cannot be replayed within its window.
    totp_last_step: Mapped[int | None]

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return spoken_name(self) or self.email

    @property
    def unit_details(self) -> dict[str, str] | None:
        """The profile's research unit as {acronym, name, code}, listed or typed; None when unset."""
        if self.research_unit is not None:
            unit = self.research_unit
            return {"acronym": unit.acronym, "name": unit.name, "code": unit.code}
        if self.unit_code:
            return {"acronym": self.unit_acronym, "name": self.unit_name, "code": self.unit_code}
        return None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def roles(self) -> set[Role]:
        return {grant.role for grant in self.grants}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.admin)

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def may_be_found_as_co_supervisor(self) -> bool:
        """Supervisors may let directors find them; staff and administrator accounts never are."""
        return self.has_role(Role.supervisor) and not self.needs_two_factor

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def staff_school_ids(self) -> set[int]:
        return {g.doctoral_school_id for g in self.grants if g.role is Role.school_staff}

    def staff_initiative_ids(self) -> set[int]:
        return {g.initiative_id for g in self.grants if g.role is Role.programme_staff}


class RoleGrant(TimestampMixin, db.Model):
    """One role held by one user; staff roles name the doctoral school or initiative they cover."""

    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "doctoral_school_id", "initiative_id"),
        CheckConstraint("(role = 'school_staff') = (doctoral_school_id IS NOT NULL)", name="school_scope"),
        CheckConstraint("(role = 'programme_staff') = (initiative_id IS NOT NULL)", name="initiative_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, name="role", native_enum=False, length=32))
    doctoral_school_id: Mapped[int | None] = mapped_column(
        ForeignKey("doctoral_schools.id", ondelete="CASCADE")
    )
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user: Mapped[User] = relationship(back_populates="grants")
    doctoral_school: Mapped[DoctoralSchool | None] = relationship(lazy="joined")
    initiative: Mapped[Initiative | None] = relationship(lazy="joined")

    @property
    def scope(self) -> DoctoralSchool | Initiative | None:
        return self.doctoral_school or self.initiative


class RecoveryCode(db.Model):
    """A single-use code that replaces the authenticator app once; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship(back_populates="recovery_codes")
