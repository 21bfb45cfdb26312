"""The app behind a real HTTP server, bytes sent to it as they are, and what it logged.

The test client builds the WSGI environ itself, so it cannot send what a hostile client
puts on the wire: a Host header werkzeug's client would refuse to build, a body in broken
chunks, header bytes no browser sends. ``served`` runs the app under werkzeug's threaded
server on 127.0.0.1, in this process (so the test's database and log capture see every
request), and ``exchange`` sends raw bytes and reads the whole reply.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

#: Signs of a trace or of the inside in a reply: none may show.
LEAKS = (b"Traceback", b'File "', b"sqlalchemy", b"werkzeug.", b"Exception", b"Errno")


@contextmanager
def served(app: Flask) -> Iterator[int]:
    """Serve ``app`` on a free local port (its SERVER_NAME lifted) and give the port."""
    server_name = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.config["SERVER_NAME"] = server_name


@dataclass
class Reply:
    status: int
    head: bytes
    body: bytes

    def header(self, name: str) -> str | None:
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return None


def exchange(port: int, data: bytes, timeout: float = 10) -> Reply:
    """Send ``data`` on a new connection, end the sending side, read the reply to its end.

    Ending the sending side means a body shorter than announced is cut off at once,
    rather than leaving the server waiting for the rest.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        received = []
        while chunk := connection.recv(65536):
            received.append(chunk)
    raw = b"".join(received)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    assert len(status_line) >= 2 and status_line[1].isdigit(), f"no HTTP reply: {raw[:200]!r}"
    reply = Reply(int(status_line[1]), head, body)
    # A body the app refused unread may be taken by werkzeug's server for a next request,
    # answered after this reply: only this reply's own bytes are the app's.
    length = reply.header("Content-Length")
    if length is not None and length.isdigit():
        reply.body = body[: int(length)]
    return reply


def request_bytes(
    method: str, path: bytes | str, headers: list[tuple[str, bytes | str]], body: bytes = b""
) -> bytes:
    """An HTTP/1.1 request, headers as given (no Host or Content-Length added)."""
    target = path if isinstance(path, bytes) else path.encode("latin-1")
    lines = [method.encode() + b" " + target + b" HTTP/1.1"]
    for name, value in [*headers, ("Connection", "close")]:
        value = value if isinstance(value, bytes) else value.encode("latin-1")
        lines.append(name.encode("latin-1") + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records of a failure: an error, or anything logged with a traceback."""
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info or "Traceback" in record.getMessage()
    ]
