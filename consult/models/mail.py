"""The outbox: messages queued in the database at submit and sent by a worker.

Submitting never waits for a mail server: the row is written in the submit's own
transaction, and ``consult send-mail`` (or the thread ``consult serve`` starts) sends it.
The private link is a secret: it is kept sealed (encrypted with a key derived from the
app's secret key) until the message is sent, then dropped, so a leaked database opens no
response.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow, vocab
from .vocab import MailStatus


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (
        # A response's receipt is queued once, however often it is submitted.
        sa.UniqueConstraint("response_id", "kind", name="uq_outgoing_mail_response_kind"),
        sa.Index("ix_outgoing_mail_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE")
    )
    #: What message it is ("receipt").
    kind: Mapped[str] = mapped_column(sa.String(32))
    #: Personal data: the address it goes to; emptied once sent.
    recipient: Mapped[str | None] = mapped_column(sa.String(254))
    #: The language it is written in.
    locale: Mapped[str] = mapped_column(sa.String(8), default="es")
    #: The private link's token, encrypted (``mail.sealing``); dropped once sent.
    sealed_token: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[MailStatus] = mapped_column(
        vocab(MailStatus, "mail_status"), default=MailStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Not to be tried before this (back-off after a failure), naive UTC.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A worker that took it holds it until then; another worker leaves it alone.
    claimed_until: Mapped[datetime | None]
    #: The mail server's last refusal or the connection error, for the console.
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
