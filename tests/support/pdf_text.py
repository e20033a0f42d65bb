"""Born-digital PDF pages for tests: real text objects (an embedded Liberation font, so the
Vietnamese letters are in the text layer) and vector rules, drawn with pdfium."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .synth import font_path


class TextPdf:
    """One page ``width`` x ``height`` pt; coordinates are given from the page's top left."""

    def __init__(self, width: float, height: float):
        self.height = height
        self.pdf = pdfium.PdfDocument.new()
        self.page = self.pdf.new_page(width, height)
        data = Path(font_path()).read_bytes()
        self._font_data = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        self.font = pdfium_c.FPDFText_LoadFont(self.pdf.raw, self._font_data, len(data),
                                               pdfium_c.FPDF_FONT_TRUETYPE, True)
        self._keep: list = []  # the UTF-16 buffers must outlive the text objects

    def text(self, x: float, y: float, size: float, text: str) -> None:
        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.pdf.raw, self.font, size)
        wide = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
        self._keep.append(wide)
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, self.height - y)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, obj)

    def rule(self, xa: float, ya: float, xb: float, yb: float, width: float = 0.75) -> None:
        obj = pdfium_c.FPDFPageObj_CreateNewPath(xa, self.height - ya)
        pdfium_c.FPDFPath_LineTo(obj, xb, self.height - yb)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_NONE, True)
        pdfium_c.FPDFPageObj_SetStrokeWidth(obj, width)
        pdfium_c.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, obj)

    def save(self, path: str | Path) -> None:
        pdfium_c.FPDFPage_GenerateContent(self.page.raw)
        self.pdf.save(str(path))
        self.pdf.close()
