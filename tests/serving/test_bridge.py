"""The bridge between tornado's server and a WSGI app, on a real socket, with small apps.

``consult serve`` goes through it for every request (tests/serving/test_*.py against real
servers); here each path of it is taken on purpose: a reply streamed past its first 64 KB
(with a reader too slow for it), an app that fails, HEAD, a chunked request body, headers
written with underscores.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from tornado.httpserver import HTTPServer

from consult.serving.bridge import STREAM_WRITE_BYTES, Bridge


class Log:
    """Where the bridge writes: access lines and errors, kept for the test to read."""

    def __init__(self) -> None:
        self.access_lines: list[tuple[str, int]] = []
        self.errors: list[str] = []

    def access(self, reply, request, environ, request_time) -> None:
        self.access_lines.append((reply.status, reply.sent))

    def exception(self, message: str, *args) -> None:
        self.errors.append(message % args)

    def debug(self, message: str, *args) -> None:
        pass


@contextmanager
def bridged(app, max_body: int = 1000) -> Iterator[tuple[int, Log]]:
    """Serve ``app`` through the bridge on a free port, the loop in a thread of its own."""
    log, ready, box = Log(), threading.Event(), {}

    async def serve() -> None:
        executor = ThreadPoolExecutor(2)
        bridge = Bridge(app, executor, log, server=("127.0.0.1", "0"), max_body=max_body)
        server = HTTPServer(bridge)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.setblocking(False)
        server.add_sockets([listener])
        box["port"], box["stop"] = listener.getsockname()[1], asyncio.Event()
        box["loop"] = asyncio.get_running_loop()
        ready.set()
        await box["stop"].wait()
        server.stop()
        await server.close_all_connections()
        executor.shutdown(wait=False, cancel_futures=True)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield box["port"], log
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(10)


def get(port: int, method: str = "GET", body: bytes | None = None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, "/a?b=1", body=body, headers=headers or {})
        reply = connection.getresponse()
        return reply, reply.read()
    finally:
        connection.close()


def test_a_long_streamed_reply_arrives_whole_and_holds_back_a_slow_reader():
    made: list[int] = []

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        for number in range(3000):  # 3000 x 32 KB = 96 MB, far past any socket buffer
            made.append(number)
            yield bytes([number % 256]) * (STREAM_WRITE_BYTES // 2)

    with bridged(app) as (port, log):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(1.0)  # the reader reads nothing: the app must be waiting, not racing on
        assert len(made) < 600, f"{len(made)} chunks made for a reader that read nothing"
        with client, client.makefile("rb") as reply:
            head = b"".join(iter(reply.readline, b"\r\n"))
            assert b"Transfer-Encoding: chunked" in head
            received = 0
            while size := int(reply.readline(), 16):
                received += len(reply.read(size))
                reply.readline()
    assert received == 3000 * (STREAM_WRITE_BYTES // 2) and len(made) == 3000
    assert log.access_lines == [("200 OK", received)]


def test_an_app_that_fails_gives_a_500_and_an_error_line():
    def app(environ, start_response):
        raise ValueError("boom")

    with bridged(app) as (port, log):
        reply, body = get(port)
    assert reply.status == 500 and reply.headers["Connection"] == "close" and body == b""
    assert log.errors == ["Error handling request GET /a?b=1"]


def test_the_environment_head_and_a_chunked_body():
    seen: list[dict] = []

    def app(environ, start_response):
        seen.append({**environ, "body": environ["wsgi.input"].read()})
        cookies = [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        start_response("200 OK", [("Content-Length", "5"), *cookies])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else b"hello"]

    with bridged(app) as (port, log):
        chunked = iter([b"name=", b"value"])  # http.client sends an iterable in chunks
        reply, body = get(port, "POST", chunked, {"X_Forwarded_For": "6.6.6.6", "X-Ok": "1"})
        assert (reply.status, body) == (200, b"hello")
        assert reply.headers.get_all("Set-Cookie") == ["a=1", "b=2"] and reply.headers["Date"]
        head, nothing = get(port, "HEAD")
        assert (head.status, head.headers["Content-Length"], nothing) == (200, "5", b"")
    posted = seen[0]
    assert (posted["PATH_INFO"], posted["QUERY_STRING"]) == ("/a", "b=1")
    assert posted["RAW_URI"] == "/a?b=1"
    assert posted["body"] == b"name=value" and posted["CONTENT_LENGTH"] == "10"
    assert posted["REMOTE_ADDR"] == "127.0.0.1" and posted["HTTP_X_OK"] == "1"
    assert "HTTP_X_FORWARDED_FOR" not in posted and "HTTP_TRANSFER_ENCODING" not in posted
