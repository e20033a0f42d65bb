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
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import stat
import time
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable, Iterator
from urllib.parse import quote

from .. import __version__
from ..errors import StoreError, UsageError
from ..model import PAGE_SEPARATOR, PlanRecord
from .fold import fold, fold_key
from .schema import DOCUMENT_TABLES, SCHEMA, STORE_SCHEMA_VERSION

#: Row kinds of :meth:`Store.query` / :meth:`Store.export`, with their stable output columns
#: (documented in docs/corpus.md; new columns are only ever appended).
COLUMNS: dict[str, list[str]] = {
    "document": ["document_id", "record_id", "source", "doc_type", "number", "issuer", "province",
                 "place", "date", "year", "title", "period", "pages", "text_source",
                 "signer_title", "signer_name", "n_legal_bases", "n_references", "n_objectives",
                 "n_targets", "n_tasks", "n_duties", "n_warnings", "vanban_version"],
    "objective": ["document_id", "document_number", "province", "document_year", "seq", "scope",
                  "group_heading", "text", "n_targets"],
    "target": ["document_id", "document_number", "province", "document_year", "objective_seq",
               "seq", "value", "unit", "year", "text", "objective_text"],
    "task": ["document_id", "document_number", "province", "document_year", "seq", "path",
             "title", "lead", "partners", "lead_ids", "partner_ids", "timeframe", "text"],
    "reference": ["document_id", "document_number", "province", "document_year", "seq", "number",
                  "kind", "date", "issuer", "basis", "text"],
    "section": ["document_id", "document_number", "seq", "path", "marker", "heading", "role",
                "level", "parent"],
    "duty": ["document_id", "document_number", "province", "document_year", "seq", "path",
             "agency", "agency_id", "text"],
    "item": ["document_id", "document_number", "province", "document_year", "kind", "seq",
             "text"],
    "error": ["path", "sha256", "error_type", "reason", "exit_code", "attempts", "failed_at"],
}
KINDS = tuple(COLUMNS)

_DOC_COLS = "d.number AS document_number, d.province AS province, d.year AS document_year"
_KIND_SQL = {
    "document": "SELECT d.id AS document_id, d.* FROM documents d",
    "objective": f"SELECT o.*, {_DOC_COLS} FROM objectives o "
                 "JOIN documents d ON d.id = o.document_id",
    "target": f"SELECT t.*, o.text AS objective_text, {_DOC_COLS} FROM targets t "
              "JOIN documents d ON d.id = t.document_id "
              "LEFT JOIN objectives o ON o.document_id = t.document_id AND o.seq = t.objective_seq",
    "task": f"SELECT k.*, {_DOC_COLS}, "
            "(SELECT group_concat(agency_id, '; ') FROM (SELECT agency_id FROM task_agencies a "
            " WHERE a.document_id = k.document_id AND a.task_seq = k.seq AND a.role = 'lead' "
            " ORDER BY a.seq)) AS lead_ids, "
            "(SELECT group_concat(agency_id, '; ') FROM (SELECT agency_id FROM task_agencies a "
            " WHERE a.document_id = k.document_id AND a.task_seq = k.seq AND a.role = 'partner' "
            " ORDER BY a.seq)) AS partner_ids "
            "FROM tasks k JOIN documents d ON d.id = k.document_id",
    "reference": f'SELECT r.*, {_DOC_COLS} FROM "references" r '
                 "JOIN documents d ON d.id = r.document_id",
    "section": f"SELECT s.*, {_DOC_COLS} FROM sections s JOIN documents d ON d.id = s.document_id",
    "duty": f"SELECT u.*, {_DOC_COLS} FROM duties u JOIN documents d ON d.id = u.document_id",
    "item": f"SELECT i.*, {_DOC_COLS} FROM items i JOIN documents d ON d.id = i.document_id",
    "error": "SELECT * FROM errors e",
}
_KIND_ORDER = {
    "document": "d.date, d.number, d.id",
    "objective": "d.date, d.id, o.seq",
    "target": "d.date, d.id, t.objective_seq, t.seq",
    "task": "d.date, d.id, k.seq",
    "reference": "d.date, d.id, r.seq",
    "section": "d.date, d.id, s.seq",
    "duty": "d.date, d.id, u.seq",
    "item": "d.date, d.id, i.kind, i.seq",
    "error": "e.path",
}

#: "Ủy ban nhân dân tỉnh Đồng Tháp" -> "Đồng Tháp"; "UBND thành phố Cần Thơ" -> "Cần Thơ".
_PROVINCE_RE = re.compile(r"(?:\btỉnh|\bthành phố|\bTP\.?)\s+(.+)$", re.IGNORECASE)


def province_of(issuer: str | None, place: str | None = None) -> str | None:
    """The province (or centrally run city) a document comes from: from its issuer, else place."""
    if issuer:
        m = _PROVINCE_RE.search(issuer.strip())
        if m:
            name = m.group(1).strip(" .,;")
            if name:
                return name[:1].upper() + name[1:]
    return place.strip() if place and place.strip() else None


#: The first bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def _table_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _is_vanban(conn: sqlite3.Connection, names: set[str]) -> bool:
    """A vanban store has a ``meta`` table holding its schema version."""
    if "meta" not in names:
        return False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'store_schema_version'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def _foreign_message(names: set[str]) -> str:
    shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
    return (f"not a vanban corpus database (another application's SQLite file with tables "
            f"{shown}); nothing was written to it")


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of ``script`` one by one (executescript would COMMIT first)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf
            buf = ""
    if buf.strip():
        yield buf


_ESCAPE = "ESCAPE '\\'"


def _like_contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _int_year(date: str | None) -> int | None:
    if date and re.match(r"^\d{4}", str(date)):
        return int(str(date)[:4])
    return None


def _period(value: Any) -> str | None:
    """The plan period as text: "2024-2030" from {"start", "end"}, else as given."""
    if isinstance(value, dict):
        if value.get("start") and value.get("end"):
            return f"{value['start']}-{value['end']}"
        return value.get("text") or (json.dumps(value, ensure_ascii=False) if value else None)
    return _sql(value)


def _sql(value: Any) -> Any:
    """A value SQLite can bind: lists/dicts (a shape this store does not expect) become JSON."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _joined(names: Iterable[str] | None) -> str | None:
    names = [n for n in (names or []) if n]
    return "; ".join(names) if names else None


def _agency_id(name: str) -> str:
    """A readable key for an agency name extract gave no id for: "so-tai-chinh"."""
    return "-".join(re.findall(r"\w+", fold(name)))


def _lines(value: Any) -> list[str]:
    return [v for v in (value or []) if isinstance(v, str) and v.strip()]


#: A leading list marker ("1.", "2.3.", "a)", "-", "+", "•", "II.") of a paragraph.
_MARKER_RE = re.compile(r"^\s*(?:[-+•*]|(?:[ivxlc]+|\d+)(?:\.\d+)*[.)]|[a-zđ]\))\s*")


def _paragraphs(text: str) -> Iterator[tuple[str, str]]:
    """(ref, paragraph) for each non-empty line of a document text: ref is "p<page>:<line>"."""
    for page_no, page in enumerate(text.split(PAGE_SEPARATOR), start=1):
        for line_no, line in enumerate(page.split("\n"), start=1):
            line = " ".join(line.split())
            if line:
                yield f"p{page_no}:{line_no}", line


class Store:
    """A corpus database (SQLite file, created on first use).

    ``Store(path)`` opens or creates it; use it as a context manager or call :meth:`close`.
    ``readonly=True`` opens an existing file without writing (and fails if there is none).
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 60.0,
                 check: bool = True):
        self.path = Path(path)
        self.readonly = readonly
        self.timeout = timeout
        self.conn: sqlite3.Connection | None = None
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
            with open(self.path, "rb") as f:
                header = f.read(len(SQLITE_HEADER))
        except OSError as err:
            raise StoreError(f"cannot read: {err.strerror or err}", str(self.path)) from None
        if header != SQLITE_HEADER:
            raise StoreError("not a SQLite database (not a vanban corpus); nothing was written "
                             "to it", str(self.path))
        return True

    def _uri(self, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"file:{quote(str(self.path.absolute()))}?{query}"

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
            conn = sqlite3.connect(self._uri(mode="ro", immutable="1"), uri=True,
                                   timeout=self.timeout, isolation_level=None)
            names = _table_names(conn)
        if not _is_vanban(conn, names):
            conn.close()
            raise StoreError(_foreign_message(names), str(self.path))
        return conn

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
        """Every table in one IMMEDIATE transaction: two batches started at once on a new file
        queue on the write lock (busy timeout) instead of one failing "database is locked"."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            names = _table_names(conn)
            if names and not _is_vanban(conn, names):
                raise StoreError(_foreign_message(names), str(self.path))
            if "meta" not in names or "search_index" not in names:
                for statement in _statements(SCHEMA):
                    conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('store_schema_version', ?)",
                             (STORE_SCHEMA_VERSION,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

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

    def has_document(self, document_id: str) -> bool:
        """True when a document with this content hash is stored."""
        return next(self._rows("SELECT 1 FROM documents WHERE id = ?", (document_id,)),
                    None) is not None

    def document_ids(self) -> set[str]:
        """Content hashes of every stored document."""
        return {r[0] for r in self._rows("SELECT id FROM documents")}

    def record(self, document_id: str) -> dict | None:
        """The whole stored plan record of a document (a dict, PlanRecord.to_dict() shape)."""
        row = next(self._rows("SELECT record_json FROM records WHERE document_id = ?",
                              (document_id,)), None)
        return json.loads(row[0]) if row else None

    def records(self) -> Iterator[dict]:
        """Every stored record, in document date order."""
        for row in self._rows(
                "SELECT r.record_json FROM records r JOIN documents d ON d.id = r.document_id "
                "ORDER BY d.date, d.number, d.id"):
            yield json.loads(row[0])

    def errors(self) -> list[dict]:
        """The errors table: one row per input path that failed."""
        return self.query("error")

    def stats(self) -> dict:
        """Row counts of the main tables."""
        out = {}
        for table in ("documents", "sections", "objectives", "targets", "tasks", "agencies",
                      "references", "errors"):
            out[table] = next(self._rows(f'SELECT count(*) FROM "{table}"'))[0]
        return out

    # ------------------------------------------------------------------------------ writing
    def add(self, record: dict | PlanRecord, *, sha256: str | None = None,
            text: str | None = None, source: str | None = None, pages: int | None = None,
            text_source: str | None = None, processing_seconds: float | None = None,
            replace: bool = False) -> bool:
        """Store one plan record (and optionally its document text) in one transaction.

        The document key is ``sha256`` (the input file's content hash), else the record's
        ``provenance["sha256"]``, else a hash of the record JSON. Returns False (and stores
        nothing) when that key is already stored, unless ``replace`` is set; either way the
        ``source`` path is remembered in ``document_files``. A previous error row for ``source``
        is removed.
        """
        if isinstance(record, PlanRecord):
            record = record.to_dict()
        prov = record.get("provenance") or {}
        doc_id = sha256 or prov.get("sha256")
        if not doc_id:
            doc_id = hashlib.sha256(json.dumps(record, sort_keys=True,
                                               ensure_ascii=False).encode()).hexdigest()
        source = source or prov.get("source") or prov.get("path")
        with self._transaction():
            exists = self.has_document(doc_id)
            if exists and replace:
                self._delete(doc_id)
            if not exists or replace:
                self._insert(doc_id, record, text=text, source=source, pages=pages,
                             text_source=text_source, processing_seconds=processing_seconds)
            if source:
                self.conn.execute("INSERT OR IGNORE INTO document_files VALUES (?, ?)",
                                  (doc_id, str(source)))
                self.conn.execute("DELETE FROM errors WHERE path = ?", (str(source),))
        return not exists or replace

    def add_file(self, document_id: str, path: str) -> None:
        """Remember another path holding the content of an already stored document."""
        with self._transaction():
            self.conn.execute("INSERT OR IGNORE INTO document_files VALUES (?, ?)",
                              (document_id, str(path)))
            self.conn.execute("DELETE FROM errors WHERE path = ?", (str(path),))

    def add_error(self, path: str, reason: str, *, sha256: str | None = None,
                  error_type: str = "InputFileError", exit_code: int = 3,
                  detail: str | None = None) -> None:
        """Record (or update) the failure of one input path."""
        with self._transaction():
            self.conn.execute(
                "INSERT INTO errors (path, sha256, error_type, reason, exit_code, detail, attempts,"
                " failed_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(path) DO UPDATE SET "
                "sha256 = excluded.sha256, error_type = excluded.error_type, "
                "reason = excluded.reason, exit_code = excluded.exit_code, "
                "detail = excluded.detail, attempts = errors.attempts + 1, "
                "failed_at = excluded.failed_at",
                (str(path), sha256, error_type, reason, exit_code, detail, _now()))

    def remove(self, document_id: str) -> None:
        """Delete a document and every row that belongs to it."""
        with self._transaction():
            self._delete(document_id)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction; IMMEDIATE takes the write lock up front, so two writers
        (two batches on one file) queue instead of failing half-way."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            raise StoreError(f"cannot write: {err}", str(self.path)) from err

    def _delete(self, doc_id: str) -> None:
        for table in DOCUMENT_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM search_index WHERE document_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def _insert(self, doc_id: str, rec: dict, *, text: str | None, source: str | None,
                pages: int | None, text_source: str | None,
                processing_seconds: float | None) -> None:
        def ex(sql: str, params: tuple = ()) -> None:
            self.conn.execute(sql, tuple(_sql(p) for p in params))

        meta = rec.get("document") or {}
        prov = rec.get("provenance") or {}
        sig = rec.get("signature") or {}
        objectives = rec.get("objectives") or []
        tasks = rec.get("tasks") or []
        references = rec.get("references") or []
        duties = rec.get("duties") or []
        legal_bases = _lines(rec.get("legal_bases"))
        warnings = rec.get("warnings") or []
        n_targets = sum(len(o.get("targets") or []) for o in objectives)
        if pages is None:
            pages = prov.get("pages") if isinstance(prov.get("pages"), int) else None
        if text_source is None and isinstance(prov.get("page_sources"), list):
            text_source = "+".join(sorted({str(x) for x in prov["page_sources"] if x})) or None
        ex("INSERT INTO documents VALUES (" + ", ".join(["?"] * 29) + ")", (
            doc_id, _sql(rec.get("id")), source, Path(source).name if source else None,
            _sql(meta.get("type")), _sql(meta.get("number")), _sql(meta.get("issuer")),
            province_of(_sql(meta.get("issuer")), _sql(meta.get("place"))), _sql(meta.get("place")),
            _sql(meta.get("date")), _int_year(meta.get("date")), _sql(meta.get("title")),
            _period(meta.get("period")), pages, text_source, _sql(sig.get("title")),
            _sql(sig.get("name")),
            len(legal_bases), len(references), len(objectives), n_targets, len(tasks),
            len(duties), len(warnings), json.dumps(warnings, ensure_ascii=False),
            processing_seconds, _now(), rec.get("schema_version"), __version__))
        ex("INSERT INTO records VALUES (?, ?)", (doc_id, json.dumps(rec, ensure_ascii=False)))
        if text is not None:
            ex("INSERT INTO texts VALUES (?, ?)", (doc_id, text))

        units: list[tuple[str, str, str | None]] = []  # (kind, ref, text) for the FTS index
        if meta.get("title"):
            units.append(("title", meta.get("number") or "", meta["title"]))
        for i, s in enumerate(rec.get("sections") or [], start=1):
            ex("INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (doc_id, i, s.get("path"), s.get("marker"), s.get("heading"), s.get("role"),
                s.get("level"), s.get("parent")))
            if s.get("heading"):
                units.append(("section", s.get("path") or "", s["heading"]))
        for kind, key in (("purpose", "purposes"), ("requirement", "requirements"),
                          ("implementation", "implementation"), ("recipient", "recipients")):
            for i, item in enumerate(_lines(rec.get(key)), start=1):
                ex("INSERT INTO items VALUES (?, ?, ?, ?)", (doc_id, kind, i, item))
                if kind != "recipient":
                    units.append((kind, str(i), item))
        for i, o in enumerate(objectives, start=1):
            targets = o.get("targets") or []
            ex("INSERT INTO objectives VALUES (?, ?, ?, ?, ?, ?)",
               (doc_id, i, o.get("scope"), o.get("group"), o.get("text"), len(targets)))
            units.append(("objective", str(i), o.get("text")))
            for j, t in enumerate(targets, start=1):
                ex("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (doc_id, i, j, t.get("value"), t.get("unit"), t.get("year"), t.get("text")))
        agencies: dict[str, str] = {}
        for i, t in enumerate(tasks, start=1):
            ex("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (doc_id, i, t.get("path"), t.get("title"), _joined(t.get("lead")),
                _joined(t.get("partners")), t.get("timeframe"), t.get("text")))
            body = t.get("text") or ""
            title = t.get("title") or ""
            units.append(("task", t.get("path") or str(i),
                          body if fold(body).startswith(fold(title)[:40]) else
                          f"{title} {body}".strip()))
            for role, names_key, ids_key in (("lead", "lead", "lead_ids"),
                                             ("partner", "partners", "partner_ids")):
                names = _lines(t.get(names_key))
                ids = t.get(ids_key) or []
                for j, name in enumerate(names, start=1):
                    agency_id = ids[j - 1] if j - 1 < len(ids) and ids[j - 1] else _agency_id(name)
                    agencies.setdefault(agency_id, name)
                    ex("INSERT INTO task_agencies VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (doc_id, i, role, j, agency_id, name, fold(name)))
        for i, d in enumerate(duties, start=1):
            agency_id = d.get("agency_id") or (_agency_id(d["agency"]) if d.get("agency") else None)
            if agency_id:
                agencies.setdefault(agency_id, d.get("agency") or agency_id)
            ex("INSERT INTO duties VALUES (?, ?, ?, ?, ?, ?)",
               (doc_id, i, d.get("path"), d.get("agency"), agency_id, d.get("text")))
            units.append(("duty", d.get("agency") or str(i), d.get("text")))
        for agency_id, name in agencies.items():
            # min(): the same spelling whatever order documents arrive in (Dask completes
            # them out of order), so two runs over the same inputs give the same table.
            ex("INSERT INTO agencies VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET "
               "name = min(name, excluded.name)", (agency_id, name))
        for i, number in enumerate(legal_bases, start=1):
            ex("INSERT INTO legal_bases VALUES (?, ?, ?, ?)", (doc_id, i, number, fold_key(number)))
        for i, r in enumerate(references, start=1):
            ex('INSERT INTO "references" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
               (doc_id, i, r.get("number"), fold_key(r.get("number")) or None, r.get("kind"),
                r.get("date"), r.get("issuer"), r.get("basis"), r.get("text")))
            if r.get("text"):
                units.append(("reference", r.get("number") or str(i), r["text"]))
        if text:
            # Paragraphs that only repeat a structured unit (an objective, a task, ...) would
            # double the index and the hits; the rest of the text (preamble, context, anything
            # extraction missed) stays searchable.
            covered = "\n".join(" ".join(fold(u[2]).split()) for u in units if u[2])
            for ref, para in _paragraphs(text):
                key = " ".join(_MARKER_RE.sub("", fold(para)).split())
                if len(key) < 12 or key not in covered:
                    units.append(("text", ref, para))
        ex_many = self.conn.executemany
        ex_many("INSERT INTO search_index (folded, text, document_id, kind, ref) "
                "VALUES (?, ?, ?, ?, ?)",
                [(fold(u_text), _nfc(u_text), doc_id, kind, ref)
                 for kind, ref, u_text in units if u_text and u_text.strip()])

    # ------------------------------------------------------------------------------- search
    def search(self, query: str, *, kind: str | Iterable[str] | None = None, limit: int = 20,
               document_id: str | None = None, per_document: bool = False,
               snippet_chars: int = 160, mark: tuple[str, str] = ("[", "]")) -> list[dict]:
        """Full-text search, ranked, diacritics and "đ" folded on both sides.

        ``query``: words (all must occur), ``"quoted phrases"``, ``prefix*``, ``OR`` between
        words. Plain words are tried as a phrase first: units holding them side by side
        ("thư viện") come before units holding them apart ("thu" ... "viên"), each group
        ranked by bm25. ``kind`` restricts the units searched (title, objective, task,
        purpose, requirement, implementation, duty, section, reference, text). A paragraph of
        the document text that repeats a structured unit found in the same document, and a
        unit repeating the text of one already listed for that document, are left out.
        Each hit: ``{"document_id", "document_number", "doc_type", "title", "file_name",
        "kind", "ref", "score", "snippet", "text"}``; matched words are wrapped in ``mark``
        in the snippet. ``per_document``: one hit per document (its best unit), with
        ``"matches"``, the number of its units that matched (counted among the first 1,000).
        """
        match = fts_query(query)
        if not match:
            return []
        passes = [match]
        phrase = _phrase_query(match)
        if phrase:
            passes.insert(0, phrase)
        rows: list[sqlite3.Row] = []
        seen_rowids: set[int] = set()
        fetch = max(limit * 5, 50) if not per_document else max(limit * 50, 1000)
        for expression in passes:
            if len(rows) >= fetch:  # the phrase alone filled the page
                break
            for r in self._match(expression, kind, document_id, fetch):
                if r["rowid"] not in seen_rowids:
                    seen_rowids.add(r["rowid"])
                    rows.append(r)
        folded_texts = [" ".join(fold(r["text"]).split()) for r in rows]
        structured: dict[str, list[str]] = {}
        for r, folded in zip(rows, folded_texts):
            if r["kind"] != "text":
                structured.setdefault(r["document_id"], []).append(folded)
        hits: list[dict] = []
        listed: set[tuple[str, str]] = set()
        for r, folded in zip(rows, folded_texts):
            if r["kind"] == "text" and any(folded in s or s in folded
                                           for s in structured.get(r["document_id"], [])):
                continue
            if (r["document_id"], folded) in listed:
                continue
            listed.add((r["document_id"], folded))
            spans = _spans(r["hl"])
            hits.append({"document_id": r["document_id"], "document_number": r["number"],
                         "doc_type": r["doc_type"], "title": r["title"],
                         "file_name": r["file_name"], "kind": r["kind"],
                         "ref": r["ref"], "score": round(-r["score"], 4),
                         "snippet": _snippet(r["text"], spans, snippet_chars, mark),
                         "text": r["text"]})
            if len(hits) >= limit and not per_document:
                break
        if per_document:
            best: dict[str, dict] = {}
            for hit in hits:
                if hit["document_id"] in best:
                    best[hit["document_id"]]["matches"] += 1
                else:
                    best[hit["document_id"]] = {**hit, "matches": 1}
            hits = list(best.values())[:limit]
        return hits

    def _match(self, expression: str, kind: str | Iterable[str] | None,
               document_id: str | None, limit: int) -> list[sqlite3.Row]:
        # Rank inside the FTS5 table first (ORDER BY rank LIMIT in a subquery is FTS5's fast
        # path), then join the few rows kept to their documents.
        inner = ["SELECT rowid, document_id, kind, ref, text, rank AS score, "
                 "highlight(search_index, 0, char(2), char(3)) AS hl FROM search_index "
                 "WHERE search_index MATCH ?"]
        params: list[Any] = [expression]
        if kind:
            kinds = [kind] if isinstance(kind, str) else list(kind)
            inner.append(f"AND kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        if document_id:
            inner.append("AND document_id = ?")
            params.append(document_id)
        inner.append("ORDER BY rank LIMIT ?")
        params.append(limit)
        sql = ("SELECT s.rowid AS rowid, s.document_id, s.kind, s.ref, s.text, s.score, s.hl, "
               "d.number, d.title, d.doc_type, d.file_name FROM (" + " ".join(inner) + ") s "
               "JOIN documents d ON d.id = s.document_id ORDER BY s.score")
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as err:
            raise StoreError(f"bad search query {expression!r}: {err}") from err
        except sqlite3.DatabaseError:
            return list(self._rows(sql, params))  # says the file is damaged

    # -------------------------------------------------------------------------------- query
    def query(self, kind: str = "document", *, agency: str | None = None,
              year: int | None = None, province: str | None = None,
              doc_type: str | None = None, cites: str | None = None,
              document_id: str | None = None, limit: int | None = None) -> list[dict]:
        """Rows of one kind (see :data:`COLUMNS`), filtered; every filter is optional.

        - ``agency``: tasks whose lead or partners name it (folded substring or agency id);
          for other kinds, documents where any task or duty names it.
        - ``year``: the target's due year for ``target`` rows, else the document's year.
        - ``province``, ``doc_type``: the document's (folded, diacritics optional).
        - ``cites``: documents citing that number (``208/QĐ-TTg``) in their legal bases or
          references.
        """
        return list(self.iter_rows(kind, agency=agency, year=year, province=province,
                                   doc_type=doc_type, cites=cites, document_id=document_id,
                                   limit=limit))

    def iter_rows(self, kind: str = "document", *, agency: str | None = None,
                  year: int | None = None, province: str | None = None,
                  doc_type: str | None = None, cites: str | None = None,
                  document_id: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Like :meth:`query`, as an iterator of dicts with exactly the :data:`COLUMNS`."""
        if kind not in _KIND_SQL:
            raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        where: list[str] = []
        params: list[Any] = []
        if kind != "error":
            if document_id:
                where.append("d.id = ?")
                params.append(document_id)
            if year is not None:
                where.append(("t.year" if kind == "target" else "d.year") + " = ?")
                params.append(int(year))
            if province:
                where.append(f"vanban_fold(d.province) LIKE ? {_ESCAPE}")
                params.append(_like_contains(fold(province)))
            if doc_type:
                where.append("vanban_fold(d.doc_type) = ?")
                params.append(fold(doc_type).strip())
            if cites:
                key = fold_key(cites)
                where.append("d.id IN (SELECT document_id FROM legal_bases WHERE number_key = ? "
                             "UNION SELECT document_id FROM \"references\" WHERE number_key = ?)")
                params += [key, key]
            if agency:
                name = _like_contains(fold(agency))
                if kind == "task":
                    where.append("(k.document_id, k.seq) IN (SELECT document_id, task_seq FROM "
                                 f"task_agencies WHERE name_folded LIKE ? {_ESCAPE} "
                                 "OR agency_id = ?)")
                    params += [name, agency]
                elif kind == "duty":
                    where.append(f"(vanban_fold(u.agency) LIKE ? {_ESCAPE} OR u.agency_id = ?)")
                    params += [name, agency]
                else:
                    where.append("d.id IN (SELECT document_id FROM task_agencies WHERE "
                                 f"name_folded LIKE ? {_ESCAPE} OR agency_id = ? UNION SELECT "
                                 f"document_id FROM duties WHERE vanban_fold(agency) LIKE ? "
                                 f"{_ESCAPE} OR agency_id = ?)")
                    params += [name, agency, name, agency]
        sql = _KIND_SQL[kind]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + _KIND_ORDER[kind]
        if limit:
            sql += f" LIMIT {int(limit)}"
        columns = COLUMNS[kind]
        for row in self._rows(sql, params):
            keys = row.keys()
            yield {c: (row[c] if c in keys else None) for c in columns}

    # ------------------------------------------------------------------------------- export
    def export(self, fmt: str = "jsonl", *, kind: str | None = None, out: IO[str] | None = None,
               **filters: Any) -> int | str:
        """Write records or flat rows; returns the number written (or the text without ``out``).

        ``fmt="jsonl"`` without ``kind``: one whole plan record per document per line.
        ``fmt="jsonl"`` with ``kind``: one flat row (the :data:`COLUMNS` of that kind) per line.
        ``fmt="csv"``: a header line and the flat rows of ``kind`` (default ``document``).
        ``filters`` are those of :meth:`query`.
        """
        if fmt not in ("jsonl", "csv"):
            raise ValueError(f"unknown export format {fmt!r}")
        buffer = None
        if out is None:
            out = buffer = io.StringIO()
        count = 0
        if fmt == "jsonl" and kind is None:
            ids = None
            if filters and any(v is not None for v in filters.values()):
                ids = [r["document_id"] for r in self.iter_rows("document", **filters)]
            source = (self.record(i) for i in ids) if ids is not None else self.records()
            for rec in source:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                count += 1
        elif fmt == "jsonl":
            for row in self.iter_rows(kind, **filters):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        else:
            kind = kind or "document"
            writer = csv.DictWriter(out, fieldnames=COLUMNS[kind], lineterminator="\n")
            writer.writeheader()
            for row in self.iter_rows(kind, **filters):
                writer.writerow(row)
                count += 1
        return buffer.getvalue() if buffer is not None else count


# ----------------------------------------------------------------------------- FTS helpers
_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"\w+")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: Longest search query accepted, in characters and in terms: FTS5's cost grows faster than
#: linearly with the number of terms, and no real question has hundreds of them.
MAX_QUERY_CHARS = 2000
MAX_QUERY_TERMS = 64


def fts_query(query: str) -> str:
    """Turn a user query into an FTS5 MATCH expression over folded text.

    Words are folded and quoted (so "208/QĐ-TTg" or "-" cannot break FTS5 syntax); every word
    must occur; ``"a b"`` is a phrase, ``word*`` a prefix, ``OR`` between two terms either.
    A query over :data:`MAX_QUERY_CHARS` characters or :data:`MAX_QUERY_TERMS` terms is a
    :class:`~vanban.errors.UsageError` (checked before any parsing, so the cost is bounded).
    """
    query = query or ""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"search query of {len(query)} characters; at most {MAX_QUERY_CHARS}")
    parts: list[str] = []
    for phrase, word in _TOKEN_RE.findall(query or ""):
        if word == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        if word == "AND":
            continue
        if phrase:
            tokens = _WORD_RE.findall(fold(phrase))
            if tokens:
                parts.append('"' + " ".join(tokens) + '"')
            continue
        prefix = word.endswith("*")
        tokens = _WORD_RE.findall(fold(word))
        if not tokens:
            continue
        if len(tokens) > 1:  # "208/QĐ-TTg" -> the phrase "208 qd ttg"
            parts.append('"' + " ".join(tokens) + '"' + ("*" if prefix else ""))
        else:
            parts.append(f'"{tokens[0]}"' + ("*" if prefix else ""))
    while parts and parts[-1] == "OR":
        parts.pop()
    first = 0
    while first < len(parts) and parts[first] == "OR":
        first += 1
    parts = parts[first:]
    terms = sum(1 for p in parts if p != "OR")
    if terms > MAX_QUERY_TERMS:
        raise UsageError(f"search query of {terms} terms; at most {MAX_QUERY_TERMS}")
    return " ".join(parts)


def _phrase_query(match: str) -> str | None:
    """For a MATCH of two or more plain quoted words ('"thu" "vien"'), the phrase of them
    ('"thu vien"'); None for anything with operators, prefixes or phrases already."""
    words = match.split(" ")
    if len(words) < 2 or not all(re.fullmatch(r'"\w+"', w) for w in words):
        return None
    return '"' + " ".join(w.strip('"') for w in words) + '"'


def _spans(highlighted: str) -> list[tuple[int, int]]:
    """Offsets of the \x02...\x03 marks in a highlight() result, in unmarked coordinates;
    matches separated only by spaces (the words of a phrase) are merged."""
    spans: list[tuple[int, int]] = []
    pos, start = 0, None
    plain = highlighted.replace("\x02", "").replace("\x03", "")
    for ch in highlighted:
        if ch == "\x02":
            start = pos
        elif ch == "\x03":
            if start is not None:
                spans.append((start, pos))
            start = None
        else:
            pos += 1
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and not plain[merged[-1][1]:s].strip():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _snippet(text: str, spans: list[tuple[int, int]], width: int,
             mark: tuple[str, str]) -> str:
    """A window of ``text`` around its first match, matches wrapped in ``mark``.

    ``text`` is NFC and the spans come from its folded copy, which has the same length.
    """
    if not spans:
        window = (0, min(len(text), width))
    else:
        first = spans[0][0]
        start = max(0, first - width // 3)
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
        if start > 0:  # start at a word boundary
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space >= 0 and first - space < width // 2 else start
        if end < len(text):
            space = text.find(" ", end)
            end = space if 0 <= space - end < 20 else end
        window = (start, end)
    out = ["…" if window[0] > 0 else ""]
    pos = window[0]
    for s, e in spans:
        if e <= window[0] or s >= window[1]:
            continue
        s, e = max(s, window[0]), min(e, window[1])
        out += [text[pos:s], mark[0], text[s:e], mark[1]]
        pos = e
    out.append(text[pos:window[1]])
    if window[1] < len(text):
        out.append("…")
    return " ".join("".join(out).split())
