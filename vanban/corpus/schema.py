"""The corpus database's tables (plain SQLite; Datasette opens the file as it is).

Every table that hangs off a document carries ``document_id`` (the sha256 of the input file's
bytes, ``documents.id``) and a 1-based ``seq`` giving the order in the record. Lists of agency
names are also kept as "; "-joined text next to their normalised rows so that a reader of the
table sees them without a join.

The full-text index ``search_index`` (FTS5) holds one row per searchable unit (title, objective,
task, item, duty, section heading, reference, paragraph of the document text): ``folded`` is the
indexed, diacritic-folded text (see :mod:`vanban.corpus.fold`), ``text`` the original. Nothing in
the schema needs a custom SQL function, so any SQLite client can read it.
"""

from __future__ import annotations

#: Bumped when the tables change; stored in ``meta``.
STORE_SCHEMA_VERSION = "1"

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
    vanban_version TEXT             -- the vanban that made the record (to find what to reprocess)
);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE INDEX IF NOT EXISTS documents_number ON documents(number);

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
