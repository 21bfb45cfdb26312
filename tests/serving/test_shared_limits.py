"""A rate limit holds for the whole ``consult serve``, whichever worker takes each request.

With counts in each worker's memory, 40 of 60 profile posts passed a limit of 20 a minute
on 2 workers. The counts now live in a SQLite file of the instance folder that every worker
opens. The test sends each request on its own connection, notes which worker process
accepted it (from /proc), then starts a response on it as a browser does (the form shown,
then sent with its tokens), and checks that several workers served them and that the limit
held overall.
"""

from __future__ import annotations

import html
import http.client
import re
import socket
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.conftest import PROFILE_ACADEMIA
from tests.serving.conftest import SHARED_SETTINGS

PROFILE = "/c/enia-2021/profile"
#: "4 per minute", the shared server's limit on starting a response.
LIMIT = int(SHARED_SETTINGS["CONSULT_RATELIMIT_START_RESPONSE"].split()[0])
#: An address of this test's own, so no other test's posts count against it.
ADDRESS = "127.0.0.3"
_INPUT = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def socket_inode(local_port: int, remote_port: int) -> str | None:
    """The inode of the server's end of a loopback connection (/proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == (
            remote_port
        ):
            return fields[9]
    return None


def owner(server, client: socket.socket) -> int | None:
    """The worker process holding the server's end of ``client``'s connection, if accepted."""
    inode = socket_inode(server.port, client.getsockname()[1])
    link = f"socket:[{inode}]"
    for pid in server.workers():
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if fd.readlink().as_posix() == link:
                    return pid
            except OSError:
                continue
    return None


def accepted(server) -> tuple[socket.socket, int]:
    """A new connection from ``ADDRESS`` and the worker that accepted it."""
    client = socket.create_connection(("127.0.0.1", server.port), source_address=(ADDRESS, 0))
    for _ in range(100):
        pid = owner(server, client)
        if pid is not None:
            return client, pid
        time.sleep(0.01)
    raise AssertionError("no worker accepted the connection")


def start_a_response(server, client: socket.socket) -> int:
    """On this connection, as a browser: show the profile form, send it; the status."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.sock = client
    connection.request("GET", PROFILE)
    page = connection.getresponse()
    form = {}
    for tag in _INPUT.findall(page.read().decode()):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden":
            form[attributes["name"]] = html.unescape(attributes.get("value", ""))
    (cookie,) = [c.split(";")[0] for c in page.headers.get_all("Set-Cookie") if "session=" in c]
    body = urlencode({**form, **PROFILE_ACADEMIA, "website": ""})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", PROFILE, body=body, headers=headers)
    reply = connection.getresponse()
    reply.read()
    connection.close()
    return reply.status


def test_the_limit_holds_over_every_worker(server):
    statuses, workers = [], set()
    while len(statuses) < 3 * LIMIT or len(workers) < 2:
        assert len(statuses) < 40, "every connection went to the same worker"
        client, worker = accepted(server)
        workers.add(worker)
        statuses.append(start_a_response(server, client))
    assert statuses == [302] * LIMIT + [429] * (len(statuses) - LIMIT), statuses
