"""The corpus database's tables (plain SQLite; Datasette opens the file as it is).

Every table that hangs off a document carries ``document_id`` (the sha256 of the input file's
bytes, ``documents.id``) and a 1-based ``seq`` giving the order in the record. Lists of agency
names are also kept as "; "-joined text next to their normalised rows so that a reader of the
table sees them without a join.

The full-text index ``search_index`` (FTS5) holds one row per searchable unit (title, objective,
task, item, duty, section heading, reference, paragraph of the document text): ``folded`` is the
indexed, diacritic-folded text (see :mod:`vanban.corpus.fold`), ``text`` the original. Nothing in
the schema needs a custom SQL function, so any SQLite client can read it.

Versions: ``meta.store_schema_version`` says which schema a file has. :data:`SCHEMA` is the
newest (:data:`STORE_SCHEMA_VERSION`); :data:`MIGRATIONS` bring an older file up to it, step by
step, when it is opened for writing (in the transaction that opens it, so two writers opening
an old file at once migrate it once). A file newer than this vanban knows is refused, untouched.
A read-only open reads an older file as it is: readers of a column a later version added
(``documents.number_key``, version 3) look at :attr:`Store.schema_version` first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable, Iterator

from ...errors import StoreError
from ...outputs import SQLITE_HEADER  # noqa: F401 - the first bytes of a SQLite file
from ..fold import fold_key

#: The schema :data:`SCHEMA` creates; bumped (with a :data:`MIGRATIONS` step) when it changes.
STORE_SCHEMA_VERSION = 3

SCHEMA = r"""
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,            -- sha256 of the input file's bytes
    record_id TEXT,                 -- PlanRecord.id
    source TEXT,                    -- the path the document was first stored from
    file_name TEXT,
    doc_type TEXT,                  -- Kế hoạch, Quyết định, Chỉ thị, ...
    number TEXT,                    -- 552/KH-UBND
    issuer TEXT,
    province TEXT,                  -- from the issuer ("... tỉnh Đồng Tháp"), else the place
    place TEXT,
    date TEXT,                      -- ISO YYYY-MM-DD
    year INTEGER,
    title TEXT,
    period TEXT,
    pages INTEGER,
    text_source TEXT,               -- ocr | text-layer | text (several joined by "+")
    signer_title TEXT,
    signer_name TEXT,
    n_legal_bases INTEGER,
    n_references INTEGER,
    n_objectives INTEGER,
    n_targets INTEGER,
    n_tasks INTEGER,
    n_duties INTEGER,
    n_warnings INTEGER,
    warnings TEXT,                  -- JSON list
    processing_seconds REAL,
    added_at TEXT,                  -- UTC ISO timestamp
    record_schema_version TEXT,
    vanban_version TEXT,            -- the vanban that made the record (to find what to reprocess)
    number_key TEXT                 -- the number folded, spaces removed: 208/qd-ttg (since 3)
);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE INDEX IF NOT EXISTS documents_number ON documents(number);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date, number, id);  -- since version 2
CREATE INDEX IF NOT EXISTS documents_number_key ON documents(number_key);  -- since version 3

CREATE TABLE IF NOT EXISTS document_files (
    document_id TEXT NOT NULL REFERENCES documents(id),
    path TEXT NOT NULL,             -- every path seen with this content
    PRIMARY KEY (document_id, path)
);

CREATE TABLE IF NOT EXISTS records (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    record_json TEXT NOT NULL       -- the whole PlanRecord (PlanRecord.to_dict()) as JSON
);

CREATE TABLE IF NOT EXISTS texts (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    text TEXT                       -- normalised document text, pages separated by form feed
);

CREATE TABLE IF NOT EXISTS sections (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    path TEXT, marker TEXT, heading TEXT, role TEXT, level INTEGER, parent TEXT,
    PRIMARY KEY (document_id, seq)
);

CREATE TABLE IF NOT EXISTS items (
    document_id TEXT NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,             -- purpose | requirement | implementation | recipient
    seq INTEGER NOT NULL,
    text TEXT,
    PRIMARY KEY (document_id, kind, seq)
);

CREATE TABLE IF NOT EXISTS objectives (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    scope TEXT,                     -- general | specific
    group_heading TEXT,
    text TEXT,
    n_targets INTEGER,
    PRIMARY KEY (document_id, seq)
);

CREATE TABLE IF NOT EXISTS targets (
    document_id TEXT NOT NULL REFERENCES documents(id),
    objective_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,           -- order within the objective
    value NUMERIC,                  -- integers stay integers
    unit TEXT,
    year INTEGER,
    text TEXT,
    PRIMARY KEY (document_id, objective_seq, seq)
);
CREATE INDEX IF NOT EXISTS targets_year ON targets(year);

CREATE TABLE IF NOT EXISTS tasks (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    path TEXT,                      -- III.2.3
    title TEXT,
    lead TEXT,                      -- "; "-joined, as written
    partners TEXT,                  -- "; "-joined, as written
    timeframe TEXT,
    text TEXT,
    PRIMARY KEY (document_id, seq)
);

CREATE TABLE IF NOT EXISTS agencies (
    id TEXT PRIMARY KEY,            -- normalised key (extract's agency id, else the folded name)
    name TEXT                       -- one spelling seen for it (the alphabetically first)
);

CREATE TABLE IF NOT EXISTS task_agencies (
    document_id TEXT NOT NULL REFERENCES documents(id),
    task_seq INTEGER NOT NULL,
    role TEXT NOT NULL,             -- lead | partner
    seq INTEGER NOT NULL,
    agency_id TEXT REFERENCES agencies(id),
    name TEXT,                      -- as written in the task
    name_folded TEXT,
    PRIMARY KEY (document_id, task_seq, role, seq)
);
CREATE INDEX IF NOT EXISTS task_agencies_agency ON task_agencies(agency_id);

CREATE TABLE IF NOT EXISTS duties (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    path TEXT,
    agency TEXT,
    agency_id TEXT REFERENCES agencies(id),
    text TEXT,
    PRIMARY KEY (document_id, seq)
);

CREATE TABLE IF NOT EXISTS legal_bases (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    number TEXT,
    number_key TEXT,                -- folded, spaces removed: 208/qd-ttg
    PRIMARY KEY (document_id, seq)
);
CREATE INDEX IF NOT EXISTS legal_bases_key ON legal_bases(number_key);

CREATE TABLE IF NOT EXISTS "references" (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    number TEXT,
    number_key TEXT,
    kind TEXT,
    date TEXT,
    issuer TEXT,
    basis TEXT,                     -- Căn cứ | Thực hiện | Theo đề nghị | NULL (in the body)
    text TEXT,
    PRIMARY KEY (document_id, seq)
);
CREATE INDEX IF NOT EXISTS references_key ON "references"(number_key);

CREATE TABLE IF NOT EXISTS errors (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    error_type TEXT,                -- the exception class (InputFileError, EncryptedPdfError, ...)
    reason TEXT,
    exit_code INTEGER,              -- the code vanban run would exit with (vanban.errors)
    detail TEXT,                    -- traceback for unexpected errors
    attempts INTEGER,
    failed_at TEXT
);

CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(
    folded,
    text UNINDEXED,
    document_id UNINDEXED,
    kind UNINDEXED,
    ref UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

#: Tables holding one document's rows (deleted together when a document is replaced).
DOCUMENT_TABLES = ("document_files", "records", "texts", "sections", "items", "objectives",
                   "targets", "tasks", "task_agencies", "duties", "legal_bases", '"references"')


@dataclass(frozen=True)
class Migration:
    """One step from ``version - 1`` to ``version``: SQL run in the opening transaction,
    then ``backfill(conn)`` (values SQL cannot compute, in the same transaction)."""
    version: int
    description: str
    statements: tuple[str, ...]
    backfill: Callable[[sqlite3.Connection], None] | None = None


def _fill_number_keys(conn: sqlite3.Connection) -> None:
    """``documents.number_key`` of every stored document (the key its citers' legal bases
    and references hold), folded as the store folds them (:func:`vanban.corpus.fold_key`)."""
    rows = conn.execute("SELECT id, number FROM documents WHERE number IS NOT NULL").fetchall()
    conn.executemany("UPDATE documents SET number_key = ? WHERE id = ?",
                     [(fold_key(number) or None, doc_id) for doc_id, number in rows])


#: Every step from version 1 (the first store) to :data:`STORE_SCHEMA_VERSION`, in order.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "index documents in their listing order (date, number, id): the document "
                 "list, export and the web pages sort by it",
              ("CREATE INDEX IF NOT EXISTS documents_date ON documents(date, number, id)",)),
    Migration(3, "documents.number_key, indexed: the document page finds the corpus documents "
                 "a document cites (and those citing it) by an index instead of folding every "
                 "stored number",
              ("ALTER TABLE documents ADD COLUMN number_key TEXT",
               "CREATE INDEX IF NOT EXISTS documents_number_key ON documents(number_key)"),
              backfill=_fill_number_keys),
)


# ----------------------------------------------------------------------- opening a file


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


def schema_version(conn: sqlite3.Connection) -> int | None:
    """The ``store_schema_version`` of a vanban store (None when it has none)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'store_schema_version'").fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        return -1  # not a version this vanban wrote: refused as unknown


def check_version(version: int | None, path: str) -> None:
    """Refuse a store whose schema this vanban does not know (a newer vanban made it)."""
    if version is None or 1 <= version <= STORE_SCHEMA_VERSION:
        return
    raise StoreError(f"corpus database has store schema version {version}, which this vanban "
                     f"does not know (it reads versions 1 to {STORE_SCHEMA_VERSION}): a newer "
                     "vanban made it; upgrade vanban. Nothing was written to it", path)


def create_or_migrate(conn: sqlite3.Connection, path: str) -> int | None:
    """Create every table of a new store, or bring an older one up to
    :data:`STORE_SCHEMA_VERSION`, in one IMMEDIATE transaction: two batches started at once on
    a new (or old) file queue on the write lock (busy timeout) instead of one failing
    "database is locked", and the second finds the work done. Returns the version the file
    had (None for a new one). Raises :class:`StoreError` for another application's database or
    a newer schema, having written nothing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        names = _table_names(conn)
        if names and not _is_vanban(conn, names):
            raise StoreError(_foreign_message(names), path)
        before = schema_version(conn) if "meta" in names else None
        check_version(before, path)
        if "meta" not in names or "search_index" not in names:
            for statement in _statements(SCHEMA):
                conn.execute(statement)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('store_schema_version', ?)",
                         (str(STORE_SCHEMA_VERSION),))
        elif before is not None and before < STORE_SCHEMA_VERSION:
            for step in MIGRATIONS:
                if step.version > before:
                    for statement in step.statements:
                        conn.execute(statement)
                    if step.backfill is not None:
                        step.backfill(conn)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'store_schema_version'",
                         (str(STORE_SCHEMA_VERSION),))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return before
