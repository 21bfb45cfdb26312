"""The private link's token, sealed while it waits in the outbox.

The database keeps only a digest of edit tokens (``models.response.hash_token``), so a
leaked database opens no response. A queued receipt must still say the link, so its token
is encrypted (Fernet: AES-128-CBC with an HMAC) under a key derived from SECRET_KEY by
HKDF-SHA-256 for this one purpose: without the secret key, the sealed text is noise.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: Binds the derived key to this use: another purpose of SECRET_KEY gets another key.
_PURPOSE = b"consult.mail.sealed-private-link.v1"


class SealBroken(Exception):
    """The sealed text does not open under this secret key (changed, or tampered with)."""


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str, secret: str) -> str:
    """Encrypt a private link's token for the outbox."""
    return _fernet(secret).encrypt(token.encode()).decode("ascii")


def unseal(sealed: str, secret: str) -> str:
    """The token back; ``SealBroken`` when the secret key is not the one that sealed it."""
    try:
        return _fernet(secret).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as error:
        raise SealBroken("the sealed private link does not open with this SECRET_KEY") from error
