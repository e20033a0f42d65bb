"""Writing to the corpus store: one document (its record, text and every derived row) in one
transaction; input paths and errors.

:class:`StoreWriter` is the writing half of :class:`vanban.corpus.Store` (it uses the
façade's ``conn`` and ``path``). Rows are inserted by column name (:meth:`StoreWriter._insert_row`).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from ... import __version__
from ...errors import StoreError
from ...errors import utf8_text as storable
from ...model import PAGE_SEPARATOR, PlanRecord
from ..fold import agency_key, fold, fold_key
from .schema import DOCUMENT_TABLES

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
        return value.get("text") or (_json_text(value) if value else None)
    return _sql(value)


#: A lone surrogate: a byte of a file name that is not UTF-8, as Python reads such a name.
_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _json_text(value: Any) -> str:
    """``value`` as JSON text the store can hold (``json.dumps``, letters kept as they are):
    a lone surrogate is written as JSON's own escape (``\\udcff``), which ``json.loads``
    reads back as the same character. :func:`storable` would write it ``\\xff``, an escape
    JSON does not have: the record of a file whose name is not UTF-8 (its id is the name's
    stem) could not be read back (``vanban export``: "Invalid \\escape")."""
    return _LONE_SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                  json.dumps(value, ensure_ascii=False))


def _sql(value: Any) -> Any:
    """A value SQLite can bind: lists/dicts (a shape this store does not expect) become JSON,
    text is made :func:`storable`."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, int) and not -2**63 <= value < 2**63:
        return str(value)  # beyond SQLite's INTEGER (a target of 10^23): kept as its digits
    if value is None or isinstance(value, (int, float)):
        return value
    return _json_text(value)


def _joined(names: Iterable[str] | None) -> str | None:
    names = [n for n in (names or []) if n]
    return "; ".join(names) if names else None


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



def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


class StoreWriter:
    """``add``, ``add_file``, ``add_error``, ``remove``: every write of the store."""
    conn: sqlite3.Connection
    path: Path

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
                                               ensure_ascii=False).encode("utf-8", "surrogatepass")
                                    ).hexdigest()
        source = source or prov.get("source") or prov.get("path")
        with self._transaction():
            exists = self.has_document(doc_id)
            if exists and replace:
                self._delete(doc_id)
            if not exists or replace:
                self._insert(doc_id, record, text=text, source=source, pages=pages,
                             text_source=text_source, processing_seconds=processing_seconds)
            if source:
                self.conn.execute("INSERT OR IGNORE INTO document_files (document_id, path) "
                                  "VALUES (?, ?)", (doc_id, storable(str(source))))
                self.conn.execute("DELETE FROM errors WHERE path = ?", (storable(str(source)),))
        return not exists or replace

    def add_file(self, document_id: str, path: str) -> None:
        """Remember another path holding the content of an already stored document."""
        with self._transaction():
            self.conn.execute("INSERT OR IGNORE INTO document_files (document_id, path) "
                              "VALUES (?, ?)", (document_id, storable(str(path))))
            self.conn.execute("DELETE FROM errors WHERE path = ?", (storable(str(path)),))

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
                (storable(str(path)), sha256, _sql(error_type), _sql(reason), exit_code,
                 _sql(detail), _now()))

    def remove_errors(self, paths: Iterable[str]) -> int:
        """Delete the errors rows of these input paths (as stored); the number deleted."""
        paths = list(paths)
        if not paths:
            return 0
        removed = 0
        with self._transaction():
            for path in paths:
                removed += self.conn.execute("DELETE FROM errors WHERE path = ?",
                                             (storable(str(path)),)).rowcount
        return removed

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

    def _insert_row(self, table: str, row: dict[str, Any]) -> None:
        """``INSERT INTO table (<row's keys>) VALUES (<its values>)``: columns by name, so a
        column added to the table (or moved) cannot shift the values into the wrong ones."""
        self.conn.execute(_insert_sql(table, tuple(row)), [_sql(v) for v in row.values()])

    def _insert(self, doc_id: str, rec: dict, *, text: str | None, source: str | None,
                pages: int | None, text_source: str | None,
                processing_seconds: float | None) -> None:
        row = self._insert_row
        folded: dict[str, str] = {}  # each unit's text is folded once, not for every use

        def fold_once(text: str) -> str:
            out = folded.get(text)
            if out is None:
                out = folded[text] = fold(text)
            return out

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
        row("documents", {
            "id": doc_id, "record_id": rec.get("id"), "source": source,
            "file_name": Path(source).name if source else None,
            "doc_type": meta.get("type"), "number": meta.get("number"),
            "issuer": meta.get("issuer"),
            "province": province_of(_sql(meta.get("issuer")), _sql(meta.get("place"))),
            "place": meta.get("place"), "date": meta.get("date"),
            "year": _int_year(meta.get("date")), "title": meta.get("title"),
            "period": _period(meta.get("period")), "pages": pages, "text_source": text_source,
            "signer_title": sig.get("title"), "signer_name": sig.get("name"),
            "n_legal_bases": len(legal_bases), "n_references": len(references),
            "n_objectives": len(objectives), "n_targets": n_targets, "n_tasks": len(tasks),
            "n_duties": len(duties), "n_warnings": len(warnings),
            "warnings": _json_text(warnings),
            "processing_seconds": processing_seconds, "added_at": _now(),
            "record_schema_version": rec.get("schema_version"), "vanban_version": __version__,
            "number_key": fold_key(meta.get("number")) or None})
        row("records", {"document_id": doc_id,
                        "record_json": _json_text(rec)})
        if text is not None:
            row("texts", {"document_id": doc_id, "text": text})

        units: list[tuple[str, str, str | None]] = []  # (kind, ref, text) for the FTS index
        if meta.get("title"):
            units.append(("title", meta.get("number") or "", meta["title"]))
        for i, s in enumerate(rec.get("sections") or [], start=1):
            row("sections", {"document_id": doc_id, "seq": i, "path": s.get("path"),
                             "marker": s.get("marker"), "heading": s.get("heading"),
                             "role": s.get("role"), "level": s.get("level"),
                             "parent": s.get("parent")})
            if s.get("heading"):
                units.append(("section", s.get("path") or "", s["heading"]))
        for kind, key in (("purpose", "purposes"), ("requirement", "requirements"),
                          ("implementation", "implementation"), ("recipient", "recipients")):
            for i, item in enumerate(_lines(rec.get(key)), start=1):
                row("items", {"document_id": doc_id, "kind": kind, "seq": i, "text": item})
                if kind != "recipient":
                    units.append((kind, str(i), item))
        for i, o in enumerate(objectives, start=1):
            targets = o.get("targets") or []
            row("objectives", {"document_id": doc_id, "seq": i, "scope": o.get("scope"),
                               "group_heading": o.get("group"), "text": o.get("text"),
                               "n_targets": len(targets)})
            units.append(("objective", str(i), o.get("text")))
            for j, t in enumerate(targets, start=1):
                row("targets", {"document_id": doc_id, "objective_seq": i, "seq": j,
                                "value": t.get("value"), "unit": t.get("unit"),
                                "year": t.get("year"), "text": t.get("text")})
        agencies: dict[str, str] = {}
        for i, t in enumerate(tasks, start=1):
            row("tasks", {"document_id": doc_id, "seq": i, "path": t.get("path"),
                          "title": t.get("title"), "lead": _joined(t.get("lead")),
                          "partners": _joined(t.get("partners")),
                          "timeframe": t.get("timeframe"), "text": t.get("text")})
            body = t.get("text") or ""
            title = t.get("title") or ""
            units.append(("task", t.get("path") or str(i),
                          body if fold_once(body).startswith(fold(title)[:40]) else
                          f"{title} {body}".strip()))
            for role, names_key, ids_key in (("lead", "lead", "lead_ids"),
                                             ("partner", "partners", "partner_ids")):
                names = _lines(t.get(names_key))
                ids = t.get(ids_key) or []
                for j, name in enumerate(names, start=1):
                    agency_id = ids[j - 1] if j - 1 < len(ids) and ids[j - 1] else agency_key(name)
                    agencies.setdefault(agency_id, name)
                    row("task_agencies", {"document_id": doc_id, "task_seq": i, "role": role,
                                          "seq": j, "agency_id": agency_id, "name": name,
                                          "name_folded": fold(name)})
        for i, d in enumerate(duties, start=1):
            agency_id = d.get("agency_id") or (agency_key(d["agency"]) if d.get("agency") else None)
            if agency_id:
                agencies.setdefault(agency_id, d.get("agency") or agency_id)
            row("duties", {"document_id": doc_id, "seq": i, "path": d.get("path"),
                           "agency": d.get("agency"), "agency_id": agency_id,
                           "text": d.get("text")})
            units.append(("duty", d.get("agency") or str(i), d.get("text")))
        for agency_id, name in agencies.items():
            # min(): the same spelling whatever order documents arrive in (Dask completes
            # them out of order), so two runs over the same inputs give the same table.
            self.conn.execute("INSERT INTO agencies (id, name) VALUES (?, ?) ON CONFLICT(id) "
                              "DO UPDATE SET name = min(name, excluded.name)",
                              (agency_id, _sql(name)))
        for i, number in enumerate(legal_bases, start=1):
            row("legal_bases", {"document_id": doc_id, "seq": i, "number": number,
                                "number_key": fold_key(number)})
        for i, r in enumerate(references, start=1):
            row('"references"', {"document_id": doc_id, "seq": i, "number": r.get("number"),
                                 "number_key": fold_key(r.get("number")) or None,
                                 "kind": r.get("kind"), "date": r.get("date"),
                                 "issuer": r.get("issuer"), "basis": r.get("basis"),
                                 "text": r.get("text")})
            if r.get("text"):
                units.append(("reference", r.get("number") or str(i), r["text"]))
        if text:
            # Paragraphs that only repeat a structured unit (an objective, a task, ...) would
            # double the index and the hits; the rest of the text (preamble, context, anything
            # extraction missed) stays searchable.
            covered = "\n".join(" ".join(fold_once(u[2]).split()) for u in units if u[2])
            for ref, para in _paragraphs(text):
                key = " ".join(_MARKER_RE.sub("", fold_once(para)).split())
                if len(key) < 12 or key not in covered:
                    units.append(("text", ref, para))
        ex_many = self.conn.executemany
        ex_many("INSERT INTO search_index (folded, text, document_id, kind, ref) "
                "VALUES (?, ?, ?, ?, ?)",
                [(storable(fold_once(u_text)), storable(_nfc(u_text)), doc_id, kind, _sql(ref))
                 for kind, ref, u_text in units if u_text and u_text.strip()])

