"""The data model that flows between vanban's stages.

ocr produces a :class:`Document` (pages -> blocks -> lines -> words, each with text, box and
confidence); normalize rewrites the text of its words/lines in place (keeping the original in
``Word.raw``); extract reads a Document (or plain text wrapped into one by
:meth:`Document.from_text`) and produces a :class:`PlanRecord`; corpus stores PlanRecords.

Everything here is plain data: dataclasses with ``to_dict`` / ``from_dict`` that round-trip
through JSON, so the same objects travel to Dask workers and into SQLite.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterator

#: A box in page pixels: (x0, y0, x1, y1), origin top-left, x1/y1 exclusive.
BBox = tuple[int, int, int, int]

#: Form feed separates pages in plain-text renderings (as Tesseract does).
PAGE_SEPARATOR = "\f"


def file_sha256(path) -> str:
    """Content hash of a file: the key that makes a document the same wherever it lies."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def union_bbox(boxes: list[BBox | None]) -> BBox | None:
    """Smallest box holding every given box (None where there is none)."""
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real),
            max(b[2] for b in real), max(b[3] for b in real))


def _bbox(value: Any) -> BBox | None:
    return tuple(int(v) for v in value) if value is not None else None  # type: ignore[return-value]


@dataclass
class Word:
    text: str
    bbox: BBox | None = None
    #: Recogniser confidence 0-100 (Tesseract's scale); None for text that was not OCRed.
    conf: float | None = None
    #: The text before normalize changed it (None when unchanged).
    raw: str | None = None

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"text": self.text, "bbox": list(self.bbox) if self.bbox else None,
                             "conf": self.conf}
        if self.raw is not None:
            d["raw"] = self.raw
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Word":
        return cls(text=d["text"], bbox=_bbox(d.get("bbox")), conf=d.get("conf"), raw=d.get("raw"))


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)
    bbox: BBox | None = None

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words if w.text)

    @property
    def conf(self) -> float | None:
        confs = [w.conf for w in self.words if w.conf is not None]
        return sum(confs) / len(confs) if confs else None

    def to_dict(self) -> dict:
        return {"text": self.text, "bbox": list(self.bbox) if self.bbox else None,
                "conf": self.conf, "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, d: dict) -> "Line":
        words = [Word.from_dict(w) for w in d.get("words", [])]
        if not words and d.get("text"):
            words = [Word(t) for t in d["text"].split()]
        return cls(words=words, bbox=_bbox(d.get("bbox")))

    @classmethod
    def from_text(cls, text: str) -> "Line":
        return cls(words=[Word(t) for t in text.split()])


#: Block roles that layout analysis may assign. Extraction relies on them only as hints.
BLOCK_ROLES = ("header_left", "header_right", "body", "page_number", "recipients", "signature",
               "table")


@dataclass
class Block:
    lines: list[Line] = field(default_factory=list)
    bbox: BBox | None = None
    role: str = "body"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict:
        return {"role": self.role, "bbox": list(self.bbox) if self.bbox else None,
                "lines": [ln.to_dict() for ln in self.lines]}

    @classmethod
    def from_dict(cls, d: dict) -> "Block":
        return cls(lines=[Line.from_dict(x) for x in d.get("lines", [])],
                   bbox=_bbox(d.get("bbox")), role=d.get("role", "body"))


#: Kinds of stamps the ocr stage reports (``Stamp.kind``).
STAMP_KINDS = ("signature-text", "received", "urgency", "seal")


@dataclass
class Stamp:
    """Something stamped or overlaid on a page that is not the document's own text: a
    digital-signature text box ("Ký bởi: ... Thời gian ký: ..."), a received stamp ("CV ĐẾN
    Số ... Ngày ..."), an urgency stamp ("HỎA TỐC"), a seal. Kept out of the page's text."""
    kind: str
    bbox: BBox | None = None
    text: str = ""
    conf: float | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "bbox": list(self.bbox) if self.bbox else None,
                "text": self.text, "conf": self.conf}

    @classmethod
    def from_dict(cls, d: dict) -> "Stamp":
        return cls(kind=d["kind"], bbox=_bbox(d.get("bbox")), text=d.get("text", ""),
                   conf=d.get("conf"))


@dataclass
class TableCell:
    """One cell of a ruled table: its text (whole, lines joined), box, and grid position."""
    text: str
    bbox: BBox | None = None
    row: int = 0        # 0-based row of its top-left grid cell
    col: int = 0        # 0-based column of its top-left grid cell
    row_span: int = 1
    col_span: int = 1
    conf: float | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "bbox": list(self.bbox) if self.bbox else None, "row": self.row,
                "col": self.col, "row_span": self.row_span, "col_span": self.col_span,
                "conf": self.conf}

    @classmethod
    def from_dict(cls, d: dict) -> "TableCell":
        return cls(text=d.get("text", ""), bbox=_bbox(d.get("bbox")), row=d.get("row", 0),
                   col=d.get("col", 0), row_span=d.get("row_span", 1), col_span=d.get("col_span", 1),
                   conf=d.get("conf"))


@dataclass
class Table:
    """A ruled table found on a page: its cells on a grid of ``n_rows`` x ``n_cols``."""
    cells: list[TableCell] = field(default_factory=list)
    bbox: BBox | None = None
    n_rows: int = 0
    n_cols: int = 0

    @property
    def rows(self) -> list[list[TableCell]]:
        """Cells row by row (a cell spanning rows is listed in its top row), left to right."""
        out: list[list[TableCell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out

    def to_dict(self) -> dict:
        return {"bbox": list(self.bbox) if self.bbox else None, "n_rows": self.n_rows,
                "n_cols": self.n_cols, "cells": [c.to_dict() for c in self.cells]}

    @classmethod
    def from_dict(cls, d: dict) -> "Table":
        return cls(cells=[TableCell.from_dict(c) for c in d.get("cells", [])], bbox=_bbox(d.get("bbox")),
                   n_rows=d.get("n_rows", 0), n_cols=d.get("n_cols", 0))


@dataclass
class Page:
    number: int  # 1-based
    blocks: list[Block] = field(default_factory=list)
    width: int | None = None   # image size in pixels (None for text input)
    height: int | None = None
    dpi: float | None = None
    #: Where the text came from: "ocr", "text-layer" (a trusted PDF text layer) or "text".
    source: str = "ocr"
    #: What preprocessing found and did: {"rotation": 0/90/180/270, "skew_deg": .., "steps": [..]}
    preprocessing: dict = field(default_factory=dict)
    #: Stamps found on the page (kept out of ``blocks``), in page pixels.
    stamps: list[Stamp] = field(default_factory=list)
    #: Ruled tables read cell by cell (their text is also in a "table" block, rows as lines).
    tables: list[Table] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.lines)

    def to_dict(self) -> dict:
        d = {"number": self.number, "width": self.width, "height": self.height, "dpi": self.dpi,
             "source": self.source, "preprocessing": self.preprocessing,
             "blocks": [b.to_dict() for b in self.blocks]}
        if self.stamps:
            d["stamps"] = [s.to_dict() for s in self.stamps]
        if self.tables:
            d["tables"] = [t.to_dict() for t in self.tables]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Page":
        return cls(number=d["number"], blocks=[Block.from_dict(b) for b in d.get("blocks", [])],
                   width=d.get("width"), height=d.get("height"), dpi=d.get("dpi"),
                   source=d.get("source", "ocr"), preprocessing=d.get("preprocessing", {}),
                   stamps=[Stamp.from_dict(x) for x in d.get("stamps", [])],
                   tables=[Table.from_dict(t) for t in d.get("tables", [])])


@dataclass
class LineRef:
    """Where a line of a document sits: page (1-based), line index on the page (1-based), box."""
    page: int
    line: int
    bbox: BBox | None = None

    def to_dict(self) -> dict:
        return {"page": self.page, "line": self.line,
                "bbox": list(self.bbox) if self.bbox else None}


@dataclass
class Document:
    """One input document as it moves through the pipeline."""
    source: str  # path or "-" / "<text>"
    pages: list[Page] = field(default_factory=list)
    sha256: str | None = None
    #: Stage metadata: {"ocr": {...}, "normalize": {...}} (engine, versions, timings, settings).
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Plain text, pages separated by form feed."""
        return PAGE_SEPARATOR.join(p.text for p in self.pages)

    def iter_lines(self) -> Iterator[tuple[LineRef, Line]]:
        """Every line with its reference, in reading order."""
        for page in self.pages:
            for i, line in enumerate(page.lines, start=1):
                yield LineRef(page.number, i, line.bbox), line

    @classmethod
    def from_text(cls, text: str, source: str = "<text>") -> "Document":
        """Wrap plain text (pages split on form feed, one line per line) into a Document."""
        pages = []
        for n, page_text in enumerate(text.split(PAGE_SEPARATOR), start=1):
            lines = [Line.from_text(t) for t in page_text.split("\n")]
            pages.append(Page(number=n, blocks=[Block(lines=lines)], source="text"))
        if len(pages) > 1 and not pages[-1].text.strip():
            pages.pop()  # a trailing form feed ends the last page; it does not start a new one
        return cls(source=source, pages=pages,
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())

    def to_dict(self) -> dict:
        return {"source": self.source, "sha256": self.sha256, "meta": self.meta,
                "pages": [p.to_dict() for p in self.pages]}

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        return cls(source=d["source"], pages=[Page.from_dict(p) for p in d.get("pages", [])],
                   sha256=d.get("sha256"), meta=d.get("meta", {}))


# ---------------------------------------------------------------------------------------------
# Plan records (extract's output, corpus's input). Field names follow
# ../shared/dev/GOLD-FORMAT.md; everything beyond the gold fields is additional.
# ---------------------------------------------------------------------------------------------

#: Bumped whenever the record's JSON shape changes; vanban/schema/plan-record-<v>.json matches.
RECORD_SCHEMA_VERSION = "1.0"


@dataclass
class Target:
    value: float | int
    unit: str
    year: int | None = None
    text: str | None = None  # the phrase the target was read from


@dataclass
class Objective:
    scope: str  # "general" | "specific"
    text: str
    targets: list[Target] = field(default_factory=list)
    group: str | None = None  # the group heading it sits under ("Đối với hệ thống thư viện")
    provenance: list[dict] = field(default_factory=list)  # LineRef dicts


@dataclass
class Task:
    path: str  # "III.2.3"
    title: str
    text: str = ""
    lead: list[str] = field(default_factory=list)        # as written
    partners: list[str] = field(default_factory=list)    # as written
    lead_ids: list[str] = field(default_factory=list)      # normalised agency keys
    partner_ids: list[str] = field(default_factory=list)
    timeframe: str | None = None
    provenance: list[dict] = field(default_factory=list)
    #: What the task delivers (a task table's "Sản phẩm" / "Kết quả" column), when stated.
    product: str | None = None


@dataclass
class Reference:
    """A cited document: "Quyết định số 208/QĐ-TTg ngày 27/01/2014 của Thủ tướng Chính phủ"."""
    number: str | None           # "208/QĐ-TTg"
    kind: str | None = None      # "Quyết định"
    date: str | None = None      # ISO
    issuer: str | None = None    # "Thủ tướng Chính phủ"
    text: str = ""               # the citing sentence
    basis: str | None = None     # "Căn cứ" | "Thực hiện" | "Theo đề nghị" | None (in the body)
    provenance: list[dict] = field(default_factory=list)


@dataclass
class Duty:
    """An implementation duty of one agency ("4. Sở Nội vụ: chủ trì ...")."""
    agency: str
    agency_id: str | None
    text: str
    path: str | None = None
    provenance: list[dict] = field(default_factory=list)


@dataclass
class Section:
    path: str          # "I", "I.1", "I.1.a"
    marker: str        # "I.", "1.", "a)", "-"
    heading: str
    role: str          # purposes|requirements|objectives|tasks|implementation|funding|reporting|other
    level: int
    parent: str | None = None
    provenance: list[dict] = field(default_factory=list)


@dataclass
class PlanRecord:
    id: str
    document: dict = field(default_factory=lambda: {
        "type": None, "number": None, "issuer": None, "place": None, "date": None,
        "title": None, "period": None})
    legal_bases: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    implementation: list[str] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    signature: dict | None = None   # {"title", "name", "authority": "KT. CHỦ TỊCH", "on_behalf": ...}
    recipients: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    #: LineRef dicts for the plain-string item lists: {"purposes": [[ref, ...], ...], ...}
    item_provenance: dict = field(default_factory=dict)
    #: Where the record came from: source path, sha256, pages, stages and their settings.
    provenance: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    schema_version: str = RECORD_SCHEMA_VERSION

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "PlanRecord":
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in d.items() if k in known}
        data["references"] = [Reference(**r) for r in d.get("references", [])]
        data["objectives"] = [
            Objective(**{**o, "targets": [Target(**t) for t in o.get("targets", [])]})
            for o in d.get("objectives", [])]
        data["tasks"] = [Task(**t) for t in d.get("tasks", [])]
        data["duties"] = [Duty(**x) for x in d.get("duties", [])]
        data["sections"] = [Section(**s) for s in d.get("sections", [])]
        return cls(**data)
