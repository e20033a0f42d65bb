"""Page pixels as OCR reads them (``PageSource.pixels``: OpenCV straight into an array where the
file allows it) are the pixels of the PIL image ``PageSource.load`` gives, for every kind of
input, so that the faster loading cannot change what is read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vanban.ocr import OcrOptions, ocr_image
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
    pdf_path = d / "scan.pdf"
    _page().save(pdf_path, resolution=150)
    made["scan.pdf"] = pdf_path
    return made


@pytest.mark.parametrize("name", ["rgb.jpg", "gray.jpg", "rgb.png", "gray.png", "palette.png",
                                  "cmyk.jpg", "exif-turned.jpg", "scan.pdf"])
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
        assert direct == (name in ("rgb.jpg", "gray.jpg", "rgb.png", "gray.png"))


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
