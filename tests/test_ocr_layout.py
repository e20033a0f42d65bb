"""vanban.ocr.layout on hand-made word boxes (no OCR): bands, roles, reading order."""

from __future__ import annotations

from vanban.model import Word
from vanban.ocr.layout import build_blocks

W, H = 2480, 3508


def _line(text: str, x0: int, y0: int, key=None, word_gap: int = 18, char_w: int = 22,
          height: int = 50):
    """Words of ``text`` laid left to right from (x0, y0)."""
    words, x = [], x0
    for t in text.split():
        words.append(Word(t, (x, y0, x + char_w * len(t), y0 + height), 95.0))
        x += char_w * len(t) + word_gap
    return words, key


def _full(text: str, y0: int, x0: int = 350, x1: int = 2240):
    """A justified body line: words spread from x0 to x1."""
    words = text.split()
    char_w = 22
    ink = sum(char_w * len(t) for t in words)
    gap = (x1 - x0 - ink) / max(1, len(words) - 1)
    out, x = [], float(x0)
    for t in words:
        out.append(Word(t, (round(x), y0, round(x) + char_w * len(t), y0 + 50), 95.0))
        x += char_w * len(t) + gap
    return out


def _merge(*parts, key=None):
    """One Tesseract line made of several pieces (what Tesseract does with header columns)."""
    return [w for p in parts for w in p[0]], key


def test_header_columns_read_as_one_line_are_split_left_then_right():
    lines = [
        _merge(_line("UBND THÀNH PHỐ", 400, 200), _line("CỘNG HÒA XÃ HỘI", 1200, 200), key=(1, 1, 1)),
        _merge(_line("SỞ GIÁO DỤC", 420, 270), _line("Độc lập - Tự do", 1300, 270), key=(1, 1, 2)),
        (_line("Số: 12/SGD", 450, 350)[0], (1, 1, 3)),
        (_line("Đà Nẵng, ngày 1", 1350, 360)[0], (2, 1, 1)),
        (_line("KẾ HOẠCH", 1200, 500)[0], (3, 1, 1)),
        (_full("Nội dung của kế hoạch được trình bày ở đây cho đủ dài một dòng", 600), (4, 1, 1)),
    ]
    blocks = build_blocks(lines, W, H, page_number=1)
    assert [b.role for b in blocks] == ["header_left", "header_right", "body", "body"]
    assert blocks[0].text == "UBND THÀNH PHỐ\nSỞ GIÁO DỤC\nSố: 12/SGD"
    assert blocks[1].text == "CỘNG HÒA XÃ HỘI\nĐộc lập - Tự do\nĐà Nẵng, ngày 1"
    assert blocks[2].text == "KẾ HOẠCH"  # the centred title is not pulled into a column


def test_closing_recipients_apart_from_signature_and_page_number():
    lines = [
        (_line("3", 1230, 130, char_w=22)[0], (1, 1, 1)),
        (_full("Nội dung cuối cùng của văn bản trải dài hết chiều ngang trang giấy", 300), (2, 1, 1)),
        (_line("thực hiện./.", 350, 370)[0], (2, 1, 2)),
        _merge(_line("Nơi nhận:", 350, 500), _line("TM. ỦY BAN NHÂN DÂN", 1420, 495), key=(3, 1, 1)),
        _merge(_line("- Như trên;", 350, 560), _line("KT. CHỦ TỊCH", 1550, 575, height=60), key=(3, 1, 2)),
        (_line("- Lưu: VT.", 350, 615)[0], (3, 1, 3)),
        (_line("PHÓ CHỦ TỊCH", 1540, 640)[0], (4, 1, 1)),
        (_line("Nguyễn Văn An", 1540, 900)[0], (5, 1, 1)),
    ]
    blocks = build_blocks(lines, W, H, page_number=3)
    assert [b.role for b in blocks] == ["page_number", "body", "recipients", "signature"]
    assert blocks[2].text == "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    assert blocks[3].text == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An"


def test_body_blocks_follow_paragraphs_and_drop_dust():
    lines = [
        (_line("Đoạn một dòng một", 350, 300)[0], (1, 1, 1)),
        (_line("Đoạn một dòng hai", 350, 370)[0], (1, 1, 2)),
        (_line("Đoạn hai", 350, 440)[0], (1, 2, 1)),
        ([Word("`", (1800, 445, 1810, 452), 70.0)], (1, 2, 1)),
    ]
    blocks = build_blocks(lines, W, H)
    assert [b.text for b in blocks] == ["Đoạn một dòng một\nĐoạn một dòng hai", "Đoạn hai"]
    assert all(b.role == "body" for b in blocks)


def test_lone_signature_without_recipients():
    lines = [
        (_full("Nội dung cuối cùng của văn bản trải dài hết chiều ngang trang giấy", 300), (1, 1, 1)),
        (_line("CHỦ TỊCH", 1600, 500)[0], (2, 1, 1)),
        (_line("Nguyễn Văn An", 1560, 800)[0], (3, 1, 1)),
    ]
    blocks = build_blocks(lines, W, H)
    assert [b.role for b in blocks] == ["body", "signature"]
    assert blocks[1].text == "CHỦ TỊCH\nNguyễn Văn An"


def test_weak_first_word_of_a_wrapped_line_is_kept_on_a_page_of_indented_paragraphs():
    """On a page of short paragraphs most full-width lines are indented first lines (their
    median start is the indent); the text column still starts where the wrapped lines start,
    so a weak word there is text, while a weak speck left of that column is dropped."""
    col, indent = 350, 470
    long_text = ("có dòng đầu thụt vào như văn bản hành chính thường thấy ở các tờ trình "
                 "của ủy ban nhân dân tỉnh gửi hội đồng")
    lines, y = [], 300
    for k in range(6):  # short paragraphs: an indented full first line, a short last line
        lines.append((_full(f"{k}. Đoạn {long_text}", y, x0=indent), (k, 1, 1)))
        lines.append(_line("nhân dân tỉnh.", col, y + 70, key=(k, 1, 2)))
        y += 140
    for k in range(2):  # two wrapped full lines at the column's edge
        lines.append((_full(f"dòng {k} {long_text}", y, x0=col), (7 + k, 1, 1)))
        y += 70
    # a wrapped line whose first word Tesseract hardly believes ("Ngãi" at conf 21)
    weak = _full("Ngãi từ năm học 2017-2018 đến năm học 2020-2021 của tỉnh " + long_text, y, x0=col)
    weak[0].conf = 21.0
    lines.append((weak, (9, 1, 1)))
    y += 70
    # a punch-hole speck read into the start of a line, left of the column
    speck = [Word("t§", (200, y, 250, y + 50), 30.0)] + _full("Trời mẹ " + long_text, y, x0=col)
    lines.append((speck, (10, 1, 1)))
    text = "\n".join(ln.text for b in build_blocks(lines, W, H) for ln in b.lines)
    assert "Ngãi từ năm học" in text
    assert "t§" not in text and "Trời mẹ" in text


def test_body_line_cut_at_a_blank_field_reads_left_to_right_as_one_line():
    """A body line with blanks left for a handwritten number and day is cut into pieces (gaps
    wider than a column gutter); Tesseract may put the pieces in different paragraphs and the
    right one may sit a few pixels higher. It is still one line, read left to right."""
    lines = [(_full(f"Căn cứ Luật số {k} ngày 19 tháng 6 năm 2015 của Quốc hội về tổ chức "
                    "chính quyền địa phương và các văn bản hướng dẫn thi hành", 400 + 70 * k), (1, 1, k))
             for k in range(6)]
    y = 400 + 70 * 6
    lines.append(_line("Xét Tờ trình số", 350, y, key=(2, 1, 1)))
    lines.append(_line("/TTr-UBND ngày", 900, y + 4, key=(3, 1, 1)))
    lines.append(_line("tháng năm 2025 của Ủy ban", 1400, y - 6, key=(4, 1, 1)))
    lines.append((_full("nhân dân tỉnh về việc đề nghị ban hành Nghị quyết bãi bỏ các nghị quyết "
                        "của Hội đồng nhân dân tỉnh", y + 70), (5, 1, 1)))
    text = "\n".join(ln.text for b in build_blocks(lines, W, H) for ln in b.lines)
    assert "Xét Tờ trình số /TTr-UBND ngày tháng năm 2025 của Ủy ban\nnhân dân tỉnh" in text


def test_confident_junk_left_of_the_text_column_is_dropped_list_marks_kept():
    """A margin note read as confident junk ("_" at 69, ":.." at 62) in front of a body line is
    no text; a hanging list dash left of the column is, and so is a weak-free body line."""
    col = 350
    long_text = ("nội dung của văn bản trải dài hết chiều ngang trang giấy như các dòng "
                 "khác của trang này")
    lines, y = [], 300
    for k in range(6):
        lines.append((_full(f"dòng {k} {long_text}", y, x0=col), (k, 1, 1)))
        y += 70
    junk = [Word("_", (40, y, 85, y + 50), 69.0)] + _full("phái Tin lành " + long_text, y, x0=col)
    lines.append((junk, (7, 1, 1)))
    y += 70
    dots = [Word(":..", (200, y, 250, y + 50), 62.0)] + _full("hoạt động " + long_text, y, x0=col)
    lines.append((dots, (8, 1, 1)))
    y += 70
    dash = [Word("-", (300, y, 330, y + 50), 90.0)] + _full("Sở Tư pháp " + long_text, y, x0=col)
    lines.append((dash, (9, 1, 1)))
    # outdented list and section labels are text too ("z)" is no Vietnamese list letter)
    for k, (label, rest) in enumerate([("b)", "Tổ chức "), ("IV.", "TỔ CHỨC THỰC HIỆN "),
                                       ("đ)", "Kiểm tra "), ("z)", "Báo cáo ")]):
        y += 70
        # a short list item (the last line of its paragraph), its label hanging left
        lines.append(([Word(label, (280, y, 330, y + 50), 95.0)] + _line(rest + "ngắn", col, y)[0],
                      (10 + k, 1, 1)))
    text = "\n".join(ln.text for b in build_blocks(lines, W, H) for ln in b.lines)
    assert "_" not in text and ":.." not in text
    assert "phái Tin lành" in text and "hoạt động" in text
    assert "- Sở Tư pháp" in text
    assert "b) Tổ chức" in text and "IV. TỔ CHỨC THỰC HIỆN" in text and "đ) Kiểm tra" in text
    assert "z)" not in text and "Báo cáo ngắn" in text


def test_signer_title_a_line_above_the_recipients_joins_the_signature():
    """"TL. CHỦ TỊCH" stands a line above the first recipients row and "Nơi nhận:" beside it
    was not read: the lone right-hand row belongs to the signature, after the recipients."""
    body = "nội dung cuối cùng của văn bản trải dài hết chiều ngang trang giấy như mọi dòng"
    lines = [(_full(f"dòng {k} {body}", 300 + 70 * k), (1, 1, k)) for k in range(6)]
    lines += [
        _line("TL. CHỦ TỊCH", 1500, 760, key=(2, 1, 1)),
        _line("- Như trên;", 350, 830, key=(3, 1, 1)),
        _line("CHÁNH VĂN PHÒNG", 1420, 840, key=(4, 1, 1)),
        _line("- Lưu: VT.", 350, 900, key=(3, 1, 2)),
        _line("Nguyễn Quốc Việt", 1500, 1250, key=(5, 1, 1)),
    ]
    blocks = build_blocks(lines, W, H)
    assert [b.role for b in blocks] == ["body", "recipients", "signature"]
    assert blocks[1].text == "- Như trên;\n- Lưu: VT."
    assert blocks[2].text == "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\nNguyễn Quốc Việt"


def test_second_reading_over_a_line_ends_and_the_closing_mark_cuts_handwriting_off():
    """A pen initial after "./." makes Tesseract glue junk to the mark ("này./VRäi__") and find
    a second, weaker line over the same ink ("Quyết đi yÍ. UỀU_"): the mark ends the word, the
    second reading is dropped; a line beside another (not over it) stays."""
    body = "nội dung cuối cùng của văn bản trải dài hết chiều ngang trang giấy như mọi dòng"
    lines = [(_full(f"dòng {k} {body}", 300 + 70 * k), (1, 1, k)) for k in range(4)]
    last, _ = _line("thi hành Quyết định này./VRäi__", 350, 580, key=(1, 1, 4))
    last[-1].conf = 8.0
    shadow = [Word("Quyết", (last[2].bbox[0] + 20, 584, last[2].bbox[2] + 10, 628), 96.0),
              Word("đi", (last[3].bbox[0] + 30, 620, last[3].bbox[0] + 34, 624), 76.0),
              Word("yÍ.", (last[4].bbox[0] + 60, 590, last[4].bbox[0] + 80, 628), 0.0),
              Word("UỀU_", (last[4].bbox[0] + 120, 600, last[4].bbox[2] - 10, 640), 53.0)]
    lines += [(last, (1, 1, 4)), (shadow, (1, 2, 1))]
    blocks = build_blocks(lines, W, H)
    text = "\n".join(b.text for b in blocks)
    assert text.endswith("dòng\nthi hành Quyết định này./.")
    assert "UỀU" not in text and "yÍ" not in text
    # the same words beside the line, not over it, are a line of their own and stay
    beside = [Word(w.text, (w.bbox[0] + 1000, w.bbox[1], w.bbox[2] + 1000, w.bbox[3]), w.conf)
              for w in shadow if w.text == "Quyết"]
    kept = "\n".join(b.text for b in build_blocks(lines[:-1] + [(beside, (1, 2, 1))], W, H))
    assert kept.count("Quyết") == 2
    # a tail that reads is no handwriting: "./.Hà" stays as read
    reads, _ = _line("thi hành Quyết định này./.Hà", 350, 580, key=(1, 1, 4))
    assert build_blocks(lines[:4] + [(reads, (1, 1, 4))], W, H)[-1].text.endswith("này./.Hà")
    # the dotted blank of a form is no closing mark
    blank, _ = _line("Số: ……/...../.:h7", 350, 580, key=(1, 1, 4))
    blank[-1].conf = 8.0
    assert build_blocks(lines[:4] + [(blank, (1, 1, 4))], W, H)[-1].text.endswith("/...../.:h7")


def test_pen_mark_after_a_closing_line_is_dropped_text_kept():
    """A clerk's copy count after "- Lưu VT-NĐ" read as "Ì-*“”" at confidence 12 leaves the
    recipients line; weak words that are text ("VP", "(b/c);") stay as read."""
    body = "nội dung cuối cùng của văn bản trải dài hết chiều ngang trang giấy như mọi dòng"
    lines = [(_full(f"dòng {k} {body}", 300 + 70 * k), (1, 1, k)) for k in range(5)]
    lines += [_line("Nơi nhận:", 350, 700, key=(2, 1, 1)), _line("CHỦ TỊCH", 1500, 700, key=(3, 1, 1)),
              _line("- Như trên;", 350, 770, key=(2, 1, 2)),
              _line("- Lưu VT-NĐ Ì-*“”", 350, 840, key=(2, 1, 3)),
              _line("- Lưu: VT, VP", 350, 910, key=(2, 1, 4)),
              _line("- Bộ Tư pháp (b/c);", 350, 980, key=(2, 1, 5)),
              _line("Nguyễn Văn A", 1500, 1100, key=(3, 1, 2))]
    for k in (-4, -3, -2):
        lines[k][0][-1].conf = 12.0
    blocks = build_blocks(lines, W, H)
    assert [b.role for b in blocks] == ["body", "recipients", "signature"]
    assert blocks[1].text == "Nơi nhận:\n- Như trên;\n- Lưu VT-NĐ\n- Lưu: VT, VP\n- Bộ Tư pháp (b/c);"
