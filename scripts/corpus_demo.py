"""The corpus acceptance run: a batch over the dev scans, the dev plan texts, the legacy dumps
and a folder of bad files; checks every good document is stored once and every bad one is in
the errors table, then re-runs the batch (everything skipped).

    .venv/bin/python scripts/corpus_demo.py [--workdir /tmp/vanban-corpus-demo] [--jobs 2]
                                            [--no-scans]

Needs ../shared/dev (not part of the repository). Prints the summaries, the errors table, the
exit codes and a verdict; exits 0 when every check holds.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanban import settings  # noqa: E402

SHARED = settings.shared_dev_dir()


def make_bad_files(dest: Path) -> list[Path]:
    import pikepdf
    dest.mkdir(parents=True, exist_ok=True)
    corrupt = dest / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nendobj\n%%EO")
    truncated = dest / "truncated-scan.pdf"
    scan_pdfs = sorted((SHARED / "scans").glob("*/*.pdf"))
    if scan_pdfs:  # a real scan cut in half, as an interrupted copy leaves it
        data = scan_pdfs[0].read_bytes()
        truncated.write_bytes(data[: len(data) // 2])
    encrypted = dest / "encrypted.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o-secret", user="u-secret", R=6))
    empty = dest / "empty.pdf"
    empty.write_bytes(b"")
    empty_txt = dest / "empty.txt"
    empty_txt.write_bytes(b"")
    junk = bytes((i * 197 + 11) % 256 for i in range(20000))
    (dest / "junk.jpg").write_bytes(junk)
    (dest / "junk.tif").write_bytes(b"II*\x00" + junk[:5000])
    (dest / "junk.txt").write_bytes(b"\x00" + junk)
    return sorted(p for p in dest.iterdir())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vanban-corpus-demo"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-scans", action="store_true")
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is missing")
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    bad = make_bad_files(args.workdir / "bad")
    good = sorted((SHARED / "plans").glob("*.txt")) + sorted((SHARED / "legacy").glob("*.txt"))
    if not args.no_scans:
        good += sorted((SHARED / "scans").glob("*/*.pdf"))
    db = args.workdir / "corpus.db"
    inputs = [str(SHARED / "plans"), str(SHARED / "legacy"), str(args.workdir / "bad")]
    if not args.no_scans:
        inputs += [str(p) for p in sorted((SHARED / "scans").glob("*/*.pdf"))]
    cmd = [str(ROOT / ".venv" / "bin" / "vanban"), "batch", *inputs, "--db", str(db),
           "--jobs", str(args.jobs)]
    print("$", " ".join(cmd), flush=True)
    first = subprocess.run(cmd)
    print(f"exit code: {first.returncode}", flush=True)
    second = subprocess.run(cmd)
    print(f"re-run exit code: {second.returncode}", flush=True)
    subprocess.run([str(ROOT / ".venv" / "bin" / "vanban"), "query", "--db", str(db), "--kind",
                    "error"])

    sys.path.insert(0, str(ROOT))
    from vanban.corpus import Store
    from vanban.model import file_sha256
    with Store(db, readonly=True) as store:
        stored = store.document_ids()
        errors = {e["path"]: e for e in store.errors()}
        dup_rows = store.conn.execute(
            "SELECT count(*) - count(DISTINCT id) FROM documents").fetchone()[0]
        files = store.conn.execute("SELECT count(*) FROM document_files").fetchone()[0]
        stats = store.stats()
    good_hashes = {file_sha256(p) for p in good}
    checks = {
        "every good document stored once": good_hashes <= stored and dup_rows == 0
        and len(stored) == len(good_hashes),
        "every good file recorded": files == len(good),
        "every bad file in the errors table": {str(p) for p in bad} == set(errors),
        "exit code 3 (some inputs failed)": first.returncode == 3,
        "re-run stores nothing new, same exit code": second.returncode == 3
        and store_count_unchanged(db, len(stored)),
    }
    print(f"\n{len(good)} good files ({len(good_hashes)} distinct contents), {len(bad)} bad files")
    print("table rows:", stats)
    for name, ok in checks.items():
        print(("PASS " if ok else "FAIL ") + name)
    return 0 if all(checks.values()) else 1


def store_count_unchanged(db: Path, expected: int) -> bool:
    from vanban.corpus import Store
    with Store(db, readonly=True) as store:
        return len(store.document_ids()) == expected


if __name__ == "__main__":
    sys.exit(main())
