"""Reading the corpus store: whole records, flat rows of one kind with filters, export.

:class:`StoreQuery` is the reading part of :class:`vanban.corpus.Store` (it uses the façade's
``_rows``). :data:`COLUMNS` are the stable output columns of every row kind.
"""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any, Iterator

from ..fold import fold, fold_key

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


_ESCAPE = "ESCAPE '\\'"


def _like_contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"



class StoreQuery:
    """``record``, ``records``, ``errors``, ``stats``, ``query``, ``iter_rows``, ``export``."""

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
