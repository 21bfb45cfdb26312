"""Stopping ``consult serve`` as a terminal does: every process of it gets the signal.

Ctrl-C reaches the master and each worker at once, so a worker hears it twice (from the
terminal, then from its master). Seen by hand: the second could find the worker's event
loop closed and print "RuntimeError: Event loop is closed" with a traceback on the way out.
"""

from __future__ import annotations

import asyncio
import signal

from consult.serving.worker import BufferingWorker


def test_a_signal_after_the_loop_has_closed_is_taken_quietly():
    worker = BufferingWorker.__new__(BufferingWorker)  # no sockets: only its signal handler
    worker.alive = True
    loop = asyncio.new_event_loop()
    worker._wake = lambda: loop.call_soon_threadsafe(lambda: None)
    worker.handle_exit(signal.SIGTERM, None)  # the first signal: the loop is running still
    loop.close()
    worker.handle_exit(signal.SIGTERM, None)  # the master's, once the loop has closed
    assert worker.alive is False
