"""corpus stage: batch processing, the SQLite store, search, query, export, Dask scale-out."""
