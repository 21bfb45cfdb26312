"""Whole requests in, WSGI calls on a thread pool out: how a worker reaches the app.

tornado's HTTP server, on the worker's event loop, reads each request's line, headers and
whole body (within the worker's timeouts and size limit) before anything else happens. Only
then does a thread of the pool take it: it builds the WSGI environment, calls the app, reads
its reply, hands the bytes back to the loop and writes the access-log line, in one hop. So a
slow or idle client costs a connection on the loop, never a thread, and the app runs in the
thread that pushed its contexts (Flask pops them in the reply's ``close()``).

A reply is handed to the loop whole, unless the app goes on making chunks past the first
``STREAM_WRITE_BYTES`` (the CSV download): then it goes out as it comes, each write of about
that size waited for, so a slow reader holds the download back instead of filling memory; a
reader who takes no write within ``STREAM_WRITE_TIMEOUT`` is cut off.

A request announcing a body larger than the app accepts for its path (``MAX_CONTENT_LENGTH``,
more where a route takes a file: ``web/body_limits.py``) is answered from its headers
alone, with the app's own 413 page, and its connection closed: the body is never read.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import io
import sys
import time
from collections.abc import Callable, Iterable
from email.utils import formatdate
from types import SimpleNamespace
from urllib.parse import unquote_to_bytes, urlsplit

from tornado import httputil
from tornado.iostream import StreamClosedError

from ..web.private_paths import hide_tokens

STREAM_WRITE_BYTES = 64 * 1024
STREAM_WRITE_TIMEOUT = 60.0

_NO_BODY = frozenset({204, 304})
#: Request headers that describe the body as it travelled; the app gets it whole instead.
_FRAMING = frozenset({"CONTENT_LENGTH", "TRANSFER_ENCODING"})
_date = (0, "")


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the app must return its body, not write() it")


def http_date() -> str:
    """The ``Date`` header, formatted once a second."""
    global _date
    now = int(time.time())
    if _date[0] != now:
        _date = (now, formatdate(now, usegmt=True))
    return _date[1]


class Bridge(httputil.HTTPServerConnectionDelegate):
    """The delegate of tornado's server: one ``_Exchange`` per request."""

    def __init__(
        self,
        app: Callable,
        executor: concurrent.futures.Executor,
        log,
        *,
        server: tuple[str, str],
        max_body: int | None,
        body_limit: Callable[[str], int | None] | None = None,
        on_request: Callable[[], None] = lambda: None,
    ) -> None:
        self.app, self.executor, self.log = app, executor, log
        self.server_name, self.server_port = server
        self.max_body = max_body
        #: The limit for a path (``web.body_limits``); else ``max_body`` everywhere.
        self.body_limit = body_limit or (lambda _path: max_body)
        self.on_request = on_request
        self.loop = asyncio.get_running_loop()
        #: Requests read whole and not yet answered (changed on the loop only).
        self.in_flight = 0

    def start_request(self, server_conn, request_conn) -> _Exchange:
        return _Exchange(self, request_conn)

    def request_done(self) -> None:
        self.in_flight -= 1
        self.on_request()

    def environ(self, start_line, headers, body: bytes, context, declared: str | None) -> dict:
        """The WSGI environment of a request read whole (PEP 3333)."""
        path, query = _split_target(start_line.path)
        environ = {
            "REQUEST_METHOD": start_line.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "RAW_URI": start_line.path,
            "SERVER_NAME": self.server_name,
            "SERVER_PORT": self.server_port,
            "SERVER_PROTOCOL": start_line.version,
            "REMOTE_ADDR": context.remote_ip,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https" if context.protocol == "https" else "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if isinstance(context.address, tuple) and len(context.address) > 1:
            environ["REMOTE_PORT"] = str(context.address[1])
        if declared is not None:
            environ["CONTENT_LENGTH"] = declared
        elif body or "Content-Length" in headers or "Transfer-Encoding" in headers:
            environ["CONTENT_LENGTH"] = str(len(body))
        for name, value in headers.get_all():
            if "_" in name:  # X_Forwarded_For would pass for X-Forwarded-For: drop it
                continue
            key = name.upper().replace("-", "_")
            if key in _FRAMING:
                continue
            if key != "CONTENT_TYPE":
                key = "HTTP_" + key
            if key in environ:
                environ[key] += ("; " if key == "HTTP_COOKIE" else ",") + value
            else:
                environ[key] = value
        return environ


def _split_target(target: str) -> tuple[str, str]:
    """The request target's path (decoded, as PATH_INFO holds it) and query string."""
    if target.startswith("/"):
        path, _, query = target.partition("?")
    else:  # absolute form, as a proxy would send it
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
    return unquote_to_bytes(path).decode("latin-1"), query


class _Exchange(httputil.HTTPMessageDelegate):
    """One request: gathered on the loop, answered from a thread of the pool."""

    def __init__(self, bridge: Bridge, connection) -> None:
        self.bridge = bridge
        self.connection = connection
        self.start_line = None
        self.headers = None
        self.body = bytearray()
        self.started = 0.0
        self.early: asyncio.Future | None = None
        self.answered = False

    # ---------------------------------------------------------------- on the loop

    def headers_received(self, start_line, headers):
        self.start_line, self.headers = start_line, headers
        self.started = time.monotonic()
        declared = headers.get("Content-Length", "")
        limit = self.bridge.body_limit(_split_target(start_line.path)[0])
        if limit is not None and declared.isdigit() and int(declared) > limit:
            return self._answer_before_the_body(declared)
        return None

    def data_received(self, chunk: bytes) -> None:
        self.body += chunk

    def finish(self) -> None:
        self.bridge.in_flight += 1
        body, self.body = bytes(self.body), bytearray()
        self.bridge.executor.submit(self._call, body, None)

    def on_connection_close(self) -> None:
        self.body = bytearray()

    async def _answer_before_the_body(self, declared: str) -> None:
        self.early = self.bridge.loop.create_future()
        self.bridge.in_flight += 1
        self.bridge.executor.submit(self._call, b"", declared)
        await self.early
        self.connection.detach().close()

    def _write_whole(self, start, headers, body: bytes) -> None:
        try:
            written = self.connection.write_headers(start, headers, body)
            if self.early is not None:
                written.add_done_callback(lambda _: self.early.set_result(None))
            else:
                self.connection.finish()
        except Exception:
            self.bridge.log.exception("Error writing the reply to %s", self._where())
            if self.early is not None and not self.early.done():
                self.early.set_result(None)
            else:
                self.connection.close()
        finally:
            self._done()

    def _done(self) -> None:
        if not self.answered:
            self.answered = True
            self.bridge.request_done()

    def _abort(self) -> None:
        self.connection.close()
        self._done()

    # ---------------------------------------------------------------- in a thread

    def _call(self, body: bytes, declared: str | None) -> None:
        bridge = self.bridge
        environ = bridge.environ(
            self.start_line, self.headers, body, self.connection.context, declared
        )
        reply = SimpleNamespace(status=None, headers=[], sent=0, streamed=False, handed=False)

        def start_response(status: str, headers: list, exc_info=None):
            if exc_info and reply.streamed:
                raise exc_info[1].with_traceback(exc_info[2])
            reply.status, reply.headers = status, headers
            return _no_write

        try:
            result = bridge.app(environ, start_response)
            try:
                self._send(result, reply)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except ConnectionAbortedError:
            bridge.log.debug("The client of %s went away mid-reply", self._where())
            bridge.loop.call_soon_threadsafe(self._abort)
        except Exception:
            bridge.log.exception("Error handling request %s", self._where())
            if reply.streamed:
                bridge.loop.call_soon_threadsafe(self._abort)
            elif not reply.handed:  # (an error in close() comes after the reply left)
                reply.status, reply.headers = "500 Internal Server Error", [("Connection", "close")]
                self._deliver(reply, b"")
        request_time = datetime.timedelta(seconds=time.monotonic() - self.started)
        request = SimpleNamespace(headers=list(self.headers.get_all()))
        bridge.log.access(reply, request, environ, request_time)

    def _send(self, result: Iterable[bytes], reply) -> None:
        """Hand the reply to the loop whole, unless the app goes on past a large start."""
        chunks = iter(result)
        pending, size = [], 0
        for chunk in chunks:
            if size >= STREAM_WRITE_BYTES and self.early is None:
                reply.streamed = True
                headers = self._response_headers(reply, None)
                self._stream(reply, headers, [*pending, chunk], chunks)
                return
            pending.append(chunk)
            size += len(chunk)
        self._deliver(reply, b"".join(pending))

    def _deliver(self, reply, body: bytes) -> None:
        if self.start_line.method == "HEAD":
            body = b""
        headers = self._response_headers(reply, len(body))
        if self.early is not None:
            headers["Connection"] = "close"
        reply.sent = len(body)
        start = self._start_line(reply)
        self.bridge.loop.call_soon_threadsafe(self._write_whole, start, headers, body)
        reply.handed = True

    def _stream(self, reply, headers, pending: list[bytes], chunks) -> None:
        """Send the reply as the app makes it, waiting for each write to leave."""
        start, first, size = self._start_line(reply), True, sum(map(len, pending))
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= STREAM_WRITE_BYTES:
                self._write_and_wait(start if first else None, headers, b"".join(pending))
                reply.sent += size
                first, pending, size = False, [], 0
        self._write_and_wait(start if first else None, headers, b"".join(pending), last=True)
        reply.sent += size

    def _write_and_wait(self, start, headers, data: bytes, last: bool = False) -> None:
        done: concurrent.futures.Future = concurrent.futures.Future()

        def write() -> None:
            try:
                if start is not None:
                    written = self.connection.write_headers(start, headers, data)
                else:
                    written = self.connection.write(data)
                if last:
                    self.connection.finish()
                    self._done()
            except Exception as exc:
                done.set_exception(exc)
                return
            written.add_done_callback(
                lambda f: done.set_exception(f.exception()) if f.exception() else done.set_result(1)
            )

        self.bridge.loop.call_soon_threadsafe(write)
        try:
            done.result(timeout=STREAM_WRITE_TIMEOUT)
        except (StreamClosedError, concurrent.futures.TimeoutError) as exc:
            raise ConnectionAbortedError("the client stopped reading") from exc

    def _start_line(self, reply) -> httputil.ResponseStartLine:
        code, _, reason = reply.status.partition(" ")
        return httputil.ResponseStartLine("HTTP/1.1", int(code), reason)

    def _response_headers(self, reply, length: int | None) -> httputil.HTTPHeaders:
        headers = httputil.HTTPHeaders()
        for name, value in reply.headers:
            headers.add(name, value)
        if "Date" not in headers:
            headers["Date"] = http_date()
        code = int(reply.status[:3])
        if (
            length is not None
            and "Content-Length" not in headers
            and self.start_line.method != "HEAD"
            and code >= 200
            and code not in _NO_BODY
        ):
            headers["Content-Length"] = str(length)
        return headers

    def _where(self) -> str:
        return f"{self.start_line.method} {hide_tokens(self.start_line.path)}"
