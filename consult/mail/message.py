"""The receipt, composed when it is sent: in the respondent's language, from templates/mail/.

A plain-text part and an HTML part saying the same: the reference code, the consultation's
title and the private link. No image, no style sheet, no tracking: the only address in it
is the private link, on the site's own host.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..models import Consultation


class NoSiteAddress(Exception):
    """Neither PUBLIC_URL nor SERVER_NAME says the site's address: no link can be written."""


def site_address_known() -> bool:
    config = current_app.config
    return bool(config.get("PUBLIC_URL") or config.get("SERVER_NAME"))


def private_link(slug: str, token: str) -> str:
    """The private link as an absolute URL, outside any request: under ``PUBLIC_URL``,
    else ``SERVER_NAME`` (as the open data's ``homepage`` is written)."""
    public = current_app.config.get("PUBLIC_URL")
    values = {"slug": slug, "token": token}
    if public:
        path = current_app.url_map.bind("localhost").build("public.show_private", values)
        return f"{str(public).rstrip('/')}{path}"
    if current_app.config.get("SERVER_NAME"):
        return url_for("public.show_private", **values, _external=True)
    raise NoSiteAddress(
        "set PUBLIC_URL (the site's public address, e.g. https://consulta.example.gob.pe):"
        " without it a receipt's private link cannot be written"
    )


def receipt_message(
    *,
    consultation: Consultation,
    reference: str,
    token: str,
    locale: str,
    sender: str,
    recipient: str,
) -> EmailMessage:
    """The receipt of one response, ready for SMTP."""
    link = private_link(consultation.slug, token)
    with force_locale(locale):
        title = consultation.t("title")
        subject = _("Your response to “%(title)s”: %(reference)s", title=title, reference=reference)
        words = {
            "title": title,
            "reference": reference,
            "link": link,
            "locale": locale,
            "subject": subject,
        }
        text = render_template("mail/receipt.txt", **words)
        html = render_template("mail/receipt.html", **words)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("receipt", domain=urlsplit(link).hostname or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # After the parts: making the message multipart moves Content-* headers into the first.
    message["Content-Language"] = locale
    return message
