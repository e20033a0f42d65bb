"""What the web view reads from a corpus database: facets, filtered lists, search with facets,
documents with their item boxes, citation links. Read-only; one :class:`Store` per thread.

The SQL here runs over the store's documented tables (docs/corpus.md, :mod:`vanban.corpus.store.schema`);
search and whole records go through :class:`vanban.corpus.Store` itself.
"""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import Store, fold, fold_key
from ..corpus.store import COLUMNS
from ..corpus.store.query import matching_agency_ids, spaced_fold
from ..errors import StoreError, VanbanError

#: Facets of documents and hits, in the order shown: URL parameter -> label.
FACETS = {"province": "Province", "year": "Year", "kind": "Kind", "agency": "Lead agency"}
#: Hits :meth:`CorpusView.search` ranks before facets are counted and filters applied.
SEARCH_POOL = 120
#: Most rows one API call returns.
MAX_LIMIT = 1000

_SNIPPET_MARK = ("\x02", "\x03")
_MEMO_LOCK = threading.Lock()


class BadParameter(ValueError):
    """A request parameter the view cannot use (answered with HTTP 400 and this message)."""


@dataclass
class Filters:
    """Facet filters of a list, search or API call; every one optional."""
    province: str | None = None
    year: int | None = None
    kind: str | None = None      # the document kind (doc_type): Kế hoạch, Quyết định, ...
    agency: str | None = None    # a name (diacritics optional) or a normalised agency id

    def active(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def parse_year(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    if not re.fullmatch(r"\s*\d{4}\s*", value):
        raise BadParameter(f"year must be a four-digit year, not {value!r}")
    return int(value)


def parse_int(name: str, value: str | None, default: int, lo: int, hi: int) -> int:
    if value is None or value.strip() == "":
        return default
    if not re.fullmatch(r"\s*\d+\s*", value):
        raise BadParameter(f"{name} must be a whole number, not {value!r}")
    number = int(value)
    if not lo <= number <= hi:
        raise BadParameter(f"{name} must be between {lo} and {hi}, not {number}")
    return number


def _split(joined: str | None) -> list[str]:
    return [p for p in (joined or "").split("; ") if p]


def _highlight(snippet: str) -> str:
    """A store snippet with \\x02..\\x03 marks as safe HTML with <mark> elements."""
    out = html.escape(snippet)
    return out.replace(_SNIPPET_MARK[0], "<mark>").replace(_SNIPPET_MARK[1], "</mark>")


# ------------------------------------------------------------------------------- item boxes
def _boxes(refs: Any) -> list[list[int]]:
    """[[page, x0, y0, x1, y1], ...] from provenance LineRef dicts that carry a box."""
    out = []
    for ref in refs or []:
        if isinstance(ref, dict) and ref.get("bbox") and ref.get("page"):
            box = ref["bbox"]
            if isinstance(box, (list, tuple)) and len(box) == 4:
                out.append([int(ref["page"]), *(int(v) for v in box)])
    return out


@dataclass
class Item:
    """One item of a record as the document page shows it."""
    anchor: str            # HTML id and ``?item=`` value: task-3, objective-2, purpose-1, ...
    kind: str
    text: str
    boxes: list[list[int]] = field(default_factory=list)
    data: dict = field(default_factory=dict)   # the record's own fields for this item

    @property
    def boxes_json(self) -> str:
        return json.dumps(self.boxes)


def record_items(record: dict) -> dict[str, list[Item]]:
    """The record's items by group, each with its anchor and page boxes."""
    doc = record.get("document") or {}
    prov = record.get("item_provenance") or {}
    groups: dict[str, list[Item]] = {}
    header_boxes = _boxes(doc.get("header_provenance")) + _boxes(doc.get("title_provenance"))
    groups["header"] = [Item("header", "header", doc.get("title") or "", header_boxes)]
    for key in ("purposes", "requirements", "implementation"):
        kind = key.rstrip("s") if key != "implementation" else key
        refs = prov.get(key) or []
        groups[key] = [Item(f"{kind}-{i}", kind, text, _boxes(refs[i - 1] if i - 1 < len(refs)
                                                              else []))
                       for i, text in enumerate(record.get(key) or [], start=1)
                       if isinstance(text, str)]
    groups["objectives"] = [
        Item(f"objective-{i}", "objective", o.get("text") or "", _boxes(o.get("provenance")), o)
        for i, o in enumerate(record.get("objectives") or [], start=1)]
    groups["tasks"] = [
        Item(f"task-{i}", "task", t.get("text") or t.get("title") or "",
             _boxes(t.get("provenance")), t)
        for i, t in enumerate(record.get("tasks") or [], start=1)]
    groups["references"] = [
        Item(f"reference-{i}", "reference", r.get("text") or r.get("number") or "",
             _boxes(r.get("provenance")), r)
        for i, r in enumerate(record.get("references") or [], start=1)]
    groups["duties"] = [
        Item(f"duty-{i}", "duty", d.get("text") or "", _boxes(d.get("provenance")), d)
        for i, d in enumerate(record.get("duties") or [], start=1)]
    groups["sections"] = [
        Item(f"section-{s.get('path')}", "section", s.get("heading") or "",
             _boxes(s.get("provenance")), s)
        for s in record.get("sections") or []]
    return groups


def line_boxes(record: dict) -> dict[tuple[int, int], list[int]]:
    """(page, line) -> [page, x0, y0, x1, y1] for every line any item of the record came from."""
    out: dict[tuple[int, int], list[int]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "page" in value and "line" in value and value.get("bbox"):
                boxes = _boxes([value])
                if boxes:
                    out.setdefault((int(value["page"]), int(value["line"])), boxes[0])
                return
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(record)
    return out


# ------------------------------------------------------------------------------------ view
class CorpusView:
    """Read-only access to one corpus database for the web pages and the JSON API."""

    def __init__(self, db: str | Path):
        self.db = Path(db)
        self._local = threading.local()
        _ = self.store  # open once now so that a bad path fails at start, not on the first request

    @property
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db, readonly=True)  # SQLite mode=ro
            store.conn.execute("PRAGMA query_only = ON")  # and no statement may write
        return store

    def _read(self, sql: str, params: list[Any] | tuple = ()) -> list:
        """Rows of a read, through the store (a damaged file is its StoreError, one line)."""
        return self.store.select(sql, params)

    def _first(self, sql: str, params: list[Any] | tuple = ()):
        rows = self._read(sql, params)
        return rows[0] if rows else None

    def _rows(self, sql: str, params: list[Any] | tuple = ()) -> list[dict]:
        return [dict(r) for r in self._read(sql, params)]

    # ------------------------------------------------------------------ cached store facts
    _cache_by_db: dict[tuple[str, str], tuple[Any, Any]] = {}
    #: Per database: bumped whenever one of the view's connections sees the file changed.
    _generation_by_db: dict[str, int] = {}

    def begin_request(self) -> None:
        """A new request on this thread: the store's freshness is looked at again (once)."""
        self._local.in_request = True
        self._local.generation = None

    def _generation(self) -> int:
        """A number that changes whenever the store has changed (a batch may be adding
        documents while the view serves). ``PRAGMA data_version`` of this thread's connection
        moves when another connection commits; a connection seen for the first time counts as
        a change too (it cannot tell what happened before it opened). Looked at once per
        request (:meth:`begin_request`), else on every call."""
        local = self._local
        if getattr(local, "generation", None) is not None:
            return local.generation
        data_version = self._first("PRAGMA data_version")[0]
        key = str(self.db)
        with _MEMO_LOCK:
            if getattr(local, "data_version", None) != data_version:
                local.data_version = data_version
                CorpusView._generation_by_db[key] = CorpusView._generation_by_db.get(key, 0) + 1
            generation = CorpusView._generation_by_db[key]
        if getattr(local, "in_request", False):
            local.generation = generation
        return generation

    def _cached(self, name: str, compute) -> Any:
        """``compute()``, kept until the store changes (:meth:`_generation`)."""
        version = self._generation()
        key = (str(self.db), name)
        cached = CorpusView._cache_by_db.get(key)
        if cached is None or cached[0] != version:
            cached = CorpusView._cache_by_db[key] = (version, compute())
        return cached[1]

    def _agency_spellings(self) -> list[tuple[str, str]]:
        """(agency id, folded name) for every spelling of every agency in the store."""
        return self._cached("spellings", self.store.agency_spellings)

    def _stored_values(self, column: str) -> list[str]:
        """The stored spellings of a document column (province, doc_type), cached."""
        return self._cached(f"values:{column}", lambda: self.store.stored_values(column))

    def _documents_where(self, f: Filters, alias: str = "d") -> tuple[list[str], list[Any]]:
        """SQL conditions on the documents table (aliased ``alias``) for the filters: the
        store's one filter builder (:meth:`Store.document_conditions`, as `vanban query`),
        with the agency as the "Lead agency" facet counts it (lead of a task)."""
        return self.store.document_conditions(
            province=f.province, doc_type=f.kind, year=f.year, agency=f.agency,
            agency_roles=("lead",), alias=alias, values=self._stored_values,
            agency_ids=self.agency_ids(f.agency) if f.agency else None)

    def agency_ids(self, agency: str) -> list[str]:
        """The normalised agency ids a user's agency text names: every agency one of whose
        spellings contains it (diacritics and case ignored), and the ids it is a key of."""
        return matching_agency_ids(self._agency_spellings(), agency)

    # ------------------------------------------------------------------ overview and facets
    def overview(self) -> dict:
        """Counts for the front page (kept until the store changes)."""
        return self._cached("overview", self._overview)

    def _overview(self) -> dict:
        one = self._first(
            "SELECT (SELECT count(*) FROM documents) AS documents, "
            "(SELECT count(*) FROM objectives) AS objectives, "
            "(SELECT count(*) FROM targets) AS targets, (SELECT count(*) FROM tasks) AS tasks, "
            "(SELECT count(*) FROM errors) AS errors")
        counts = dict(one)
        by = {}
        for name, column in (("province", "province"), ("year", "year"), ("kind", "doc_type")):
            by[name] = self._rows(
                f"SELECT {column} AS value, count(*) AS documents, sum(n_objectives) AS objectives,"
                f" sum(n_targets) AS targets, sum(n_tasks) AS tasks FROM documents "
                f"GROUP BY {column} ORDER BY " + ("value DESC" if name == "year" else
                                                   "documents DESC, value"))
        return {"counts": counts, "by": by}

    def agency_names(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = self._read(
            "SELECT id, name FROM agencies WHERE id IN (" + ", ".join("?" * len(ids)) + ")", ids)
        return {r["id"]: r["name"] for r in rows}

    def document_facets(self, f: Filters) -> dict[str, list[dict]]:
        """Facet values and their document counts under the other active filters (kept for
        the most recent filter combinations until the store changes)."""
        key = json.dumps(f.active(), sort_keys=True, ensure_ascii=False)
        memo = self._cached("facets", dict)
        found = memo.get(key)
        if found is None:
            found = self._document_facets(f)
            with _MEMO_LOCK:  # requests run on a thread pool
                while len(memo) >= 256:
                    memo.pop(next(iter(memo)))
                memo[key] = found
        return found

    def _document_facets(self, f: Filters) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for facet in FACETS:
            others = Filters(**{**f.__dict__, facet: None})
            where, params = self._documents_where(others)
            cond = (" WHERE " + " AND ".join(where)) if where else ""
            if facet == "agency":
                rows = self._rows(
                    "SELECT a.agency_id AS value, count(DISTINCT a.document_id) AS n "
                    "FROM task_agencies a WHERE a.role = 'lead'"
                    + (f" AND a.document_id IN (SELECT d.id FROM documents d{cond})"
                       if where else "")
                    + " GROUP BY a.agency_id ORDER BY n DESC, value LIMIT 30", params)
                names = self.agency_names([r["value"] for r in rows])
                for r in rows:
                    r["label"] = names.get(r["value"], r["value"])
            else:
                column = {"province": "province", "year": "year", "kind": "doc_type"}[facet]
                rows = self._rows(
                    f"SELECT d.{column} AS value, count(*) AS n FROM documents d{cond} "
                    f"GROUP BY d.{column} ORDER BY "
                    + ("value DESC" if facet == "year" else "n DESC, value") + " LIMIT 60",
                    params)
                for r in rows:
                    r["label"] = r["value"]
            out[facet] = [r for r in rows if r["value"] is not None]
        return out

    # ---------------------------------------------------------------------------- listings
    def _rows_by_keys(self, select: str, doc_column: str, page: list[tuple]) -> list[dict]:
        """Rows of ``select`` for ``page``'s keys ((document_id,) or (document_id, seq)), in
        ``page`` order. Selected by document id (an index search) and sorted out here: SQLite
        does not search an index for a row-value IN list."""
        if not page:
            return []
        doc_ids = sorted({key[0] for key in page})
        rows = self._rows(f"{select} WHERE {doc_column} IN ({', '.join('?' * len(doc_ids))})",
                          doc_ids)
        width = len(page[0])
        by_key = {tuple(r[k] for k in ("document_id", "seq")[:width]): r for r in rows}
        return [by_key[key] for key in page if key in by_key]

    def _documents_in_order(self) -> list[str]:
        """Every document id, newest document first (the order of every list)."""
        return self._cached("order", lambda: [r[0] for r in self._read(
            "SELECT id FROM documents ORDER BY date DESC, number, id")])

    def _item_page(self, table: str, doc_where: list[str], doc_params: list[Any],
                   keys_sql: str | None, keys_params: list[Any], limit: int,
                   offset: int) -> tuple[list[tuple], int]:
        """Keys (document_id, seq) of one page of ``table``'s rows (tasks, objectives) under
        the filters, newest document first, and the total. ``keys_sql`` selects the
        (document_id, seq) pairs an item-level filter lets through (None: every row).

        Sorting every row of a large store by its document's date costs a lookup per row; the
        page is collected instead by walking the documents in date order until it is full."""
        allowed = None
        if doc_where:
            allowed = {r[0] for r in self._read(
                "SELECT d.id FROM documents d WHERE " + " AND ".join(doc_where), doc_params)}
        order = self._documents_in_order()
        want = offset + limit
        keys: list[tuple] = []
        if keys_sql is not None:
            seqs: dict[str, set[int]] = {}
            for doc_id, seq in self._read(keys_sql, keys_params):
                if allowed is None or doc_id in allowed:
                    seqs.setdefault(doc_id, set()).add(seq)  # (a task names an agency twice)
            total = sum(map(len, seqs.values()))
            for doc_id in order:
                if len(keys) >= want:
                    break
                keys += [(doc_id, seq) for seq in sorted(seqs.get(doc_id, ()))]
            return keys[offset:want], total
        if allowed is None:
            total = self._first(f"SELECT count(*) FROM {table}")[0]
        else:
            total = self._first(
                f"SELECT count(*) FROM {table} WHERE document_id IN (SELECT d.id FROM "
                "documents d WHERE " + " AND ".join(doc_where) + ")", doc_params)[0]
            order = [d for d in order if d in allowed]
        start, chunk = 0, 64
        while len(keys) < min(want, total) and start < len(order):
            ids = order[start:start + chunk]
            rank = {d: i for i, d in enumerate(ids)}
            found = self._read(
                f"SELECT document_id, seq FROM {table} WHERE document_id "
                f"IN ({', '.join('?' * len(ids))})", ids)
            keys += sorted((tuple(r) for r in found), key=lambda k: (rank[k[0]], k[1]))
            start += chunk
            chunk = min(chunk * 2, 900)
        return keys[offset:want], total

    def documents(self, f: Filters, limit: int = 200, offset: int = 0) -> tuple[list[dict], int]:
        """Document rows (the store's ``document`` columns) under the filters, and their total."""
        where, params = self._documents_where(f)
        order = self._documents_in_order()
        if where:
            allowed = {r[0] for r in self._read(
                "SELECT d.id FROM documents d WHERE " + " AND ".join(where), params)}
            order = [d for d in order if d in allowed]
        total = len(order)
        page = [(d,) for d in order[offset:offset + limit]]
        rows = self._rows_by_keys("SELECT d.id AS document_id, d.* FROM documents d", "d.id",
                                  page)
        return [{c: r.get(c) for c in COLUMNS["document"]} for r in rows], total

    def tasks(self, f: Filters, limit: int = 100, offset: int = 0,
              document_id: str | None = None) -> tuple[list[dict], int]:
        """Task rows in the record's field names (lists for lead, partners and their ids)."""
        where, params = self._documents_where(Filters(province=f.province, year=f.year,
                                                      kind=f.kind))
        if document_id:
            where.append("d.id = ?")
            params.append(document_id)
        keys_sql, keys_params = None, []
        if f.agency:
            sql, keys_params = self.store.task_agency_condition(self.agency_ids(f.agency))
            keys_sql = f"SELECT k.document_id, k.seq FROM tasks k WHERE {sql}"
        page, total = self._item_page("tasks", where, params, keys_sql, keys_params, limit,
                                      offset)
        rows = self._rows_by_keys(
            "SELECT k.*, d.number AS document_number, d.province, d.year AS document_year, "
            "(SELECT json_group_array(agency_id) FROM (SELECT agency_id FROM task_agencies a "
            " WHERE a.document_id = k.document_id AND a.task_seq = k.seq AND a.role = 'lead' "
            " ORDER BY a.seq)) AS lead_ids_json, "
            "(SELECT json_group_array(agency_id) FROM (SELECT agency_id FROM task_agencies a "
            " WHERE a.document_id = k.document_id AND a.task_seq = k.seq AND a.role = 'partner' "
            " ORDER BY a.seq)) AS partner_ids_json "
            "FROM tasks k JOIN documents d ON d.id = k.document_id",
            "k.document_id", page)
        out = []
        for r in rows:
            out.append({
                "document_id": r["document_id"], "document_number": r["document_number"],
                "province": r["province"], "document_year": r["document_year"],
                "seq": r["seq"], "path": r["path"], "title": r["title"], "text": r["text"],
                "lead": _split(r["lead"]), "partners": _split(r["partners"]),
                "lead_ids": json.loads(r["lead_ids_json"] or "[]"),
                "partner_ids": json.loads(r["partner_ids_json"] or "[]"),
                "timeframe": r["timeframe"],
                "url": f"/documents/{r['document_id']}?item=task-{r['seq']}#task-{r['seq']}"})
        return out, total

    def objectives(self, f: Filters, limit: int = 100, offset: int = 0,
                   target_year: int | None = None) -> tuple[list[dict], int]:
        """Objective rows in the record's field names, each with its targets."""
        where, params = self._documents_where(f)
        keys_sql, keys_params = None, []
        if target_year is not None:
            keys_sql = "SELECT document_id, objective_seq FROM targets WHERE year = ?"
            keys_params = [target_year]
        page, total = self._item_page("objectives", where, params, keys_sql, keys_params,
                                      limit, offset)
        rows = self._rows_by_keys(
            "SELECT o.*, d.number AS document_number, d.province, d.year AS document_year, "
            "(SELECT json_group_array(json_object('value', t.value, 'unit', t.unit, "
            " 'year', t.year, 'text', t.text)) FROM (SELECT * FROM targets t WHERE "
            " t.document_id = o.document_id AND t.objective_seq = o.seq ORDER BY t.seq) t) "
            " AS targets_json "
            "FROM objectives o JOIN documents d ON d.id = o.document_id",
            "o.document_id", page)
        return [{"document_id": r["document_id"], "document_number": r["document_number"],
                 "province": r["province"], "document_year": r["document_year"],
                 "seq": r["seq"], "scope": r["scope"], "group": r["group_heading"],
                 "text": r["text"], "targets": json.loads(r["targets_json"] or "[]"),
                 "url": f"/documents/{r['document_id']}?item=objective-{r['seq']}"
                        f"#objective-{r['seq']}"}
                for r in rows], total

    # ------------------------------------------------------------------------------ search
    def search(self, q: str, f: Filters, limit: int = 50) -> dict:
        """Ranked hits for ``q`` (the store's folded FTS) with facets counted over the best
        :data:`SEARCH_POOL` hits, the filters applied, and a link to each hit's item."""
        try:
            hits = self.store.search(q, limit=SEARCH_POOL, mark=_SNIPPET_MARK)
        except VanbanError as err:
            # a query FTS5 cannot parse, or one over the store's size bounds: the asker's to
            # fix; a database that cannot be read is not
            if isinstance(err, StoreError) and not err.message.startswith("bad search query"):
                raise
            raise BadParameter(err.message) from None
        doc_ids = sorted({h["document_id"] for h in hits})
        by_kind: dict[str, set[str]] = {}
        for h in hits:
            by_kind.setdefault(h["kind"], set()).add(h["document_id"])
        docs, leads_by_doc, task_leads, anchors = self._hit_context(doc_ids, by_kind)
        for h in hits:
            d = docs.get(h["document_id"], {})
            h["province"], h["year"], h["doc_kind"] = d.get("province"), d.get("year"), \
                d.get("doc_type")
            anchor, seq = self._anchor(h, anchors.get(h["document_id"], {}))
            h["anchor"] = anchor
            h["item_kind"] = anchor.split("-")[0] if anchor else h["kind"]
            h["lead_agency_ids"] = (task_leads.get((h["document_id"], seq), set())
                             if h["item_kind"] == "task"
                             else leads_by_doc.get(h["document_id"], set()))
            h["url"] = f"/documents/{h['document_id']}" + (
                f"?item={anchor}#{anchor}" if anchor else "")
            h["snippet_html"] = _highlight(h["snippet"])
            h["snippet"] = h["snippet"].replace(_SNIPPET_MARK[0], "[").replace(
                _SNIPPET_MARK[1], "]")
        agency_ids = set(self.agency_ids(f.agency)) if f.agency else None

        def keep(h: dict, skip: str | None = None) -> bool:
            # spaced_fold: the same comparison as Store.document_conditions (/documents)
            if skip != "province" and f.province and \
                    spaced_fold(h["province"]) != spaced_fold(f.province):
                return False
            if skip != "year" and f.year is not None and h["year"] != f.year:
                return False
            if skip != "kind" and f.kind and spaced_fold(h["doc_kind"]) != spaced_fold(f.kind):
                return False
            if skip != "agency" and agency_ids is not None and \
                    not h["lead_agency_ids"] & agency_ids:
                return False
            return True

        facets: dict[str, list[dict]] = {}
        for facet, key in (("province", "province"), ("year", "year"), ("kind", "doc_kind")):
            counts: dict[Any, int] = {}
            for h in hits:
                if keep(h, facet) and h[key] is not None:
                    counts[h[key]] = counts.get(h[key], 0) + 1
            facets[facet] = [{"value": v, "label": v, "n": n} for v, n in
                             sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]
        counts = {}
        for h in hits:
            if keep(h, "agency"):
                for a in h["lead_agency_ids"]:
                    counts[a] = counts.get(a, 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
        names = self.agency_names([a for a, _ in top])
        facets["agency"] = [{"value": a, "label": names.get(a, a), "n": n} for a, n in top]
        kept = [h for h in hits if keep(h)]
        shown = kept[:limit]
        sections = [h for h in shown if h["kind"] == "section" and h["item_kind"] == "section"]
        text_anchors = self._text_anchors(sorted({h["document_id"] for h in sections}))
        for h in sections:
            anchor, _ = self._anchor(h, text_anchors.get(h["document_id"], {}))
            h["anchor"], h["item_kind"] = anchor, anchor.split("-")[0]
            h["url"] = f"/documents/{h['document_id']}?item={anchor}#{anchor}"
        for h in shown:
            h["lead_agency_ids"] = sorted(h["lead_agency_ids"])
        return {"q": q, "total": len(kept), "pool": len(hits), "pool_max": SEARCH_POOL,
                "hits": shown, "facets": facets}

    def _hit_context(self, doc_ids: list[str], by_kind: dict[str, set[str]]):
        docs: dict[str, dict] = {}
        leads_by_doc: dict[str, set] = {}
        task_leads: dict[tuple[str, int], set] = {}
        anchors: dict[str, dict] = {}
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._read(
                    f"SELECT id, province, year, doc_type FROM documents WHERE id IN ({marks})",
                    chunk):
                docs[r["id"]] = dict(r)
            for doc_id, task_seq, agency_id in self._read(
                    "SELECT document_id, task_seq, agency_id FROM task_agencies "
                    f"WHERE role = 'lead' AND document_id IN ({marks})", chunk):
                leads_by_doc.setdefault(doc_id, set()).add(agency_id)
                task_leads.setdefault((doc_id, task_seq), set()).add(agency_id)
        # item seqs of the hits that name their item by path, agency or number
        for table, key, kind in (("tasks", "path", "task"), ("duties", "agency", "duty"),
                                 ('"references"', "number", "reference")):
            ids = sorted(by_kind.get(kind, set()) | (by_kind.get("section", set())
                                                      if kind == "task" else set()))
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for r in self._read(
                        f"SELECT document_id, seq, {key} AS k FROM {table} WHERE document_id IN "
                        f"({', '.join('?' * len(chunk))}) ORDER BY seq", chunk):
                    anchors.setdefault(r[0], {}).setdefault((kind, r[2]), r[1])
        return docs, leads_by_doc, task_leads, anchors

    def _text_anchors(self, doc_ids: list[str]) -> dict[str, dict]:
        """A section heading that is also an item (a numbered objective or task is both) is
        shown as that item: folded item text -> (anchor, seq), per document."""
        anchors: dict[str, dict] = {}
        if not doc_ids:
            return anchors
        marks = ", ".join("?" * len(doc_ids))
        for sql in ("SELECT document_id, 'objective' AS kind, seq, text FROM objectives WHERE",
                    "SELECT document_id, 'task' AS kind, seq, title AS text FROM tasks WHERE",
                    "SELECT document_id, 'task' AS kind, seq, text FROM tasks WHERE",
                    "SELECT document_id, kind, seq, text FROM items WHERE kind != 'recipient' AND"):
            for r in self._read(f"{sql} document_id IN ({marks})", doc_ids):
                key = " ".join(fold(r["text"]).split())
                if key:
                    anchors.setdefault(r["document_id"], {}).setdefault(
                        ("text", key), (f"{r['kind']}-{r['seq']}", r["seq"]))
        return anchors

    @staticmethod
    def _anchor(hit: dict, anchors: dict) -> tuple[str | None, int | None]:
        """The document page's anchor of a search hit's item, and its seq where it has one."""
        kind, ref = hit["kind"], hit["ref"] or ""
        if kind in ("task", "duty", "reference"):
            seq = anchors.get((kind, ref))
            if seq is None and ref.isdigit():
                seq = int(ref)
            return (f"{kind}-{seq}", seq) if seq is not None else (None, None)
        if kind in ("objective", "purpose", "requirement", "implementation") and ref.isdigit():
            return f"{kind}-{ref}", int(ref)
        if kind == "section":
            seq = anchors.get(("task", ref))
            if seq is not None:
                return f"task-{seq}", seq
            same = anchors.get(("text", " ".join(fold(hit["text"]).split())))
            return same if same else (f"section-{ref}", None)
        if kind == "title":
            return "header", None
        m = re.fullmatch(r"p(\d+):(\d+)", ref)
        if kind == "text" and m:
            return f"line-{m.group(1)}-{m.group(2)}", None
        return None, None

    # --------------------------------------------------------------------------- documents
    def document_row(self, document_id: str) -> dict | None:
        rows = self._rows("SELECT d.id AS document_id, d.* FROM documents d WHERE d.id = ?",
                          [document_id])
        return rows[0] if rows else None

    def text(self, document_id: str) -> str | None:
        row = self._first("SELECT text FROM texts WHERE document_id = ?", (document_id,))
        return row[0] if row else None

    def files(self, document_id: str) -> list[str]:
        """Every path the store saw this document's content at (its source first)."""
        row = self._first("SELECT source FROM documents WHERE id = ?", (document_id,))
        paths = [row[0]] if row and row[0] else []
        paths += [r[0] for r in self._read(
            "SELECT path FROM document_files WHERE document_id = ? ORDER BY path",
            (document_id,)) if r[0] not in paths]
        return paths

    def citations(self, document_id: str) -> dict[str, list[dict]]:
        """Corpus documents this one cites (by its legal bases and references) and those that
        cite it (their legal bases or references hold its number)."""
        row = self._first("SELECT number FROM documents WHERE id = ?", (document_id,))
        cites = self._rows(
            "SELECT DISTINCT d.id AS document_id, d.number, d.doc_type, d.title, d.province, "
            "d.year, c.number_key FROM (SELECT number_key FROM legal_bases WHERE document_id = ? "
            "UNION SELECT number_key FROM \"references\" WHERE document_id = ?) c "
            + ("JOIN documents d ON d.number_key = c.number_key "
               if self.store.schema_version is None or self.store.schema_version >= 3 else
               # a store older than version 3 read as it is: every stored number folded
               "JOIN documents d ON replace(vanban_fold(d.number), ' ', '') = c.number_key ") +
            "WHERE d.id != ? ORDER BY d.date", [document_id, document_id, document_id])
        cited_by: list[dict] = []
        key = fold_key(row[0]) if row and row[0] else ""
        if key:
            cited_by = self._rows(
                "SELECT DISTINCT d.id AS document_id, d.number, d.doc_type, d.title, d.province, "
                "d.year FROM documents d WHERE d.id != ? AND d.id IN (SELECT document_id FROM "
                "legal_bases WHERE number_key = ? UNION SELECT document_id FROM \"references\" "
                "WHERE number_key = ?) ORDER BY d.date", [document_id, key, key])
        return {"cites": cites, "cited_by": cited_by}
