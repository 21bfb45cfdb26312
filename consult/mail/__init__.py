"""Emailed receipts (issue #19): queued in the database at submit, sent by a worker.

Submitting writes one row of the outbox (``models.mail.OutgoingMail``) in the submit's own
transaction and never talks to a mail server; ``consult send-mail`` or the thread that
``consult serve`` starts sends what is due over SMTP, retrying with back-off. The private
link's token is kept sealed (``sealing``) until the message is sent, then dropped with the
address, so the database alone opens no response.

    sealing.py   seal()/unseal(): Fernet under a key derived from SECRET_KEY for this purpose
    outbox.py    queue_receipt() at submit; what the receipt page and the console read;
                 retry_now() (audited); forget_personal_data() for the purge
    message.py   the receipt composed at send time from templates/mail/, in its language
    sending.py   send_due(): claim, send with smtplib, mark sent or schedule a retry;
                 the loop of ``consult send-mail`` and of ``consult serve``'s thread

May import models, extensions, reviewing (the audit entry) and Flask's app context; never
a blueprint, ``web``, ``reports`` or ``flask.request``: it runs outside requests.
"""

from .outbox import queue_receipt, receipt_state
from .sending import MailNotConfigured, SendReport, send_due

__all__ = ["MailNotConfigured", "SendReport", "queue_receipt", "receipt_state", "send_due"]
