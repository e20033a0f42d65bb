"""Synthetic "scans": render Vietnamese text to page images the way a scanner would see them.

Used by the tests (pages rendered at test time, so nothing outside the repo is needed), by the
bundled sample (``scripts/ocr_make_sample.py``) and by the normalize stage (render corpus text,
OCR it, learn from the errors).

Public API (all images are RGB :class:`PIL.Image.Image`):

- :func:`render_lines` - plain text lines (long ones wrapped) on a white page strip.
- :class:`DirectiveText` + :func:`parse_plan_text` + :func:`compose_pages` - a Decree 30/2020
  style administrative document (two-column header, bold centred kind and title, justified body,
  "Nơi nhận:" list and signature block under a red seal), paginated on A4.
  Each :class:`SynthPage` carries its ground truth lines in the reading order vanban's ocr stage
  produces (page number, header left, header right, body, recipients, signature) and the box of
  every region, so tests can check text and layout.
- :func:`add_red_seal` - a round red seal (ring, text around it, star) printed over the page.
- :func:`degrade` - scanner damage: small rotation, blur, noise, uneven lighting, paper tint,
  JPEG re-compression; seeded and deterministic.
- :func:`save_pdf` - pages into one PDF, each page an embedded JPEG (like a scanner's PDF).
"""

from __future__ import annotations

import io
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: Where Debian puts Liberation Serif (Times New Roman metrics). fonts-liberation2 (2.x) first:
#: the 1.x fonts of the old fonts-liberation package lack most Vietnamese letters (ơ, ư, ộ, ...).
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
_FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
#: A4 in inches.
A4_IN = (8.27, 11.69)
INK = (0, 0, 0)
SEAL_RED = (205, 32, 40)

#: Body lines of a made-up plan, for pages the OCR tests render at test time.
PLAN_BODY_LINES = [
    "Thực hiện Nghị quyết của Hội đồng nhân dân tỉnh về phát triển kinh tế - xã hội năm 2025,",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thực hiện với các nội dung sau:",
    "1. Mục đích: nâng cao hiệu quả quản lý nhà nước, bảo đảm an ninh trật tự trên địa bàn.",
    "2. Yêu cầu: các sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố chủ động",
    "xây dựng kế hoạch cụ thể, phân công nhiệm vụ rõ ràng, báo cáo kết quả trước ngày 15",
    "tháng 12 năm 2025 để tổng hợp, báo cáo Thủ tướng Chính phủ theo quy định.",
    "3. Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan bố trí kinh phí thực hiện;",
    "Sở Nội vụ theo dõi, đôn đốc, kiểm tra việc thực hiện của các địa phương, đơn vị.",
]


def _has_vietnamese(path: Path) -> bool:
    font = ImageFont.truetype(str(path), 40)
    # A font without the glyph draws the same .notdef box for every missing letter.
    return font.getmask("ộ").getbbox() != font.getmask("\uffff").getbbox()


_font_path_cache: dict[str, Path] = {}


def font_path(style: str = "regular") -> Path:
    """Path of a Liberation Serif face with Vietnamese glyphs for ``style``.

    ``style`` is regular, bold, italic or bolditalic. Raises FileNotFoundError when no installed
    Liberation Serif covers Vietnamese (install Debian's ``fonts-liberation2``).
    """
    if style not in _font_path_cache:
        for folder in FONT_DIRS:
            path = folder / _FONT_FILES[style]
            if path.exists() and _has_vietnamese(path):
                _font_path_cache[style] = path
                break
        else:
            raise FileNotFoundError("no Liberation Serif with Vietnamese glyphs: "
                                    "install fonts-liberation2 (apt)")
    return _font_path_cache[style]


_font_cache: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def load_font(pt: float, dpi: int = 300, style: str = "regular") -> ImageFont.FreeTypeFont:
    """Liberation Serif at ``pt`` points for a page rendered at ``dpi``."""
    px = max(6, round(pt * dpi / 72))
    key = (style, px)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(str(font_path(style)), px)
    return _font_cache[key]


def text_width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(text)


def wrap_text(text: str, font: ImageFont.FreeTypeFont, width_px: float,
              first_indent_px: float = 0) -> list[str]:
    """Greedy word wrap of one paragraph into lines no wider than ``width_px``."""
    words = text.split()
    lines: list[str] = []
    current: list[str] = []
    for word in words:
        limit = width_px - (first_indent_px if not lines else 0)
        trial = " ".join(current + [word])
        if current and text_width(trial, font) > limit:
            lines.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def render_lines(lines: list[str], width_px: int = 2480, dpi: int = 300, font_pt: float = 13,
                 margin_px: int | None = None, line_spacing: float = 1.35,
                 style: str = "regular") -> Image.Image:
    """Render plain text lines onto a white image ``width_px`` wide (height follows the text).

    Lines wider than the text area are wrapped at word boundaries; empty lines leave a gap.
    ``margin_px`` defaults to 1/12 of the width. The image's ``info["dpi"]`` is set, so OCR
    engines read the right resolution. Returns an RGB image.
    """
    font = load_font(font_pt, dpi, style)
    margin = margin_px if margin_px is not None else width_px // 12
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(wrap_text(line, font, width_px - 2 * margin) or [""])
    step = round(font.size * line_spacing)
    height = 2 * margin + step * max(1, len(wrapped))
    img = Image.new("RGB", (width_px, height), "white")
    draw = ImageDraw.Draw(img)
    y = margin
    for line in wrapped:
        draw.text((margin, y), line, font=font, fill=INK)
        y += step
    img.info["dpi"] = (dpi, dpi)
    return img


# ------------------------------------------------------------------------------ directives
@dataclass
class DirectiveText:
    """The parts of an administrative document, as the layout needs them."""
    issuer: list[str] = field(default_factory=lambda: ["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"])
    number: str = "Số: 1/KH-UBND"
    motto: list[str] = field(default_factory=lambda: [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    place_date: str = "Lai Châu, ngày 1 tháng 1 năm 2025"
    kind: str = "KẾ HOẠCH"
    title: str = ""
    #: One paragraph per item; headings ("I. ...", short "1. ...") are set in bold.
    body: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)   # without the "Nơi nhận:" label
    #: Authority lines, title, name: ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Tên"].
    signature: list[str] = field(default_factory=list)
    seal_text: str = "ỦY BAN NHÂN DÂN"


_MOTTO_RE = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\s*(Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc)?")
_NUMBER_RE = re.compile(r"Số:\s*\S+")
_SIGN_START_RE = re.compile(r"\s(?=(?:TM\.|KT\.|TL\.|Q\.)\s)")


def parse_plan_text(text: str) -> DirectiveText:
    """Split a dev-plan text (one paragraph per line, header and closing flattened) into parts.

    The first lines hold issuer, motto, number and place/date run together; then the kind
    ("KẾ HOẠCH") and the title; the last paragraph starting "Nơi nhận:" holds the recipient list
    ("- X; - Y") followed by the signature ("TM. ... KT. CHỦ TỊCH PHÓ CHỦ TỊCH Name").
    """
    paras = [p.strip() for p in text.strip().splitlines() if p.strip()]
    kind_idx = next(i for i, p in enumerate(paras) if p.isupper() and len(p.split()) <= 3)
    header = " ".join(paras[:kind_idx])
    doc = DirectiveText(kind=paras[kind_idx])
    motto = _MOTTO_RE.search(header)
    issuer = header[:motto.start()].strip() if motto else ""
    rest = header[motto.end():] if motto else header
    number = _NUMBER_RE.search(rest)
    if number:
        doc.number = number.group(0)
        doc.place_date = rest[number.end():].strip()
    words = issuer.split()
    split_at = 4 if issuer.upper().startswith(("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN")) else len(words) // 2
    doc.issuer = [" ".join(words[:split_at]), " ".join(words[split_at:])]
    doc.title = paras[kind_idx + 1]
    body = paras[kind_idx + 2:]
    closing = next((i for i, p in enumerate(body) if p.startswith("Nơi nhận:")), None)
    if closing is not None:
        tail = body[closing][len("Nơi nhận:"):].strip()
        body = body[:closing]
        m = _SIGN_START_RE.search(tail)
        recip_text, sign_text = (tail[:m.start()], tail[m.end():]) if m else (tail, "")
        doc.recipients = ["- " + r.strip() for r in re.split(r"(?:^|\s)-\s", recip_text) if r.strip()]
        doc.signature = _split_signature(sign_text)
    doc.body = body
    province = doc.issuer[-1].split(maxsplit=1)[-1] if doc.issuer[-1] else ""
    doc.seal_text = f"{doc.issuer[0]} {doc.issuer[-1]}".strip() if province else doc.issuer[0]
    return doc


def _split_signature(text: str) -> list[str]:
    """'TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Tống Thanh Hải' -> its four lines."""
    lines: list[str] = []
    for part in re.split(r"\s(?=(?:TM|KT|TL|Q)\.\s)", text.strip()):
        words = part.split()
        # The upper-case run is the authority (and title); what follows in mixed case is the name.
        i = 0
        while i < len(words) and (words[i].isupper() or words[i].endswith(".")):
            i += 1
        upper, name = " ".join(words[:i]), " ".join(words[i:])
        m = re.match(r"^((?:TM|KT|TL|Q)\.\s+.+?)\s+((?:PHÓ\s+)?CHỦ TỊCH)$", upper)
        lines.extend([m.group(1), m.group(2)] if m else [upper] if upper else [])
        if name:
            lines.append(name)
    return lines


_ROMAN_HEADING = re.compile(r"^[IVXL]+\.\s")
_ARABIC_HEADING = re.compile(r"^\d+(\.\d+)*\.\s")


def _is_heading(paragraph: str) -> bool:
    if _ROMAN_HEADING.match(paragraph):
        return True
    return bool(_ARABIC_HEADING.match(paragraph)) and len(paragraph.split()) <= 8 \
        and not paragraph.rstrip().endswith((".", ";", ":"))


@dataclass
class SynthPage:
    """One composed page: the clean image, its ground truth and where each region lies."""
    image: Image.Image
    number: int
    #: Ground-truth lines in reading order (page number, header left, header right, body,
    #: recipients, signature); seal text excluded.
    lines: list[str] = field(default_factory=list)
    #: role -> box (x0, y0, x1, y1) of header_left, header_right, recipients, signature, ...
    regions: dict = field(default_factory=dict)
    #: Centre and radius of the signature seal when one was printed.
    seal: tuple[tuple[int, int], int] | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Cursor:
    """A page under construction: draws text lines and records their ground truth."""

    def __init__(self, number: int, dpi: int, page_px: tuple[int, int], margins: tuple[int, int, int, int]):
        self.number = number
        self.dpi = dpi
        self.image = Image.new("RGB", page_px, "white")
        self.image.info["dpi"] = (dpi, dpi)
        self.draw = ImageDraw.Draw(self.image)
        self.left, self.top, self.right, self.bottom = margins
        self.y = self.top
        self.lines: list[str] = []
        self.regions: dict = {}

    @property
    def width(self) -> int:
        return self.right - self.left

    def text_line(self, text: str, font, x0: int, x1: int, align: str = "left", indent: int = 0,
                  justify_last: bool = False, justify: bool = False, underline: bool = False,
                  y: int | None = None) -> tuple[int, int, int, int]:
        y = self.y if y is None else y
        width = text_width(text, font)
        if align == "center":
            x = x0 + (x1 - x0 - width) / 2
        else:
            x = x0 + indent
        words = text.split()
        if justify and len(words) > 1:
            free = (x1 - x) - sum(text_width(w, font) for w in words)
            gap = free / (len(words) - 1)
            cx = x
            for w in words:
                self.draw.text((cx, y), w, font=font, fill=INK)
                cx += text_width(w, font) + gap
            box = (int(x), y, int(x1), y + font.size)
        else:
            self.draw.text((x, y), text, font=font, fill=INK)
            box = (int(x), y, int(x + width), y + font.size)
        if underline:
            uy = y + round(font.size * 1.08)
            self.draw.line([(x, uy), (x + width, uy)], fill=INK, width=max(1, font.size // 16))
        self.lines.append(text)
        return box


def _pt(pt: float, dpi: int) -> int:
    return round(pt * dpi / 72)


def _mm(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def compose_pages(doc: DirectiveText, dpi: int = 300, body_pt: float = 13.5,
                  seal: bool = True, seed: int = 0) -> list[SynthPage]:
    """Lay ``doc`` out on A4 pages in Decree 30/2020 style; returns clean (undegraded) pages.

    Page 1 starts with the two-column header, the kind and the title; paragraphs flow across
    pages (page numbers centred in the top margin from page 2); the closing block (recipients
    left, signature right, seal over the signature) is kept together on the last page.
    """
    page_px = (round(A4_IN[0] * dpi), round(A4_IN[1] * dpi))
    margins = (_mm(30, dpi), _mm(20, dpi), page_px[0] - _mm(18, dpi), page_px[1] - _mm(20, dpi))
    body_font = load_font(body_pt, dpi)
    bold = load_font(body_pt, dpi, "bold")
    italic = load_font(body_pt, dpi, "italic")
    head_font = load_font(body_pt - 0.5, dpi)
    head_bold = load_font(body_pt - 0.5, dpi, "bold")
    small = load_font(11, dpi)
    small_italic_bold = load_font(12, dpi, "bolditalic")
    step = round(body_font.size * 1.38)
    para_gap = _pt(6, dpi)
    indent = _mm(10, dpi)

    pages: list[_Cursor] = []

    def new_page() -> _Cursor:
        cur = _Cursor(len(pages) + 1, dpi, page_px, margins)
        if cur.number > 1:
            num_font = load_font(13, dpi)
            cur.text_line(str(cur.number), num_font, 0, page_px[0], align="center",
                          y=_mm(10, dpi))
            cur.regions["page_number"] = (page_px[0] // 2 - 40, _mm(10, dpi), page_px[0] // 2 + 40,
                                          _mm(10, dpi) + num_font.size)
        pages.append(cur)
        return cur

    cur = new_page()
    # Header: left column about 40% of the text width, right column the rest.
    split_x = cur.left + round(cur.width * 0.40)
    left_x0, left_x1 = cur.left - _mm(10, dpi), split_x
    right_x0, right_x1 = split_x, cur.right + _mm(5, dpi)
    y0 = cur.y

    def header_column(lines, first_font, font, x0, x1, gap_pt, last, last_font) -> tuple:
        """Centred column lines (the last one underlined), a gap, then ``last``; its region."""
        boxes = []
        for i, line in enumerate(lines):
            boxes.append(cur.text_line(line, first_font if i == 0 else font, x0, x1,
                                       align="center", underline=i == len(lines) - 1))
            cur.y += step
        cur.y += _pt(gap_pt, dpi)
        boxes.append(cur.text_line(last, last_font, x0, x1, align="center"))
        return (min(b[0] for b in boxes), y0, max(b[2] for b in boxes), boxes[-1][3])

    cur.regions["header_left"] = header_column(doc.issuer, head_font, head_bold, left_x0, left_x1,
                                               8, doc.number, head_font)
    left_bottom = cur.y + step
    cur.y = y0
    motto_font = load_font(body_pt - 0.5, dpi, "bold")
    cur.regions["header_right"] = header_column(doc.motto, motto_font, bold, right_x0, right_x1,
                                                14, doc.place_date, italic)
    cur.y = max(left_bottom, cur.y + step) + _pt(12, dpi)
    # Kind and title, bold and centred.
    cur.text_line(doc.kind, bold, cur.left, cur.right, align="center")
    cur.y += step
    for line in wrap_text(doc.title, bold, cur.width * 0.85):
        cur.text_line(line, bold, cur.left, cur.right, align="center")
        cur.y += step
    cur.y += _pt(10, dpi)

    # Body: justified paragraphs with a first-line indent; headings bold.
    for para in doc.body:
        heading = _is_heading(para)
        font = bold if heading else body_font
        wrapped = wrap_text(para, font, cur.width, first_indent_px=indent)
        for i, line in enumerate(wrapped):
            if cur.y + font.size > cur.bottom:
                cur = new_page()
            last = i == len(wrapped) - 1
            cur.text_line(line, font, cur.left, cur.right, indent=indent if i == 0 else 0,
                          justify=not last and not heading)
            cur.y += step
        cur.y += para_gap

    # Closing block: recipients (left, small) and signature (right), kept together.
    if doc.recipients or doc.signature:
        small_step = round(small.size * 1.2)
        recip_h = small_italic_bold.size + small_step * len(doc.recipients) + step
        sign_h = step * (len(doc.signature) + 3)
        if cur.y + _pt(6, dpi) + max(recip_h, sign_h) > cur.bottom:
            cur = new_page()
        cur.y += _pt(6, dpi)
        y0 = cur.y
        boxes = []
        if doc.recipients:
            boxes.append(cur.text_line("Nơi nhận:", small_italic_bold, cur.left, cur.left + cur.width // 2,
                                       y=cur.y))
            y = cur.y + round(small_italic_bold.size * 1.25)
            for r in doc.recipients:
                boxes.append(cur.text_line(r, small, cur.left, cur.left + cur.width // 2, y=y))
                y += small_step
            cur.regions["recipients"] = (cur.left, y0, max(b[2] for b in boxes), boxes[-1][3])
        sx0, sx1 = cur.left + round(cur.width * 0.45), cur.right
        boxes = []
        y = y0
        sig = doc.signature
        for i, line in enumerate(sig):
            is_name = i == len(sig) - 1 and len(sig) > 1
            if is_name:
                y += step * 2  # room for the handwritten signature, under the seal
            boxes.append(cur.text_line(line, bold, sx0, sx1, align="center", y=y))
            y += step
        seal_info = None
        if boxes:
            cur.regions["signature"] = (min(b[0] for b in boxes), y0, max(b[2] for b in boxes), boxes[-1][3])
            if seal:
                cx = (sx0 + sx1) // 2 - _mm(6, dpi)
                cy = boxes[-1][1] - step
                radius = _mm(18, dpi)
                cur.image = add_red_seal(cur.image, (cx, cy), radius, doc.seal_text, seed=seed)
                cur.draw = ImageDraw.Draw(cur.image)
                seal_info = ((cx, cy), radius)
        cur.seal = seal_info  # type: ignore[attr-defined]

    result = []
    for p in pages:
        p.image.info["dpi"] = (dpi, dpi)
        result.append(SynthPage(image=p.image, number=p.number, lines=p.lines, regions=p.regions,
                                seal=getattr(p, "seal", None)))
    return result


# ------------------------------------------------------------------------------------ seal
def add_red_seal(img: Image.Image, center: tuple[int, int], radius: int,
                 text: str = "ỦY BAN NHÂN DÂN", seed: int = 0, opacity: float = 0.85) -> Image.Image:
    """Print a round red seal (double ring, ``text`` around it, star in the middle) on ``img``.

    The ink is multiplied into the page, as stamp ink is: black text under it stays black and
    white paper turns red. Returns a new RGB image.
    """
    rng = random.Random(seed)
    layer = Image.new("L", img.size, 0)  # ink coverage 0..255
    draw = ImageDraw.Draw(layer)
    cx, cy = center
    ring = max(2, radius // 28)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=255, width=ring)
    inner = round(radius * 0.62)
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], outline=255, width=max(1, ring // 2))
    # Star
    star_r = radius * 0.28
    pts = []
    for k in range(10):
        r = star_r if k % 2 == 0 else star_r * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(pts, fill=255)
    # Text around the ring, letters rotated to follow it.
    font = ImageFont.truetype(str(font_path("bold")), max(8, round(radius * 0.17)))
    chars = list(text.upper())
    text_r = (radius + inner) / 2
    span = min(2 * math.pi * 0.8, len(chars) * font.size * 0.75 / text_r)
    start = -math.pi / 2 - span / 2
    for i, ch in enumerate(chars):
        if ch == " ":
            continue
        a = start + span * (i + 0.5) / len(chars)
        tile = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(tile).text((font.size, font.size), ch, font=font, fill=255, anchor="mm")
        tile = tile.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC)
        x = cx + text_r * math.cos(a) - tile.width / 2
        y = cy + text_r * math.sin(a) - tile.height / 2
        layer.paste(255, (round(x), round(y)), tile)
    # Uneven ink: a little blotchiness.
    arr = np.asarray(layer, dtype=np.float32) / 255.0
    noise = np.random.default_rng(rng.randrange(1 << 30)).uniform(0.75, 1.0, arr.shape)
    cover = (arr * noise * opacity)[..., None]
    base = np.asarray(img.convert("RGB"), dtype=np.float32)
    ink = np.array(SEAL_RED, dtype=np.float32) / 255.0
    out = base * (1 - cover + cover * ink)
    result = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")
    result.info["dpi"] = img.info.get("dpi", (300, 300))
    return result


# ---------------------------------------------------------------------------------- degrade
def degrade_params(seed: int) -> dict:
    """The seeded degradation parameters :func:`degrade` uses (ranges of ../shared dev scans)."""
    rng = random.Random(seed)
    return {
        "rotate": round(rng.choice([-1, 1]) * rng.uniform(0.3, 1.5), 3),
        "blur": round(rng.uniform(0.45, 0.85), 3),
        "noise": round(rng.uniform(1.5, 3.5), 2),
        "jpeg": rng.randint(50, 80),
        "lighting": round(rng.uniform(0.15, 0.35), 3),
        "tint": (rng.randint(238, 250), rng.randint(236, 248), rng.randint(226, 240)),
    }


def degrade(img: Image.Image, seed: int = 0, **overrides) -> Image.Image:
    """Make a clean render look scanned: rotation, blur, noise, uneven light, tint, JPEG.

    Parameters come from :func:`degrade_params(seed) <degrade_params>`; any of them can be
    overridden by keyword (``rotate=0`` for a straight page, ``jpeg=None`` to skip
    re-compression). Deterministic for a given seed. Returns an RGB image with the input's DPI.
    """
    p = {**degrade_params(seed), **overrides}
    dpi = img.info.get("dpi", (300, 300))
    rng = np.random.default_rng(seed)
    out = img.convert("RGB")
    if p.get("rotate"):
        out = out.rotate(p["rotate"], resample=Image.BICUBIC, expand=False, fillcolor="white")
    if p.get("blur"):
        out = out.filter(ImageFilter.GaussianBlur(p["blur"]))
    arr = np.asarray(out, dtype=np.float32)
    h, w = arr.shape[:2]
    tint = np.array(p.get("tint") or (255, 255, 255), dtype=np.float32) / 255.0
    arr = arr * tint
    if p.get("lighting"):
        # A smooth light falloff from a random corner, as on a flatbed with the lid open.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        dist = np.hypot((xx - cx) / w, (yy - cy) / h) / math.sqrt(2)
        arr = arr * (1.0 - p["lighting"] * dist)[..., None]
    if p.get("noise"):
        arr = arr + rng.normal(0, p["noise"], (h, w, 1)).astype(np.float32)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    if p.get("jpeg"):
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=int(p["jpeg"]))
        buf.seek(0)
        out = Image.open(buf).convert("RGB")
    out.info["dpi"] = dpi
    return out


def save_pdf(images: list[Image.Image], path: str | Path, dpi: int = 300, quality: int = 75) -> None:
    """Write ``images`` as one PDF, each page a JPEG sized for ``dpi`` (a scanner's PDF).

    The PDF dates are fixed, so the same images give the same bytes.
    """
    import time
    fixed = time.strptime("2025-01-01", "%Y-%m-%d")  # PIL's PDF writer takes struct_time
    rgb = [im.convert("RGB") for im in images]
    rgb[0].save(str(path), "PDF", save_all=True, append_images=rgb[1:], resolution=float(dpi),
                quality=quality, creationDate=fixed, modDate=fixed)
