"""consult's gunicorn worker: an event loop reads whole requests, a thread pool runs the app.

gunicorn keeps what it is good at: the master process, one worker per core, restarting a
worker that dies, graceful stops, the access log. Inside a worker, gthread hands every new
connection to a thread that then waits for the client's headers and body, so a handful of
slow clients (8, for 2 workers of 4 threads) stopped the site. Here tornado's HTTP server,
on the worker's asyncio loop, reads each request whole first, within:

- ``REQUEST_HEADER_TIMEOUT``: the request line and headers must arrive within it (tornado's
  ``idle_connection_timeout``, which also closes a kept-alive connection left idle as long);
- ``REQUEST_BODY_TIMEOUT``: the body must arrive within it;
- ``MAX_CONTENT_LENGTH``: a larger body is refused before it is read (``bridge.py``), but
  where a route takes a file (``web/body_limits.py``: tornado reads up to the largest);

and only a complete request reaches one of the ``--threads`` threads (``bridge.py``). A
worker holds at most gunicorn's ``worker_connections`` connections; beyond them a new one
is closed at once, so a flood of idle connections cannot exhaust the process's files.

Forwarded headers are left as the client sent them (tornado's ``xheaders`` off): the app's
``PROXY_COUNT`` alone decides which proxies to believe (``web/limits.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
from concurrent.futures import ThreadPoolExecutor

from gunicorn.workers.base import Worker
from tornado.httpserver import HTTPServer

from ..web.body_limits import body_limit, largest_body_limit
from .bridge import Bridge

#: Files a worker keeps for itself (logs, database, listening socket) beyond its connections.
_SPARE_FILES = 64


class _Server(HTTPServer):
    """tornado's HTTP server that closes new connections beyond ``max_connections``."""

    max_connections = 1000

    def handle_stream(self, stream, address) -> None:
        if len(self._connections) >= self.max_connections:
            stream.close()
            return
        super().handle_stream(stream, address)


class BufferingWorker(Worker):
    """A gunicorn worker serving the app's requests only once they have arrived whole."""

    def init_process(self) -> None:
        self.max_connections = _allow_open_files(self.cfg.worker_connections)
        super().init_process()

    def run(self) -> None:
        asyncio.run(self._serve())

    def handle_exit(self, sig, frame) -> None:
        """SIGTERM: stop taking connections now, not at the next heartbeat."""
        super().handle_exit(sig, frame)
        wake = getattr(self, "_wake", None)
        if wake is not None:
            # A second signal (Ctrl-C reaches the master and every worker) may come once the
            # loop has closed: the worker is stopping already.
            with contextlib.suppress(RuntimeError):
                wake()

    def _count_request(self) -> None:
        self.nr += 1
        if self.nr >= self.max_requests and self.alive:
            self.log.info("Autorestarting worker after current request.")
            self.alive = False

    async def _serve(self) -> None:
        config = self.wsgi.config
        max_body = config.get("MAX_CONTENT_LENGTH")
        executor = ThreadPoolExecutor(self.cfg.threads, thread_name_prefix="consult")
        host, port = _address(self.sockets[0].sock)
        bridge = Bridge(
            self.wsgi,
            executor,
            self.log,
            server=(host, port),
            max_body=max_body,
            body_limit=lambda path: body_limit(config, path),
            on_request=self._count_request,
        )
        server = _Server(
            bridge,
            idle_connection_timeout=float(config["REQUEST_HEADER_TIMEOUT"]),
            body_timeout=float(config["REQUEST_BODY_TIMEOUT"]),
            max_body_size=largest_body_limit(config),
            no_keep_alive=self.cfg.keepalive <= 0,
            xheaders=False,
            decompress_request=False,
        )
        server.max_connections = self.max_connections
        for listener in self.sockets:
            listener.sock.setblocking(False)
            server.add_socket(listener.sock)
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()
        self._wake = lambda: loop.call_soon_threadsafe(stopping.set)
        try:
            while self.alive:
                self.notify()
                if self.ppid != os.getppid():
                    self.log.info("Parent changed, shutting down: %s", self)
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), 1.0)
        finally:
            server.stop()  # no new connections; the requests under way are answered
            deadline = loop.time() + self.cfg.graceful_timeout
            while bridge.in_flight and loop.time() < deadline:
                await asyncio.sleep(0.05)
            await server.close_all_connections()
            executor.shutdown(wait=False, cancel_futures=True)


def _address(sock) -> tuple[str, str]:
    """SERVER_NAME and SERVER_PORT of the WSGI environment, from the listening socket."""
    name = sock.getsockname()
    if isinstance(name, tuple):
        return str(name[0]), str(name[1])
    return "localhost", "0"  # a Unix socket


def _allow_open_files(connections: int) -> int:
    """Raise the soft limit on open files towards the hard one; the connections it allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + _SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return connections
    return max(1, min(connections, soft - _SPARE_FILES))
