#!/usr/bin/env bash
# Installs everything vanban needs on a fresh Debian machine, as root:
# Tesseract with the Vietnamese and English models, poppler, the fonts the tests and the
# sample renderer use, Chromium and its WebDriver (the web view's browser tests), then a
# virtualenv in .venv with the package and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need_apt=0
for bin in tesseract pdftoppm qpdf chromium chromedriver; do command -v "$bin" >/dev/null || need_apt=1; done
# fonts-liberation2: the 2.x Liberation fonts, which (unlike 1.x) have the Vietnamese letters
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need_apt=1
[ -d /usr/share/tesseract-ocr/5/tessdata ] && ls /usr/share/tesseract-ocr/5/tessdata/vie.traineddata >/dev/null 2>&1 || need_apt=1
if [ "$need_apt" = 1 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils qpdf \
    fonts-liberation fonts-liberation2 fonts-dejavu-core python3-venv \
    chromium chromium-driver >/dev/null
fi
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e '.[test]'
