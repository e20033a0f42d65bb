"""Output formats of the ocr stage: plain text, JSON (the data model) and hOCR."""

from __future__ import annotations

import html
import json

from ..model import PAGE_SEPARATOR, Document

FORMATS = ("text", "json", "hocr")


def to_text(docs: list[Document]) -> str:
    """Pages separated by form feed; documents follow each other (also form-feed separated)."""
    return PAGE_SEPARATOR.join(d.text for d in docs)


def to_json(docs: list[Document]) -> str:
    """One document: its ``to_dict``; several: a JSON list of them."""
    data = docs[0].to_dict() if len(docs) == 1 else [d.to_dict() for d in docs]  # [] for none
    return json.dumps(data, ensure_ascii=False, indent=1)


def _bbox(b) -> str:
    return f"bbox {b[0]} {b[1]} {b[2]} {b[3]}" if b else ""


def _title(*parts: str) -> str:
    return html.escape("; ".join(p for p in parts if p), quote=True)


def to_hocr(docs: list[Document]) -> str:
    """hOCR 1.2 (XHTML): ocr_page > ocr_carea > ocr_par > ocr_line > ocrx_word.

    Block roles travel in the custom ``x_role`` property of each ``ocr_carea``; word confidence
    in ``x_wconf``. Stamps (``Page.stamps``) are ``ocr_float`` elements with their kind in
    ``x_stamp`` and their text as content, after the page's text areas. Pages of every document
    follow each other, ``ppageno`` counting from 0.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
           '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi" lang="vi">',
           "<head>", "<title></title>",
           '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
           '<meta name="ocr-system" content="vanban (tesseract)"/>',
           '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_float"/>',
           "</head>", "<body>"]
    pageno = 0
    for d, doc in enumerate(docs, start=1):
        for page in doc.pages:
            size = f"bbox 0 0 {page.width} {page.height}" if page.width else ""
            res = f"scan_res {round(page.dpi)} {round(page.dpi)}" if page.dpi else ""
            image = "image " + json.dumps(doc.source, ensure_ascii=False)
            out.append(f'<div class="ocr_page" id="page_{d}_{page.number}" title="'
                       f'{_title(image, size, f"ppageno {pageno}", res)}">')
            pageno += 1
            for b, block in enumerate(page.blocks, start=1):
                bid = f"{d}_{page.number}_{b}"
                out.append(f' <div class="ocr_carea" id="block_{bid}" '
                           f'title="{_title(_bbox(block.bbox), "x_role " + block.role)}">')
                out.append(f'  <p class="ocr_par" id="par_{bid}" lang="vie" title="{_title(_bbox(block.bbox))}">')
                for li, line in enumerate(block.lines, start=1):
                    lid = f"{bid}_{li}"
                    out.append(f'   <span class="ocr_line" id="line_{lid}" title="{_title(_bbox(line.bbox))}">')
                    for wi, word in enumerate(line.words, start=1):
                        conf = f"x_wconf {round(word.conf)}" if word.conf is not None else ""
                        out.append(f'    <span class="ocrx_word" id="word_{lid}_{wi}" title="'
                                   f'{_title(_bbox(word.bbox), conf)}">{html.escape(word.text)}</span>')
                    out.append("   </span>")
                out.append("  </p>")
                out.append(" </div>")
            for k, stamp in enumerate(page.stamps, start=1):
                # Stamps float outside the text flow: ocr_float, kind in x_stamp.
                out.append(f' <div class="ocr_float" id="stamp_{d}_{page.number}_{k}" title="'
                           f'{_title(_bbox(stamp.bbox), "x_stamp " + stamp.kind)}">'
                           f'{html.escape(stamp.text).replace(chr(10), "<br/>")}</div>')
            out.append("</div>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def render_documents(docs: list[Document], fmt: str = "text") -> str:
    """``docs`` as ``fmt``: "text", "json" or "hocr"."""
    if fmt == "text":
        return to_text(docs)
    if fmt == "json":
        return to_json(docs)
    if fmt == "hocr":
        return to_hocr(docs)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
