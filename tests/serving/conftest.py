"""Real ``consult serve`` processes on free ports of 127.0.0.1, each in a temporary instance.

The instance folder (SQLite database migrated, the draft loaded, a secret key) is made once
per run in this process and copied for every server, so a server is up in a few seconds.
Each server is started with the environment of this run less every ``CONSULT_*`` variable,
plus the settings a test gives, and writes its standard output and error to ``server.log``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from consult import create_app
from consult.cli import initialise
from consult.extensions import db

ROOT = Path(__file__).resolve().parents[2]
HOME = "/c/enia-2021/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class Server:
    """One ``consult serve``: its master process, port, instance folder and log."""

    process: subprocess.Popen
    port: int
    instance: Path

    @property
    def log(self) -> Path:
        return self.instance / "server.log"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def log_once(self, text: str, timeout: float = 5) -> str:
        """The log, once ``text`` is in it (a line is written after its reply is sent)."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log_text()) and time.monotonic() < deadline:
            time.sleep(0.02)
        return log

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 10,
        source: str = "127.0.0.1",
    ) -> Reply:
        """One request on a new connection (from ``source``, another loopback address)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return Reply(reply.status, reply.headers, reply.read())
        finally:
            connection.close()

    def connect(self, timeout: float = 10) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def workers(self) -> set[int]:
        """The pids of gunicorn's workers: the master's children."""
        children: set[int] = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            children |= {int(pid) for pid in (task / "children").read_text().split()}
        return children


@pytest.fixture(scope="session")
def served_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance folder ready to serve: migrated SQLite database, draft loaded, key."""
    folder = tmp_path_factory.mktemp("served-instance")
    app = create_app(
        {"INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'consult.db'}"}
    )
    with app.app_context():
        initialise()
        db.session.remove()
        db.engine.dispose()
    return folder


#: The shared server's settings: short timeouts (tests wait for them), a limit to reach and
#: no minimum fill time (tests send forms at once).
SHARED_SETTINGS = {
    "CONSULT_REQUEST_HEADER_TIMEOUT": "1",
    "CONSULT_REQUEST_BODY_TIMEOUT": "2",
    "CONSULT_RATELIMIT_START_RESPONSE": "4 per minute",
    "CONSULT_RESPONSE_MIN_FILL_SECONDS": "0",
}
SHARED_WORKERS = 3


@pytest.fixture(scope="session")
def servers(served_instance: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The two servers of the run, started together and stopped together (it saves time).

    ``shared``: ``consult serve`` with its defaults but ``SHARED_SETTINGS`` and 3 workers.
    ``proxied``: with its defaults but ``PROXY_COUNT = 1``.
    """
    root = tmp_path_factory.mktemp("served")
    started = {
        "shared": launch(
            served_instance,
            root / "shared",
            "--workers",
            str(SHARED_WORKERS),
            env=SHARED_SETTINGS,
        ),
        "proxied": launch(served_instance, root / "proxied", env={"CONSULT_PROXY_COUNT": "1"}),
    }
    try:
        for server in started.values():
            wait_until_it_answers(server)
        yield started
    finally:
        stop(*started.values())


@pytest.fixture
def server(servers: dict) -> Server:
    """The shared server. Tests that count something per client address use an address of
    their own (127.0.0.2, 127.0.0.3, …) so they do not share a budget."""
    return servers["shared"]


def launch(template: Path, folder: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """Start ``consult serve ARGS`` on a copy of ``template`` in ``folder``."""
    shutil.copytree(template, folder)
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONSULT_")}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.getenv("PYTHONPATH")]))
    environment |= {"CONSULT_INSTANCE_PATH": str(folder), **(env or {})}
    command = [sys.executable, "-c", "from consult.cli import main; main()", "serve"]
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), *args],
            env=environment,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process, port, folder)


def stop(*servers: Server) -> None:
    """SIGTERM to every master, then wait for each (a graceful stop takes a second or two)."""
    running = [server for server in servers if server.process.poll() is None]
    for server in running:
        server.process.send_signal(signal.SIGTERM)
    for server in running:
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


def wait_until_it_answers(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"consult serve exited:\n{server.log_text()[-3000:]}")
        try:
            if server.request("GET", HOME, timeout=5).status == 200:
                return
        except OSError:
            time.sleep(0.1)
    stop(server)
    pytest.fail(f"consult serve did not answer within {timeout} s:\n{server.log_text()[-3000:]}")
