"""Coordinators and administrators, their signed-in sessions, and failed sign-ins."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .columns import utcnow, vocab
from .vocab import Role


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; the sign-in name.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Werkzeug's salted scrypt hash; never the password.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(vocab(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Part of the session id: bumping it ends every open session of this user.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    @staticmethod
    def hash_password(password: str) -> str:
        """The stored form of a password: every account's hash is made here, one way."""
        return generate_password_hash(password)

    def set_password(self, password: str) -> None:
        self.password_hash = self.hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Sign this user out everywhere (on deactivation, role or password change)."""
        self.session_version += 1


class ConsoleSession(db.Model):
    """One signed-in browser, so that signing out can end it on the server.

    A signed cookie cannot be taken back once copied (a shared computer, a stolen
    cookie), so each console session is also this row: signing out deletes it and a
    copy of the cookie then opens nothing, while the person's other browsers stay signed
    in. Only a hash of the browser's token is stored: reading this table gives no way in.
    """

    __tablename__ = "console_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 (hex) of the random token kept in the browser's signed session cookie.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignInFailure(db.Model):
    """One failed sign-in: counted per account and per address to slow, then lock, guessing."""

    __tablename__ = "sign_in_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
