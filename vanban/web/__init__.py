"""web: a read-only view of a corpus database for analysts, and a JSON API for other tools.

>>> from vanban.web import create_app, serve
>>> serve("corpus.db", host="127.0.0.1", port=8001)   # what `vanban serve` runs

Pages: ``/`` overview, ``/search?q=``, ``/documents``, ``/documents/<id>`` (the record, with the
scanned pages and the box of the item pointed at); JSON: ``/api/tasks``, ``/api/objectives``,
``/api/documents``, ``/api/documents/<id>``, ``/api/search``. The database is opened read-only
(SQLite ``mode=ro``); see docs/web.md. This package sits above :mod:`vanban.corpus` and is never
imported by it.
"""

from .app import create_app, serve
from .data import BadParameter, CorpusView, Filters

__all__ = ["BadParameter", "CorpusView", "Filters", "create_app", "serve"]
