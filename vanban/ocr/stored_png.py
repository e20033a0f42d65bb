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
when ``VANBAN_STORED_PNG=0``, or off Linux (on macOS the two-level namespace would make it
a no-op). It also refuses (:data:`refused` says why, logged at debug level) when tesserocr is
already imported (libtesseract is then bound: it would have no effect) and when tesserocr's
extension does not link the same leptonica as the library: a PyPI wheel bundles its own
libtesseract and leptonica (a ``tesserocr.libs`` folder), and the library would put the
system's leptonica under that Tesseract, an ABI mix. ``scripts/install.sh`` builds it
(``python -m vanban.ocr.stored_png``, which needs a C compiler and leptonica's headers, as
building tesserocr does); without it Tesseract runs as before. ``VANBAN_STORED_PNG_LIBRARY``
names another build of it (the tests use one built in a temporary folder).
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import struct
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).with_name("stored_png.c")
#: Where :func:`build` writes the library by default and :func:`load` looks for it.
LIBRARY = Path(__file__).with_name("libvanban_stored_png.so")

_loaded: ctypes.CDLL | None = None
#: Why :func:`load` last refused to load the library (None: it did not refuse).
refused: str | None = None
_log = logging.getLogger(__name__)


def library_path() -> Path:
    """The library :func:`load` loads: ``VANBAN_STORED_PNG_LIBRARY`` when set, else
    :data:`LIBRARY`."""
    return Path(os.environ.get("VANBAN_STORED_PNG_LIBRARY") or LIBRARY)


def load() -> bool:
    """Load the library into the global symbol scope (once), unless ``VANBAN_STORED_PNG=0``
    or it would be wrong or useless (:data:`refused` then says why); whether it is loaded.
    Call before libtesseract is loaded (importing tesserocr)."""
    global _loaded, refused
    if _loaded is not None:
        return True
    if os.environ.get("VANBAN_STORED_PNG", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    path = library_path()
    if not path.is_file():
        return False
    refused = _refusal(path)
    if refused:
        _log.debug("stored PNG library not loaded: %s", refused)
        return False
    try:
        _loaded = ctypes.CDLL(str(path), mode=os.RTLD_GLOBAL)
    except OSError as err:  # built for another leptonica or machine: Tesseract runs as it is
        refused = f"cannot load {path}: {err}"
        _log.debug("stored PNG library not loaded: %s", refused)
        return False
    return True


def _refusal(library: Path) -> str | None:
    """Why the library must not be loaded in this process (None: it may)."""
    if "tesserocr" in sys.modules:
        return "tesserocr is already imported: libtesseract is bound, the library would do nothing"
    spec = importlib.util.find_spec("tesserocr")
    if spec is None or not spec.origin:
        return "tesserocr is not installed"
    origin = Path(spec.origin)
    package = origin.parent if origin.name.startswith("__init__.") else None
    where = origin.parent.parent if package else origin.parent
    bundled = [*where.glob("tesserocr*.libs"), *(package.glob(".*libs") if package else [])]
    if bundled:
        return (f"tesserocr bundles its own libraries ({bundled[0]}): the library would put "
                "the system's leptonica under its Tesseract")
    extensions = sorted(package.glob("tesserocr*.so")) if package else [origin]
    theirs = _linked(extensions[0]) if extensions else None
    ours = _linked(library)
    if theirs is None or ours is None:
        return "cannot read the libraries tesserocr's extension links"
    needed, search_path = theirs
    tesseract = [n for n in needed if n.startswith("libtesseract")]
    if search_path or any(not n.startswith("libtesseract.so.") for n in tesseract):
        return (f"tesserocr links its own libtesseract ({', '.join(tesseract) or search_path}), "
                "not the system's")
    their_lept = {n for n in needed if n.startswith(("liblept", "libleptonica"))}
    our_lept = {n for n in ours[0] if n.startswith(("liblept", "libleptonica"))}
    if their_lept and their_lept != our_lept:
        return f"tesserocr links {sorted(their_lept)}, the library {sorted(our_lept)}"
    return None


def _linked(path: Path) -> tuple[list[str], str] | None:
    """The DT_NEEDED names and the RPATH/RUNPATH of an ELF64 little-endian shared library
    (None when it is not one or cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data[:6] != b"\x7fELF\x02\x01":
        return None
    try:
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        loads, dynamic = [], None
        for i in range(phnum):
            p_type, _, offset, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", data,
                                                                     phoff + i * phentsize)
            if p_type == 1:  # PT_LOAD
                loads.append((vaddr, offset, filesz))
            elif p_type == 2:  # PT_DYNAMIC
                dynamic = (offset, filesz)
        if dynamic is None:
            return None
        entries = [struct.unpack_from("<qQ", data, dynamic[0] + i)
                   for i in range(0, dynamic[1], 16)]
        strtab = next(v for tag, v in entries if tag == 5)  # DT_STRTAB, an address
        base = next(off + strtab - va for va, off, size in loads if va <= strtab < va + size)

        def name(at: int) -> str:
            return data[base + at:data.index(b"\0", base + at)].decode("utf-8", "replace")
        needed = [name(v) for tag, v in entries if tag == 1]  # DT_NEEDED
        search = ":".join(name(v) for tag, v in entries if tag in (15, 29))  # RPATH, RUNPATH
        return needed, search
    except (struct.error, StopIteration, ValueError):
        return None


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
