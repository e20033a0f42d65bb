"""Session set-up shared by every test module."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    """The tests use a cache folder of their own (the language models' uncompressed copies
    among others), made for the session, unless the caller names one: a stale or damaged copy
    in the user's cache must not change test results, and tests must not fill it."""
    if not os.environ.get("VANBAN_CACHE"):
        os.environ["VANBAN_CACHE"] = tempfile.mkdtemp(prefix="vanban-test-cache-")
