"""Slow and idle clients hold no thread of ``consult serve``, and are cut off in time.

Before, gunicorn's gthread workers gave each new connection a thread that waited for the
client: 8 connections sending a body a few bytes at a time held the 2 workers × 4 threads,
and everyone else waited until they closed. Now requests are read whole first, with a time
limit on the headers and on the body (here 1 s and 2 s, to keep the test short).
"""

from __future__ import annotations

import socket
import time

import pytest

from tests.serving.conftest import HOME

#: Well over the threads of the shared server (3 workers x 4 threads), of each kind.
SLOW_CLIENTS = 40
PROFILE_HEAD = (
    b"POST /c/enia-2021/profile HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
)


def slow_body(server) -> socket.socket:
    """A POST announcing 100,000 bytes that sends 11: R-U-Dead-Yet."""
    client = server.connect()
    client.sendall(PROFILE_HEAD % 100_000 + b"consent=y&w")
    return client


def slow_headers(server) -> socket.socket:
    """A GET whose headers never end: Slowloris."""
    client = server.connect()
    client.sendall(b"GET /c/enia-2021/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Wait: 1\r\n")
    return client


def closed_within(client: socket.socket, seconds: float) -> float:
    """How long until the server closed the connection (fails if it did not in time)."""
    started = time.monotonic()
    client.settimeout(seconds)
    try:
        while client.recv(4096):
            pass
    except TimeoutError:
        pytest.fail(f"the server kept the connection open past {seconds} s")
    finally:
        client.close()
    return time.monotonic() - started


def test_slow_and_idle_clients_do_not_keep_others_waiting(server):
    held = [slow_body(server) for _ in range(SLOW_CLIENTS)]
    held += [slow_headers(server) for _ in range(SLOW_CLIENTS)]
    held += [server.connect() for _ in range(SLOW_CLIENTS)]  # connected, silent
    try:
        time.sleep(0.3)  # the server has taken them all
        for _ in range(3):
            started = time.monotonic()
            reply = server.request("GET", HOME, timeout=5)
            waited = time.monotonic() - started
            assert reply.status == 200
            assert waited < 1.0, f"the home page took {waited:.1f} s behind slow clients"
    finally:
        for client in held:
            client.close()


def test_slow_headers_and_bodies_are_cut_off_after_their_timeouts(server):
    headers, body = slow_headers(server), slow_body(server)
    assert closed_within(headers, 5) < 3
    assert closed_within(body, 5) < 4


def test_a_body_too_large_is_refused_before_it_is_read(server):
    client = server.connect()
    client.sendall(PROFILE_HEAD % 10_000_000 + b"consent=y")
    reply = client.makefile("rb").read()
    client.close()
    head, _, page = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in head
    assert "Too much data" in page.decode() and "Demasiados datos" in page.decode()
