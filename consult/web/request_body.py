"""A body the server cannot read is the client's fault: a 400, never a 500.

werkzeug reads a form through the WSGI server's ``wsgi.input`` and turns the errors it
expects from it (OSError, ValueError: a client gone mid-body) into a 400. A server may
raise errors of its own: gunicorn raises ``InvalidChunkSize`` and its kin, plain
Exceptions, for a body in broken chunks (``Transfer-Encoding: chunked`` then ``zz``).
That went through ``request.files`` in the before-request check as a 500 with a
traceback. The app's request class (``form_messages.Request``) reads every form through
``GuardedStream``, which turns whatever the server raises while reading into a 400,
whichever server runs the app.
"""

from __future__ import annotations

from typing import IO, Any

from werkzeug.exceptions import BadRequest, HTTPException


class UnreadableBody(BadRequest):
    """The server could not read the request's body (broken chunks, a framing error)."""

    description = "The request body could not be read."


class GuardedStream:
    """A body stream whose read errors are the client's 400 rather than the app's 500."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except HTTPException:
            raise  # werkzeug's own verdict: too large (413), client gone (400)
        except Exception as error:
            raise UnreadableBody() from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class GuardedBody:
    """Mixin for the app's request class: forms are parsed from a ``GuardedStream``."""

    def _get_stream_for_parsing(self) -> IO[bytes]:
        return GuardedStream(super()._get_stream_for_parsing())  # type: ignore[misc, return-value]
