#!/usr/bin/env python3
"""Memory and speed of `vanban restore` on a huge text, against the in-memory path.

    nice -n 19 python bench/restore_memory_bench.py [--mb 50] [--small-mb 1]

Text: the fixture plans (tests/fixtures), stripped of diacritics and repeated to the size
asked (a restoration job: auto mode finds "stripped"). Two child processes, one core each:

- in-memory: ``vanban.normalize.restore_text`` on the whole small text (the path `restore`
  took for every input before it was streamed);
- streamed: the ``vanban restore FILE -o OUT`` command on the big text (read, restored piece
  by piece, written as it goes).

Reports characters per CPU second of each (CPU time, so that other work on a shared machine
does not skew the ratio) and their ratio (streamed / in-memory), and the peak
resident memory (RSS) of each process, which must stay under 1 GB for the big text.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, resource, sys, time
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
sys.path.insert(0, sys.argv[1])
kind, path, out, pieces = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
from vanban.normalize import preload
preload()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t, cpu = time.perf_counter(), time.process_time()
if kind == "in-memory":
    from vanban.normalize import restore_text
    text = open(path, encoding="utf-8").read()
    n = len(text)
    restore_text(text, "auto", with_confidence=False)
elif pieces:  # the command's path (read, decode, stream), stopped after some pieces
    from vanban.pipeline import read_text_source, restore_stream
    text = read_text_source(path)[0]
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for i, (length, result) in enumerate(restore_stream(text, "auto")):
            f.write(result.text)
            n += length
            if i + 1 >= pieces:
                break
else:
    from click.testing import CliRunner
    from vanban.cli import main
    n = len(open(path, encoding="utf-8").read())
    result = CliRunner().invoke(main, ["restore", path, "-o", out, "--no-progress"])
    assert result.exit_code == 0, result.output
seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
print(json.dumps({"chars": n, "seconds": seconds, "cpu_seconds": cpu, "model_rss_mb": base / 1024,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_text(path: Path, megabytes: float) -> None:
    sys.path.insert(0, str(ROOT))
    from vanban.normalize import strip_diacritics
    plans = sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
    unit = strip_diacritics("\n\n".join(p.read_text(encoding="utf-8") for p in plans
                                        if ".legacy." not in p.name)) + "\n\n"
    target = int(megabytes * 1_000_000)
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        while written < target:
            f.write(unit)
            written += len(unit.encode("utf-8"))


def child(kind: str, text: Path, out: Path, pieces: int = 0) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), kind, str(text), str(out),
                           str(pieces)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="size of the big text (MB)")
    ap.add_argument("--small-mb", type=float, default=1.0,
                    help="size of the text of the in-memory run (MB)")
    ap.add_argument("--pieces", type=int, default=0,
                    help="stop the streamed run after this many pieces (200,000 characters "
                    "each) of the big text: the whole text is still read and decoded, so the "
                    "peak memory is that of the big text; the throughput that of the pieces "
                    "done [default: 0, the whole text]")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as tmp:
        small, big = Path(tmp) / "small.txt", Path(tmp) / "big.txt"
        make_text(small, args.small_mb)
        make_text(big, args.mb)
        t = time.perf_counter()
        rows = {"in-memory": child("in-memory", small, Path(tmp) / "small.out"),
                "streamed": child("streamed", big, Path(tmp) / "big.out", args.pieces)}
        if not args.pieces:
            assert (Path(tmp) / "big.out").stat().st_size >= big.stat().st_size * 0.99
        rows["streamed"]["input_mb"] = big.stat().st_size / 1e6
    for name, r in rows.items():
        r["chars_per_s"] = r["chars"] / r["cpu_seconds"]
        print(f"{name:10s} {r['chars'] / 1e6:7.2f} M chars  {r['seconds']:8.1f} s wall "
              f"{r['cpu_seconds']:8.1f} s CPU  {r['chars_per_s']:9.0f} chars/CPU-s  "
              f"peak RSS {r['peak_rss_mb']:7.1f} MB (models loaded: {r['model_rss_mb']:.1f} MB)")
    ratio = rows["streamed"]["chars_per_s"] / rows["in-memory"]["chars_per_s"]
    print(f"throughput streamed / in-memory: {ratio:.2f}")
    print(f"streamed input: {rows['streamed']['input_mb']:.1f} MB"
          + (f", stopped after {args.pieces} pieces" if args.pieces else ", restored whole"))
    print(f"streamed peak RSS under 1 GB: {rows['streamed']['peak_rss_mb'] < 1024} "
          f"(bench wall time {time.perf_counter() - t:.0f} s)")


if __name__ == "__main__":
    main()
