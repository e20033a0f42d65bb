"""Searching the corpus store: user queries to FTS5 MATCH expressions over folded text, ranked
hits with snippets.

:class:`StoreSearch` is the searching part of :class:`vanban.corpus.Store` (it uses the
façade's ``conn`` and ``_rows``); :func:`fts_query` is usable on its own.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, Iterable

from ...errors import StoreError, UsageError
from ..fold import fold


class StoreSearch:
    """``search``: full-text search of the store's ``search_index``."""
    conn: sqlite3.Connection

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
            if not _QUERY_FAULT_RE.search(str(err)):  # the disk or the file, not the query
                raise StoreError(f"cannot search the corpus database: {err}",
                                 str(self.path)) from err
            raise StoreError(f"bad search query {expression!r}: {err}") from err
        except sqlite3.DatabaseError:
            return list(self._rows(sql, params))  # says the file is damaged



# ----------------------------------------------------------------------------- FTS helpers
#: What SQLite says of a full-text query it cannot parse; any other error of a search is the
#: file's or the machine's (a disk I/O error when its temporary files cannot be written).
_QUERY_FAULT_RE = re.compile(r"fts5|syntax error|no such column|unterminated|unknown special "
                             r"query|malformed MATCH", re.IGNORECASE)
_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"\w+")


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

