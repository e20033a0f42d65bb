"""Faster page loading and preprocessing that must give the same pixels as before.

Page pixels as OCR reads them (``PageSource.pixels``: OpenCV straight into an array where the
file allows it) are the pixels of the PIL image ``PageSource.load`` gives, for every kind of
input, so that the faster loading cannot change what is read."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vanban.ocr import OcrOptions, ocr_image, preprocess
from vanban.ocr.inputs import _decodes_directly, open_input


FONTS = [Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
         Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")]


def _page(rgb: bool = True) -> Image.Image:
    """A small page: two lines of Vietnamese and a red seal-like ring over the second."""
    font = ImageFont.truetype(str(next(f for f in FONTS if f.exists())), 34)
    img = Image.new("RGB", (900, 420), (245, 243, 238))
    draw = ImageDraw.Draw(img)
    draw.text((40, 60), "Ủy ban nhân dân tỉnh Quảng Ngãi", fill=(20, 20, 20), font=font)
    draw.text((40, 140), "Kế hoạch triển khai thực hiện", fill=(20, 20, 20), font=font)
    draw.ellipse((520, 100, 700, 280), outline=(200, 30, 40), width=8)
    return img if rgb else img.convert("L")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("pix")
    made = {}
    for name, img, kw in [("rgb.jpg", _page(), {"quality": 75, "dpi": (300, 300)}),
                          ("gray.jpg", _page(False), {"quality": 80}),
                          ("rgb.png", _page(), {}), ("gray.png", _page(False), {}),
                          ("palette.png", _page().convert("P"), {}),
                          ("cmyk.jpg", _page().convert("CMYK"), {})]:
        img.save(d / name, **kw)
        made[name] = d / name
    turned = _page()
    exif = turned.getexif()
    exif[0x0112] = 6  # EXIF: rotate 90° to display
    turned.save(d / "exif-turned.jpg", exif=exif)
    made["exif-turned.jpg"] = d / "exif-turned.jpg"
    # 16 bits a channel: PIL opens it as 8-bit RGB (the high bytes), OpenCV must agree
    deep = np.random.default_rng(1).integers(0, 65536, (64, 80, 3), dtype=np.uint16)
    cv2.imwrite(str(d / "rgb16.png"), deep[..., ::-1])
    made["rgb16.png"] = d / "rgb16.png"
    pdf_path = d / "scan.pdf"
    _page().save(pdf_path, resolution=150)
    made["scan.pdf"] = pdf_path
    return made


@pytest.mark.parametrize("name", ["rgb.jpg", "gray.jpg", "rgb.png", "gray.png", "palette.png",
                                  "cmyk.jpg", "exif-turned.jpg", "rgb16.png", "scan.pdf"])
def test_pixels_are_the_loaded_page(files, name):
    source = open_input(files[name], force_ocr=True)[0]
    loaded = np.asarray(source.load())
    pixels = source.pixels()
    assert pixels.dtype == np.uint8
    assert pixels.shape == loaded.shape
    assert np.array_equal(pixels, loaded)
    if files[name].suffix != ".pdf":  # the files OpenCV decodes are those expected
        with Image.open(files[name]) as img:
            direct = _decodes_directly(img)
        assert direct == (name in ("rgb.jpg", "gray.jpg", "rgb.png", "gray.png", "rgb16.png"))


def test_ocr_image_takes_an_array_as_its_pil_image(files):
    source = open_input(files["rgb.jpg"])[0]
    options = OcrOptions(orientation=False)
    from_pil = ocr_image(source.load(), options, dpi=300)
    from_array = ocr_image(source.pixels(), options, dpi=300)
    a, b = from_pil.to_dict(), from_array.to_dict()
    a["preprocessing"].pop("seconds")
    b["preprocessing"].pop("seconds")
    assert a == b
    assert from_pil.text.strip()
    with pytest.raises(ValueError):
        ocr_image(np.zeros((10, 10, 4), np.uint8))


@pytest.mark.parametrize("k", [3, 13, 25])
def test_closing_near_ink_is_the_whole_page_closing(k):
    """preprocess.close_near_ink: the same pixels as OpenCV's closing of the whole mask, for
    ink at the borders, in far-apart groups, in near ones and scattered as specks."""
    rng = np.random.default_rng(k)
    mask = np.zeros((700, 500), np.uint8)
    mask[0:9, 0:30] = 255            # a corner
    mask[690:700, 480:500] = 255     # the opposite corner
    mask[300:330, 200:215] = 255     # a block in the middle
    mask[300:330, 240:250] = 255     # a near block (joined by the closing)
    ys, xs = rng.integers(0, 700, 80), rng.integers(0, 500, 80)
    mask[ys, xs] = 255               # specks
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    expected = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    assert np.array_equal(preprocess.close_near_ink(mask, kernel), expected)
    assert not preprocess.close_near_ink(np.zeros_like(mask), kernel).any()


def test_scale_table_is_convert_scale_abs():
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (301, 257, 3), dtype=np.uint8)
    alphas = [1.0, 255 / 231, 255 / 199.5, 255 / 250.25]
    for a in alphas:
        table = preprocess._scale_table([a, a, a])
        expected = cv2.merge([cv2.convertScaleAbs(np.ascontiguousarray(img[..., c]), alpha=a) for c in range(3)])
        assert np.array_equal(cv2.LUT(img, table), expected)


# ----------------------------------------------------------- JPEG check without a decode
def _jpeg_bytes(**kw) -> bytes:
    import io
    out = io.BytesIO()
    _page().save(out, "JPEG", quality=85, **kw)
    return out.getvalue()


def _dht_counts_at(data: bytes) -> int:
    """Offset of the first Huffman table's 16 code counts (after FF C4, length, class/id)."""
    return data.index(b"\xff\xc4") + 5


@pytest.mark.parametrize("kw", [{}, {"progressive": True}, {"restart_marker_blocks": 4}],
                         ids=["baseline", "progressive", "restart-markers"])
def test_jpeg_markers_complete_says_whole_only_for_a_whole_file(tmp_path, kw):
    from vanban.ocr.inputs import jpeg_markers_complete
    data = _jpeg_bytes(**kw)
    path = tmp_path / "p.jpg"
    path.write_bytes(data)
    assert jpeg_markers_complete(path)
    path.write_bytes(data + b"bytes after the end \xff\xda\x00")  # decoders ignore them
    assert jpeg_markers_complete(path)
    for cut in list(range(2, len(data) - 1, max(1, len(data) // 60))) + [len(data) - 1]:
        path.write_bytes(data[:cut])  # cut short anywhere: never "whole"
        assert not jpeg_markers_complete(path), cut
    mid = len(data) // 2  # a marker damaged into the compressed data
    for marker in (b"\xff\xc4\x00\x03\x00", b"\xff\xc0\x00\x02", b"\xff\xd8"):
        path.write_bytes(data[:mid] + marker + data[mid + len(marker):])
        assert not jpeg_markers_complete(path)
    # a hostile run of fill bytes: read once (a search restarting at each FF never ends)
    end = data.rindex(b"\xff\xd9")
    path.write_bytes(data[:end] + b"\xff" * 3_000_000 + b"\x00" + data[end:])
    assert jpeg_markers_complete(path)
    path.write_bytes(data[:end] + b"\xff" * 3_000_000)
    assert not jpeg_markers_complete(path)


def test_jpeg_padded_past_its_pixels_is_decoded_at_one_eighth_not_scanned(tmp_path, monkeypatch):
    """A JPEG far larger than its pixels (padded with FF 00 pairs, which the marker scan reads
    one by one in Python) is checked by the 1/8 decode instead; a normal one is still scanned."""
    import vanban.ocr.inputs as inputs
    scanned = []
    real = inputs.jpeg_markers_complete
    monkeypatch.setattr(inputs, "jpeg_markers_complete", lambda p: scanned.append(p) or real(p))
    decoded = []
    from PIL.JpegImagePlugin import JpegImageFile
    real_draft = JpegImageFile.draft
    monkeypatch.setattr(JpegImageFile, "draft", lambda self, *a: decoded.append(a) or real_draft(self, *a))
    data = _jpeg_bytes()
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(data)
    open_input(plain)
    assert scanned == [plain] and not decoded
    with Image.open(plain) as img:
        bound = inputs.jpeg_scan_bound(img)
    end = data.rindex(b"\xff\xd9")
    padded = tmp_path / "padded.jpg"
    padded.write_bytes(data[:end] + b"\xff\x00" * (bound // 2 + 1) + data[end:])
    scanned.clear()
    open_input(padded)
    assert scanned == [] and len(decoded) == 1
    assert real(padded)  # its markers are whole: only its size sent it to the decode


def test_damaged_jpeg_fails_alone_with_one_line_whether_checked_or_decoded(tmp_path):
    """A JPEG cut short or with a marker damaged in fails when opened (decoded at 1/8, as
    before); one whose markers are whole but whose Huffman table is bogus passes the marker
    check and fails its page's decode with the same kind of error, the other input read."""
    from vanban.errors import InputFileError
    from vanban.ocr import ocr_inputs
    from vanban.ocr.inputs import jpeg_markers_complete
    data = _jpeg_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[:len(data) * 2 // 3])
    with pytest.raises(InputFileError, match="cannot decode"):
        open_input(cut)
    mid = len(data) // 2
    marker = tmp_path / "marker.jpg"
    marker.write_bytes(data[:mid] + b"\xff\xc4\x00\x03\x00" + data[mid + 5:])
    with pytest.raises(InputFileError, match="cannot decode"):
        open_input(marker)
    bogus = bytearray(data)
    at = _dht_counts_at(data)
    bogus[at:at + 16] = bytes([255] * 16)  # far more codes than a table can hold
    table = tmp_path / "bogus-table.jpg"
    table.write_bytes(bytes(bogus))
    assert jpeg_markers_complete(table)
    sources = open_input(table)  # not decoded when opened
    with pytest.raises(InputFileError, match="cannot decode"):
        sources[0].pixels()
    good = tmp_path / "good.jpg"
    good.write_bytes(data)
    docs, errors = ocr_inputs([table, good], OcrOptions(tables=False))
    assert [Path(d.source).name for d in docs] == ["good.jpg"]
    assert "Ủy ban" in docs[0].pages[0].text or "Kế hoạch" in docs[0].pages[0].text
    assert len(errors) == 1 and isinstance(errors[0], InputFileError)
    assert errors[0].path == str(table) and "cannot decode" in errors[0].message
    assert "\n" not in errors[0].message
