"""Ctrl-C in tests, whatever the test run inherited.

A program started with ``cmd &`` from a script (``sh -c``, ``bash -c``, a job runner: any shell
without job control) starts with SIGINT and SIGQUIT ignored (POSIX), and Python keeps an
ignored SIGINT ignored: neither ``default_int_handler`` in pytest nor in a ``vanban batch`` it
starts. A test that sends SIGINT, as a terminal's Ctrl-C, then saw it lost (the batch ran on
and exited 0; the executor waited for a hung item): it failed only when the suite was started
in the background, which is when the machine was busy. Such tests put the interactive default
back while they run (a terminal's foreground job has it), so they test vanban, not the shell
that started pytest. vanban itself keeps honouring an ignored SIGINT, as every program does
(``nohup``-like background jobs are meant to be immune to the terminal's Ctrl-C).
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def ctrl_c_raises() -> Iterator[None]:
    """While inside: SIGINT raises KeyboardInterrupt in this process, and a program started
    here gets SIGINT's default action (so a Python one raises KeyboardInterrupt too)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous is not None:  # None: a handler set outside Python, not restorable
            signal.signal(signal.SIGINT, previous)


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """While inside: SIGINT ignored in this process, as in a pytest started with ``pytest &``
    from a script (what an interrupt test must not depend on)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
