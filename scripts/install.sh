#!/usr/bin/env bash
# Installs everything vanban needs on a fresh Debian machine, as root:
# Tesseract with the Vietnamese and English models and libtesseract's headers (tesserocr, the
# default OCR engine, is built against the system's libtesseract, so that it reads exactly as
# the `tesseract` program does: the PyPI wheel bundles another Tesseract version, which reads
# differently), poppler, Ghostscript (OCRmyPDF's PDF/A fallback when it runs on its own), the
# fonts the tests and the sample renderer use, Chromium and its WebDriver (the web view's
# browser tests), then a virtualenv in .venv with the package and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need_apt=0
for bin in tesseract pdftoppm qpdf gs chromium chromedriver; do command -v "$bin" >/dev/null || need_apt=1; done
# fonts-liberation2: the 2.x Liberation fonts, which (unlike 1.x) have the Vietnamese letters
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need_apt=1
# building tesserocr: libtesseract's and leptonica's headers, a C++ compiler, Python's headers
pkg-config --exists tesseract lept 2>/dev/null && command -v g++ >/dev/null || need_apt=1
"${PYTHON:-python3}" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' || need_apt=1
[ -d /usr/share/tesseract-ocr/5/tessdata ] && ls /usr/share/tesseract-ocr/5/tessdata/vie.traineddata >/dev/null 2>&1 || need_apt=1
if [ "$need_apt" = 1 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd \
    libtesseract-dev libleptonica-dev pkg-config g++ python3-dev poppler-utils qpdf ghostscript \
    fonts-liberation fonts-liberation2 fonts-dejavu-core python3-venv \
    chromium chromium-driver >/dev/null
fi
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q --no-binary tesserocr 'tesserocr>=2.6'
.venv/bin/pip install -q -e '.[test]'
# A tesserocr installed earlier from the PyPI wheel runs its own Tesseract: rebuild it.
system_tesseract=$(tesseract --version 2>&1 | head -1 | awk '{print $2}')
venv_tesseract=$(.venv/bin/python -c 'import tesserocr; print(tesserocr.PyTessBaseAPI.Version())' 2>/dev/null || true)
if [ "$venv_tesseract" != "$system_tesseract" ]; then
  .venv/bin/pip install -q --force-reinstall --no-deps --no-binary tesserocr 'tesserocr>=2.6'
fi
# libtesseract's word images as stored PNG (vanban/ocr/stored_png.py: same words, less CPU);
# not built (no C compiler), Tesseract runs as before.
.venv/bin/python -m vanban.ocr.stored_png || true
