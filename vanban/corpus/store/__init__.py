"""The corpus store: plan records in a plain SQLite file, with a diacritic-folded FTS5 index.

>>> from vanban.corpus import Store
>>> with Store("corpus.db") as store:
...     store.add(record.to_dict(), text=document.text, sha256=document.sha256)
...     hits = store.search("thu vien")            # finds "thư viện"
...     rows = store.query("task", agency="Sở Tài chính", year=2025)
...     store.export("jsonl", out=sys.stdout)       # one whole record per line

One document is written in one transaction (``BEGIN IMMEDIATE`` .. ``COMMIT``), so a process
killed at any moment leaves either the whole document or nothing of it. The file is in WAL mode:
readers (Datasette, ``vanban search``) work while a batch writes.

:class:`Store` is one façade over four modules: :mod:`.schema` (tables, versions, migrations,
telling a vanban store from another file), :mod:`.write` (adding documents, files, errors),
:mod:`.search` (full-text search) and :mod:`.query` (rows of one kind, filters, export). This
module opens and closes the file.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote

from ...errors import StoreError
from ...outputs import has_sqlite_header
from ..fold import fold
from .query import COLUMNS, KINDS, StoreQuery, spreadsheet_safe, spreadsheet_safe_row
from .schema import (SQLITE_HEADER, STORE_SCHEMA_VERSION, _foreign_message, _is_vanban,
                     _table_names, check_version, create_or_migrate, schema_version)
from .search import MAX_QUERY_CHARS, MAX_QUERY_TERMS, StoreSearch, fts_query
from .write import StoreWriter, province_of

__all__ = ["COLUMNS", "KINDS", "MAX_QUERY_CHARS", "MAX_QUERY_TERMS", "SQLITE_HEADER",
           "STORE_SCHEMA_VERSION", "Store", "fts_query", "province_of", "spreadsheet_safe",
           "spreadsheet_safe_row"]


def _file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``; None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class Store(StoreWriter, StoreSearch, StoreQuery):
    """A corpus database (SQLite file, created on first use).

    ``Store(path)`` opens or creates it; use it as a context manager or call :meth:`close`.
    ``readonly=True`` opens an existing file without writing (and fails if there is none).
    Opening for writing migrates an older store to :data:`STORE_SCHEMA_VERSION`
    (:mod:`.schema`); a store newer than this vanban is refused (:class:`StoreError`, exit 6)
    and left untouched. ``schema_version`` is the file's version as it was opened.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 60.0,
                 check: bool = True):
        self.path = Path(path)
        self.readonly = readonly
        self.timeout = timeout
        self.conn: sqlite3.Connection | None = None
        self.schema_version: int | None = None
        self._file_id: tuple[int, int] | None = None  # (device, inode) of the file written
        try:
            if readonly:
                self.conn = self._open_readonly()
            else:
                self._refuse_foreign()
                self.conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
                self._create_schema()
                if check:
                    self._quick_check()
                self._set_journal_mode("wal")
                # NORMAL in WAL mode is durable against a killed process (only an OS crash can
                # lose the last commits) and much faster than FULL for one commit per document.
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self._file_id = _file_id(self.path)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys=OFF")
            # Query helpers for vanban's own SQL only; nothing stored depends on them.
            self.conn.create_function("vanban_fold", 1, fold, deterministic=True)
            self.conn.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.Error as err:
            if self.conn is not None:
                self.conn.close()
            raise StoreError(f"cannot open corpus database: {err}", str(self.path)) from err
        except StoreError:
            if self.conn is not None:
                self.conn.close()
            raise

    # ---------------------------------------------------------------------------- opening
    def _check_file(self, must_exist: bool) -> bool:
        """False for a database still to be created; raises for a path that is not one."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if must_exist:
                raise StoreError("no such corpus database", str(self.path)) from None
            return False
        except OSError as err:
            raise StoreError(f"cannot open corpus database: {err.strerror or err}",
                             str(self.path)) from None
        if stat.S_ISDIR(st.st_mode):
            raise StoreError("is a folder, not a corpus database", str(self.path))
        if not stat.S_ISREG(st.st_mode):
            raise StoreError("not a regular file, not a corpus database", str(self.path))
        if st.st_size == 0:
            if must_exist:
                raise StoreError("empty file, not a corpus database", str(self.path))
            return False
        try:
            sqlite = has_sqlite_header(self.path)
        except OSError as err:
            raise StoreError(f"cannot read: {err.strerror or err}", str(self.path)) from None
        if not sqlite:
            raise StoreError("not a SQLite database (not a vanban corpus); nothing was written "
                             "to it", str(self.path))
        return True

    def _uri(self, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        # The name's bytes on disk, percent-encoded: a name that is not UTF-8 (lone surrogates
        # in Python) cannot be encoded as UTF-8 text, and SQLite opens the bytes it decodes.
        return f"file:{quote(os.fsencode(self.path.absolute()))}?{query}"

    def _open_readonly(self) -> sqlite3.Connection:
        """A connection that cannot write: ``mode=ro``, or ``immutable=1`` where even the lock
        files cannot be made (a read-only filesystem, a WAL file without its -shm)."""
        self._check_file(must_exist=True)
        conn = sqlite3.connect(self._uri(mode="ro"), uri=True, timeout=self.timeout,
                               isolation_level=None)
        try:
            names = _table_names(conn)
        except sqlite3.OperationalError:
            conn.close()
            self._refuse_unread_log()
            conn = sqlite3.connect(self._uri(mode="ro", immutable="1"), uri=True,
                                   timeout=self.timeout, isolation_level=None)
            names = _table_names(conn)
        if not _is_vanban(conn, names):
            conn.close()
            raise StoreError(_foreign_message(names), str(self.path))
        try:
            self.schema_version = schema_version(conn)
            check_version(self.schema_version, str(self.path))
        except BaseException:
            conn.close()
            raise
        return conn

    def _refuse_unread_log(self) -> None:
        """Before reading with ``immutable=1``, which ignores the write-ahead log and the
        rollback journal: refuse a file whose ``-wal`` holds documents not yet in the file (a
        batch killed, the files then copied without the ``-shm`` to a read-only place), or
        whose ``-journal`` says a write stopped half-way (the file then holds pages of a
        transaction never committed), instead of silently answering without those documents
        or with the uncommitted pages."""
        for suffix, why in (("-wal", "its write-ahead log {name} holds changes not yet in the "
                             "file, and they cannot be read here (a read-only place, no -shm "
                             "file)"),
                            ("-journal", "its rollback journal {name} says a write is in "
                             "progress or stopped half-way (the file holds pages never "
                             "committed)")):
            log = Path(f"{self.path}{suffix}")
            try:
                pending = log.stat().st_size > 0
            except OSError:
                continue
            if pending:
                raise StoreError(why.format(name=log.name) + ": open it once where it can be "
                                 "written (any vanban batch, or sqlite3 DB 'PRAGMA "
                                 "quick_check'), or copy the database with that file to a "
                                 "writable folder; nothing was read", str(self.path))

    def _refuse_foreign(self) -> None:
        """Look, without writing anything, whether an existing file is vanban's store.

        A rollback-journal file is read with ``mode=ro`` (locked, so a batch creating the file
        at this moment is seen whole); a WAL file with ``immutable=1`` (``mode=ro`` would leave
        -wal/-shm files beside another application's database). A read that fails here is
        left to the locked check in :meth:`_create_schema` and to ``quick_check``."""
        if not self._check_file(must_exist=False):
            return
        with open(self.path, "rb") as f:
            header = f.read(20)
        wal = len(header) == 20 and header[18:20] == b"\x02\x02"
        uri = self._uri(mode="ro", immutable="1") if wal else self._uri(mode="ro")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            names = _table_names(conn)
            if names and not _is_vanban(conn, names):
                raise StoreError(_foreign_message(names), str(self.path))
        except sqlite3.Error:
            return
        finally:
            conn.close()

    def _create_schema(self) -> None:
        """Create a new store's tables or migrate an older store (see :mod:`.schema`)."""
        before = create_or_migrate(self.conn, str(self.path))
        self.schema_version = before if before is not None else STORE_SCHEMA_VERSION

    def _quick_check(self) -> None:
        """Refuse to write into a damaged file (``PRAGMA quick_check``)."""
        try:
            rows = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as err:
            rows = [str(err)]
        if rows != ["ok"]:
            raise StoreError("damaged corpus database (quick_check: " + "; ".join(rows)[:300]
                             + "); nothing was written; restore a backup or rebuild it with "
                             "`sqlite3 DB .recover`", str(self.path))

    def _set_journal_mode(self, mode: str) -> bool:
        """Switch the journal mode, waiting (up to the timeout) while others hold the file."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                current = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
                if current.lower() == mode:
                    return True
                got = self.conn.execute(f"PRAGMA journal_mode={mode}").fetchone()[0]
                return got.lower() == mode
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def check_in_place(self) -> None:
        """Raise :class:`StoreError` when the file this store writes is no longer at its path
        (removed, or another file moved over it, while a batch runs): SQLite goes on writing
        into the file it opened, which nobody will see again. What that file holds (this
        run's documents too) is first saved beside the path with ``VACUUM INTO``, so that
        nothing stored is lost; the caller stops writing. One ``stat`` per call."""
        if self._file_id is None or self.conn is None or _file_id(self.path) == self._file_id:
            return
        saved = self.path.with_name(f"{self.path.name}.recovered-"
                                    f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.db")
        try:
            self.conn.execute("VACUUM INTO ?", (str(saved),))
            kept = f"everything it held, this run's documents included, was saved to {saved}"
        except sqlite3.Error as err:
            kept = f"what it held could not be saved ({err})"
        self._file_id = None  # said once
        raise StoreError("the corpus database was removed or replaced while this batch wrote "
                         f"to it; {kept}; nothing more was written", str(self.path))

    # ------------------------------------------------------------------ context / lifecycle
    def close(self) -> None:
        """Close; the last writer out puts the file back in rollback-journal mode, so that
        readers (``mode=ro``) create no -wal/-shm files beside it and a copy of the one file
        is the whole database. With another connection still open it stays in WAL mode."""
        if self.conn is None:
            return
        if not self.readonly:
            try:
                self.conn.execute("PRAGMA busy_timeout=0")
                self.conn.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error:
                pass
        self.conn.close()
        self.conn = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


    # ------------------------------------------------------------------------------ reading
    def _rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[sqlite3.Row]:
        """Rows of a read; a damaged file met part-way is a StoreError, not a traceback."""
        try:
            cursor = self.conn.execute(sql, tuple(params))
            while True:
                rows = cursor.fetchmany(256)
                if not rows:
                    return
                yield from rows
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot read the corpus database ({err}); the file may be "
                             "damaged (`sqlite3 DB 'PRAGMA integrity_check'` tells)",
                             str(self.path)) from None

    def select(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a read over the store's documented tables (docs/corpus.md), for
        readers with SQL of their own (the web view); a damaged file met part-way is a
        :class:`StoreError` (one line), not a ``sqlite3`` traceback."""
        return list(self._rows(sql, params))

    def has_document(self, document_id: str) -> bool:
        """True when a document with this content hash is stored."""
        return next(self._rows("SELECT 1 FROM documents WHERE id = ?", (document_id,)),
                    None) is not None

    def document_ids(self) -> set[str]:
        """Content hashes of every stored document."""
        return {r[0] for r in self._rows("SELECT id FROM documents")}
