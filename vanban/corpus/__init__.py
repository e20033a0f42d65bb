"""corpus stage: batch processing, the SQLite store, search, query, export, Dask scale-out.

- :class:`Store` (``vanban.corpus.Store("corpus.db")``): ``add``, ``search``, ``query``,
  ``export``, ``record``, ``records``, ``errors``, ``stats``; a façade over
  :mod:`.store.schema` (tables, versions, migrations), :mod:`.store.write`,
  :mod:`.store.search` and :mod:`.store.query`.
- :func:`run_batch` (``vanban.corpus.batch.run_batch``): discover inputs, run the pipeline in
  processes or on a Dask cluster (:mod:`vanban.executors`), store each record in its own
  transaction, resumable; each input gives a :class:`DocumentResult` or a
  :class:`DocumentFailure`.
- :func:`fold`: the diacritic folding used on both sides of the full-text index.
"""

from .batch import (BatchSummary, DocumentFailure, DocumentResult, discover, process_file,
                    run_batch)
from .fold import fold, fold_key
from .store import (COLUMNS, KINDS, Store, fts_query, province_of, spreadsheet_safe,
                    spreadsheet_safe_row)

__all__ = ["BatchSummary", "COLUMNS", "DocumentFailure", "DocumentResult", "KINDS", "Store",
           "discover", "fold", "fold_key", "fts_query", "process_file", "province_of",
           "run_batch", "spreadsheet_safe", "spreadsheet_safe_row"]
