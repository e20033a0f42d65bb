"""Session set-up shared by every test module."""

from __future__ import annotations

import os
import shutil
import tempfile

_MADE_CACHE: list[str] = []


def pytest_configure(config):
    """The tests use a cache folder of their own (the language models' uncompressed copies
    among others), made for the session and removed after it, unless the caller names one: a
    stale or damaged copy in the user's cache must not change test results, and tests must not
    fill it."""
    if not os.environ.get("VANBAN_CACHE"):
        folder = tempfile.mkdtemp(prefix="vanban-test-cache-")
        os.environ["VANBAN_CACHE"] = folder
        _MADE_CACHE.append(folder)


def pytest_unconfigure(config):
    for folder in _MADE_CACHE:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("VANBAN_CACHE", None)
