"""Reading the corpus store: whole records, flat rows of one kind with filters, export.

:class:`StoreQuery` is the reading part of :class:`vanban.corpus.Store` (it uses the façade's
``_rows``). :data:`COLUMNS` are the stable output columns of every row kind.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from typing import IO, Any, Iterable, Iterator

from ..fold import agency_key, fold, fold_key

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

#: First characters that make Excel, LibreOffice and Google Sheets read a CSV cell as a
#: formula (OWASP "CSV injection"): a file name or a title like ``=HYPERLINK(...)`` would run
#: in the analyst's spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


#: A signed number as a spreadsheet reads one, in either decimal convention and as a
#: percentage (``-5``, ``+3.2``, ``-1.234,5``, ``+3,5%``, ``-5%``): no formula, left as it is.
_SIGNED_NUMBER_RE = re.compile(r"[+-]?\d[\d.,]*%?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet takes as text: a text starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (a spreadsheet reads it as "text, not a formula";
    some show the apostrophe), unless it is a plain number (``-5``, ``+3,5%``,
    ``-1.234,5``); anything else is returned as it is."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if _SIGNED_NUMBER_RE.fullmatch(value):
        return value
    try:
        float(value)  # also "-1e5", "+inf": numbers, not formulas
        return value
    except ValueError:
        return "'" + value


def spreadsheet_safe_row(row: dict) -> dict:
    """``row`` with every cell :func:`spreadsheet_safe`."""
    return {k: spreadsheet_safe(v) for k, v in row.items()}

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


#: The parts an agency can have in a document, as the agency filters name them: lead or
#: partner of a task, the agency of an implementation duty.
AGENCY_ROLES = ("lead", "partner", "duty")


def agency_keys(name: str) -> list[str]:
    """The agency ids a user's agency text can stand for: as given, the extract stage's
    normalised key ("Sở VHTTDL" -> "so van hoa the thao du lich") and the store's key for a
    name extract gave no id ("so-tai-chinh")."""
    from ...extract.agencies import normalize_agency
    normalised = normalize_agency(name)
    keys = {name.strip(), normalised, normalised.replace(" ", "-"), agency_key(name)}
    return sorted(k for k in keys if k)


def spaced_fold(text: str | None) -> str:
    """The key province and kind filters compare: folded, runs of spaces made one."""
    return " ".join(fold(text).split())


def same_folded(values: Iterable[str], wanted: str) -> list[str]:
    """The ``values`` equal to ``wanted`` once both are folded (diacritics, case, spacing):
    "dong thap" -> ["Đồng Tháp"]. SQL then compares plain stored values (an index can serve)
    instead of calling a Python function on every row."""
    key = spaced_fold(wanted)
    return [v for v in values if spaced_fold(v) == key]


def matching_agency_ids(spellings: Iterable[tuple[str, str]], agency: str) -> list[str]:
    """The agency ids ``agency`` names, among ``(agency id, folded spelling)`` pairs: every id
    one of whose spellings contains it (diacritics, case and spacing ignored) and every id it
    is a key of (:func:`agency_keys`: the id itself, an abbreviation extract normalises)."""
    folded = spaced_fold(agency)
    keys = set(agency_keys(agency))
    return sorted({agency_id for agency_id, name in spellings
                   if agency_id and (agency_id in keys
                                     or (folded and folded in " ".join(name.split())))})


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))



#: ``\xHH`` (HH from 80 to ff) not itself escaped (an even number of backslashes before
#: it, which escape each other): how stores before 2026-12-01 held a byte of a file name that
#: is not UTF-8 inside a record's JSON (an escape JSON does not have).
_OLD_BYTE_ESCAPE_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\x([89a-f][0-9a-f])")


def _record_from_json(text: str) -> dict:
    """A stored record's JSON as a dict. A record an older vanban stored for a file whose
    name is not UTF-8 holds its bytes as ``\\xff``, which JSON refuses; it is read as the
    ``\\udcff`` stored now (the same name, as Python reads it)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(_OLD_BYTE_ESCAPE_RE.sub(r"\1\\udc\2", text))


class StoreQuery:
    """``record``, ``records``, ``errors``, ``stats``, ``query``, ``iter_rows``, ``export``."""

    def record(self, document_id: str) -> dict | None:
        """The whole stored plan record of a document (a dict, PlanRecord.to_dict() shape)."""
        row = next(self._rows("SELECT record_json FROM records WHERE document_id = ?",
                              (document_id,)), None)
        return _record_from_json(row[0]) if row else None

    def records(self) -> Iterator[dict]:
        """Every stored record, in document date order."""
        for row in self._rows(
                "SELECT r.record_json FROM records r JOIN documents d ON d.id = r.document_id "
                "ORDER BY d.date, d.number, d.id"):
            yield _record_from_json(row[0])

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


    # ------------------------------------------------------------------------------ filters
    def stored_values(self, column: str) -> list[str]:
        """The distinct stored values of a document column a filter folds (``province``,
        ``doc_type``)."""
        if column not in ("province", "doc_type"):
            raise ValueError(f"not a folded filter column: {column}")
        return [r[0] for r in self._rows(
            f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL")]

    def agency_spellings(self) -> list[tuple[str, str]]:
        """(agency id, folded name) for every spelling of every agency of a task or duty."""
        pairs = {(r[0], r[1] or "") for r in self._rows(
            "SELECT DISTINCT agency_id, name_folded FROM task_agencies")}
        pairs |= {(r[0], fold(r[1])) for r in self._rows(
            "SELECT DISTINCT agency_id, agency FROM duties WHERE agency_id IS NOT NULL")}
        return sorted(pairs)

    def agency_ids(self, agency: str) -> list[str]:
        """The agency ids ``agency`` names (:func:`matching_agency_ids` over the store)."""
        return matching_agency_ids(self.agency_spellings(), agency)

    def document_conditions(self, *, province: str | None = None, doc_type: str | None = None,
                            year: int | None = None, cites: str | None = None,
                            agency: str | None = None, agency_roles=AGENCY_ROLES,
                            alias: str = "d", values=None, agency_ids: list[str] | None = None
                            ) -> tuple[list[str], list[Any]]:
        """SQL conditions (ANDed) on the ``documents`` table, aliased ``alias``, and their
        parameters: the one filter builder of ``vanban query``/``export`` and the web view.

        - ``province``, ``doc_type``: equal once folded (diacritics, case, spacing ignored):
          "dong thap" is Đồng Tháp, "nam" is not Hà Nam.
        - ``year``: the document's year. ``cites``: documents citing that number in their
          legal bases or references (spacing, case and diacritics of the number ignored).
        - ``agency``: documents where an agency it names (:func:`matching_agency_ids`) has one
          of ``agency_roles`` (default: lead or partner of a task, or a duty; the web's
          "Lead agency" facet filters on ``("lead",)``).

        ``values(column)`` and ``agency_ids`` let a caller that caches store facts (the web
        view) pass them; by default they are read from the store."""
        where: list[str] = []
        params: list[Any] = []
        values = values or self.stored_values
        for column, wanted in (("province", province), ("doc_type", doc_type)):
            if wanted:
                found = same_folded(values(column), wanted)
                where.append(f"{alias}.{column} IN ({_marks(found)})" if found else "0")
                params += found
        if year is not None:
            where.append(f"{alias}.year = ?")
            params.append(int(year))
        if cites:
            key = fold_key(cites)
            where.append(f"{alias}.id IN (SELECT document_id FROM legal_bases WHERE "
                         "number_key = ? UNION SELECT document_id FROM \"references\" WHERE "
                         "number_key = ?)")
            params += [key, key]
        if agency:
            ids = self.agency_ids(agency) if agency_ids is None else agency_ids
            parts, part_params = [], []
            task_roles = [r for r in agency_roles if r in ("lead", "partner")]
            if ids and task_roles:
                parts.append(f"SELECT document_id FROM task_agencies WHERE role IN "
                             f"({_marks(task_roles)}) AND agency_id IN ({_marks(ids)})")
                part_params += [*task_roles, *ids]
            if ids and "duty" in agency_roles:
                parts.append(f"SELECT document_id FROM duties WHERE agency_id IN ({_marks(ids)})")
                part_params += ids
            where.append(f"{alias}.id IN ({' UNION '.join(parts)})" if parts else "0")
            params += part_params
        return where, params

    def task_agency_condition(self, agency_ids: list[str], alias: str = "k",
                              roles=("lead", "partner")) -> tuple[str, list[Any]]:
        """SQL on the ``tasks`` table (aliased ``alias``): tasks where one of these agencies
        has one of ``roles``."""
        if not agency_ids or not roles:
            return "0", []
        return (f"({alias}.document_id, {alias}.seq) IN (SELECT document_id, task_seq FROM "
                f"task_agencies WHERE role IN ({_marks(list(roles))}) AND agency_id IN "
                f"({_marks(agency_ids)}))", [*roles, *agency_ids])

    def query(self, kind: str = "document", *, agency: str | None = None,
              year: int | None = None, province: str | None = None,
              doc_type: str | None = None, cites: str | None = None,
              document_id: str | None = None, limit: int | None = None) -> list[dict]:
        """Rows of one kind (see :data:`COLUMNS`), filtered; every filter is optional.

        - ``agency``: tasks where an agency it names leads or partners; duties of such an
          agency; for other kinds, documents where it leads or partners a task or has a duty.
          An agency text names every agency one of whose spellings contains it (diacritics
          and case ignored) and the agency ids it is a key of (:func:`matching_agency_ids`).
        - ``year``: the target's due year for ``target`` rows, else the document's year.
        - ``province``, ``doc_type``: the document's, equal once folded ("dong thap").
        - ``cites``: documents citing that number (``208/QĐ-TTg``) in their legal bases or
          references.
        The conditions on documents are :meth:`document_conditions`, shared with the web view.
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
            if year is not None and kind == "target":
                where.append("t.year = ?")
                params.append(int(year))
            ids = self.agency_ids(agency) if agency else None
            conditions, condition_params = self.document_conditions(
                province=province, doc_type=doc_type, cites=cites,
                year=year if kind != "target" else None,
                agency=agency if kind not in ("task", "duty") else None, agency_ids=ids)
            where += conditions
            params += condition_params
            if agency and kind == "task":
                sql, p = self.task_agency_condition(ids)
                where.append(sql)
                params += p
            elif agency and kind == "duty":
                where.append(f"u.agency_id IN ({_marks(ids)})" if ids else "0")
                params += ids
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
               guard_formulas: bool = False, **filters: Any) -> int | str:
        """Write records or flat rows; returns the number written (or the text without ``out``).

        ``fmt="jsonl"`` without ``kind``: one whole plan record per document per line.
        ``fmt="jsonl"`` with ``kind``: one flat row (the :data:`COLUMNS` of that kind) per line.
        ``fmt="csv"``: a header line and the flat rows of ``kind`` (default ``document``).
        ``filters`` are those of :meth:`query`. ``guard_formulas``: CSV cells a spreadsheet
        would run as a formula get a leading ``'`` (:func:`spreadsheet_safe`; off by default:
        a program gets the values as stored; the CLI turns it on, ``--raw-cells`` off); JSON
        lines are never changed.
        """
        if fmt not in ("jsonl", "csv"):
            raise ValueError(f"unknown export format {fmt!r}")
        buffer = None
        if out is None:
            out = buffer = io.StringIO()
        with self._snapshot() as held:
            if held:
                count = self._export(fmt, kind, out, filters, held=True,
                                     guard_formulas=guard_formulas)
            else:
                # No snapshot: stream rows into a local spool first, so that no statement
                # stays open (a lock held) while a slow reader of ``out`` takes the lines.
                with tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+",
                                                   encoding="utf-8", errors="surrogatepass",
                                                   newline="") as spool:
                    count = self._export(fmt, kind, spool, filters, held=False,
                                         guard_formulas=guard_formulas)
                    spool.seek(0)
                    shutil.copyfileobj(spool, out)
        return buffer.getvalue() if buffer is not None else count

    @contextmanager
    def _snapshot(self) -> Iterator[bool]:
        """One read transaction around several reads, in WAL mode only (as while a batch
        runs): they all see the store as it was at the first, and a batch writing meanwhile
        is not blocked. Yields whether the snapshot is held. In rollback-journal mode (no
        batch running) a read transaction would hold a shared lock the whole time and keep
        a batch from opening the store (its switch to WAL needs the file alone): there each
        read is a statement of its own, and the caller skips what vanished meanwhile."""
        if self.conn.in_transaction:
            yield True
            return
        try:
            mode = str(self.conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        except sqlite3.Error:
            mode = ""
        if mode != "wal":
            yield False
            return
        self.conn.execute("BEGIN")
        try:
            yield True
        finally:
            try:
                self.conn.execute("ROLLBACK")  # nothing was written: ends the read
            except sqlite3.Error:
                pass

    def _record_ids(self) -> list[str]:
        """Every stored record's document id, in the order of :meth:`records`."""
        return [r[0] for r in self._rows(
            "SELECT d.id FROM records r JOIN documents d ON d.id = r.document_id "
            "ORDER BY d.date, d.number, d.id")]

    def _export(self, fmt: str, kind: str | None, out: IO[str], filters: dict, *,
                held: bool, guard_formulas: bool = False) -> int:
        count = 0
        if fmt == "jsonl" and kind is None:
            ids = None
            if filters and any(v is not None for v in filters.values()):
                ids = [r["document_id"] for r in self.iter_rows("document", **filters)]
            elif not held:
                ids = self._record_ids()
            source = (self.record(i) for i in ids) if ids is not None else self.records()
            for rec in source:
                if rec is None:  # removed after it was listed (no snapshot held)
                    continue
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
                writer.writerow(spreadsheet_safe_row(row) if guard_formulas else row)
                count += 1
        return count
