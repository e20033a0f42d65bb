"""Tesseract's word images kept as stored PNG: the same words for less CPU (tesserocr engine).

libtesseract (5.x) keeps every word or line image it hands to its LSTM recogniser as a PNG in
memory and decodes it again straight away; leptonica compresses those PNGs at zlib's default
level. On the dev pages zlib's compression was about 7-10% of all the CPU time of `vanban ocr`
(docs/ocr.md, "Speed, round 8"). ``stored_png.c`` is a 40-line shared library that defines
leptonica's ``pixWriteMem``: it asks for zlib level 0 (PNG's stored blocks) on a PNG whose
level the caller did not set and calls leptonica's own function. PNG is lossless at every
level, so the pixels Tesseract reads back, and its words, are the same
(tests/test_stored_png.py compares them).

It works by the dynamic linker's symbol order: loaded with ``RTLD_GLOBAL`` before tesserocr
loads libtesseract, its ``pixWriteMem`` is found first. :func:`load` does that (called by
:class:`vanban.ocr.engine.TesserocrEngine`); it does nothing when the library is not built,
when ``VANBAN_STORED_PNG=0``, or off Linux and macOS. ``scripts/install.sh`` builds it
(``python -m vanban.ocr.stored_png``, which needs a C compiler and leptonica's headers, as
building tesserocr does); without it Tesseract runs as before. ``VANBAN_STORED_PNG_LIBRARY``
names another build of it (the tests use one built in a temporary folder).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).with_name("stored_png.c")
#: Where :func:`build` writes the library by default and :func:`load` looks for it.
LIBRARY = Path(__file__).with_name("libvanban_stored_png.so")

_loaded: ctypes.CDLL | None = None


def library_path() -> Path:
    """The library :func:`load` loads: ``VANBAN_STORED_PNG_LIBRARY`` when set, else
    :data:`LIBRARY`."""
    return Path(os.environ.get("VANBAN_STORED_PNG_LIBRARY") or LIBRARY)


def load() -> bool:
    """Load the library into the global symbol scope (once), unless ``VANBAN_STORED_PNG=0``;
    whether it is loaded. Call before libtesseract is loaded (importing tesserocr)."""
    global _loaded
    if _loaded is not None:
        return True
    if os.environ.get("VANBAN_STORED_PNG", "1") == "0" or not sys.platform.startswith(("linux", "darwin")):
        return False
    path = library_path()
    if not path.is_file():
        return False
    try:
        _loaded = ctypes.CDLL(str(path), mode=os.RTLD_GLOBAL)
    except OSError:  # built for another leptonica or machine: Tesseract runs as it is
        return False
    return True


def stored_count() -> int:
    """PNG images written at level 0 in this process so far (0 when not loaded)."""
    if _loaded is None:
        return 0
    count = _loaded.vanban_stored_png_count
    count.restype = ctypes.c_long
    return int(count())


def build(out: Path = LIBRARY) -> Path:
    """Compile :data:`SOURCE` into ``out`` with the system's C compiler and leptonica's flags
    (pkg-config ``lept``); raises RuntimeError with the compiler's message when it cannot."""
    compiler = next((c for c in (os.environ.get("CC"), "cc", "gcc", "clang") if c and shutil.which(c)),
                    None)
    if compiler is None:
        raise RuntimeError("no C compiler (cc, gcc or clang) found")
    flags = ["-I/usr/include/leptonica", "-llept"]
    if shutil.which("pkg-config"):
        found = subprocess.run(["pkg-config", "--cflags", "--libs", "lept"], capture_output=True,
                               text=True)
        if found.returncode == 0 and found.stdout.strip():
            flags = found.stdout.split()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    cmd = [compiler, "-shared", "-fPIC", "-O2", "-o", str(tmp), str(SOURCE), *flags, "-ldl"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    os.replace(tmp, out)
    return out


def main() -> int:
    """``python -m vanban.ocr.stored_png [OUT]``: build the library (scripts/install.sh)."""
    try:
        out = build(Path(sys.argv[1]) if len(sys.argv) > 1 else LIBRARY)
    except RuntimeError as err:
        print(f"vanban.ocr.stored_png: not built ({err}); Tesseract's word images stay "
              "compressed (same words, more CPU)", file=sys.stderr)
        return 1
    print(f"built {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
