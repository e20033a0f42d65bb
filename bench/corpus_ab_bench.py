"""Corpus A/B benchmark: this checkout against a baseline commit, same machine, same run.

    python bench/corpus_ab_bench.py                          # store, baseline 1bf614c
    python bench/corpus_ab_bench.py --baseline main --records 5000
    python bench/corpus_ab_bench.py --batch --rounds 2       # also whole batches

On a shared machine single timings swing by 2x; what carries is the ratio of two runs made
alternately. The baseline's ``vanban`` package is taken from git (``git archive``) into a
temporary folder.

Store (one process): the baseline is imported as ``vanban_baseline`` next to this checkout's
``vanban``; the same synthetic records are added to one fresh store of each, alternately record
by record, then the same searches and queries (those of bench/corpus_bench.py) are run
alternately. Reported: summed seconds and p50 of each side, ratio this/baseline, and whether
both stores gave the same hits and rows.

Batch (``--batch``): ``run_batch`` over the same inputs (../shared/dev plans and legacy dumps by
default) in a fresh interpreter per run, baseline and this checkout alternately, ``--rounds``
times for each of ``--jobs``; wall seconds per run, medians and their ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus_bench import QUERIES, SEARCHES, SHARED  # noqa: E402


def extract_baseline(ref: str, into: Path, package: str) -> Path:
    """The baseline's ``vanban`` folder, written to ``into/<package>``."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "vanban"],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into / "_archive", filter="data")
    shutil.move(str(into / "_archive" / "vanban"), str(into / package))
    return into / package


def synthetic():
    try:
        from tests.support.synthetic import synthetic_record, synthetic_text
    except ImportError:  # before the test-support move
        from vanban.corpus.synthetic import synthetic_record, synthetic_text
    return synthetic_record, synthetic_text


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def side_stats(samples: list[float]) -> dict:
    return {"sum_s": round(sum(samples), 3), "p50_ms": round(1000 * statistics.median(samples), 3)}


def compare(base: list[float], this: list[float]) -> dict:
    return {"baseline": side_stats(base), "this": side_stats(this),
            "ratio_sum": round(sum(this) / sum(base), 3),
            "ratio_p50": round(statistics.median(this) / statistics.median(base), 3)}


def bench_store(ref: str, n: int) -> dict:
    synthetic_record, synthetic_text = synthetic()
    records = [synthetic_record(i) for i in range(n)]
    texts = [synthetic_text(r) for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        extract_baseline(ref, tmp, "vanban_baseline")
        sys.path.insert(0, str(tmp))
        import vanban_baseline.corpus as baseline
        import vanban.corpus as this
        stores = [baseline.Store(tmp / "baseline.db"), this.Store(tmp / "this.db")]
        insert: list[list[float]] = [[], []]
        for i, (rec, text) in enumerate(zip(records, texts)):
            for side in ((0, 1) if i % 2 == 0 else (1, 0)):  # neither side always goes first
                insert[side].append(timed(stores[side].add, rec, text=text)[1])
        search, hits = [[], []], [[], []]
        query, rows = [[], []], [[], []]
        for r in range(5):
            order = (0, 1) if r % 2 == 0 else (1, 0)
            for q in SEARCHES:
                for side in order:
                    found, seconds = timed(stores[side].search, q, limit=20)
                    search[side].append(seconds)
                    hits[side].append([(h["document_id"], h["kind"], h["ref"]) for h in found])
            for kind, filters in QUERIES:
                for side in order:
                    got, seconds = timed(stores[side].query, kind, limit=100, **filters)
                    query[side].append(seconds)
                    rows[side].append(got)
        for store in stores:
            store.close()
        sys.path.remove(str(tmp))
    result = {"records": n, "baseline": ref, "same_results": hits[0] == hits[1] and rows[0] == rows[1],
              "insert": compare(*insert), "search": compare(*search), "query": compare(*query)}
    for name in ("insert", "search", "query"):
        c = result[name]
        print(f"store {name}: this/baseline {c['ratio_sum']} (sum), {c['ratio_p50']} (p50)",
              file=sys.stderr)
    return result


_ONE_BATCH = """
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from vanban.corpus import run_batch
inputs = [Path(p) for p in json.loads(sys.argv[3])]
with tempfile.TemporaryDirectory() as tmp:
    s = run_batch(inputs, Path(tmp) / "b.db", jobs=int(sys.argv[2]), progress=False,
                  log=lambda line: None)
print(json.dumps({"stored": s.stored, "failed": s.failed, "seconds": s.seconds}))
"""


def bench_batch(ref: str, inputs: list[Path], jobs_list: list[int], rounds: int) -> dict:
    out: dict = {"inputs": len(inputs), "baseline": ref}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        extract_baseline(ref, tmp, "vanban")
        roots = {"baseline": str(tmp), "this": str(ROOT)}
        for jobs in jobs_list:
            runs: dict[str, list[float]] = {"baseline": [], "this": []}
            counts = {}
            for r in range(rounds):
                for side in (("baseline", "this") if r % 2 == 0 else ("this", "baseline")):
                    proc = subprocess.run(
                        [sys.executable, "-c", _ONE_BATCH, roots[side], str(jobs),
                         json.dumps([str(p) for p in inputs])],
                        capture_output=True, text=True, check=True, cwd=tmp,
                        env={**os.environ, "PYTHONPATH": ""})
                    res = json.loads(proc.stdout.strip().splitlines()[-1])
                    runs[side].append(res["seconds"])
                    counts[side] = (res["stored"], res["failed"])
                    print(f"batch jobs={jobs} {side}: {res['seconds']:.1f} s", file=sys.stderr)
            base, this = statistics.median(runs["baseline"]), statistics.median(runs["this"])
            out[f"jobs{jobs}"] = {"seconds": runs, "same_counts": counts["baseline"] == counts["this"],
                                  "ratio_median": round(this / base, 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", default="1bf614c", help="git ref of the baseline")
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--skip-store", action="store_true")
    ap.add_argument("--batch", action="store_true", help="also compare whole batches")
    ap.add_argument("--inputs", nargs="*", type=Path, help="batch these instead")
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args()
    results: dict = {}
    if not args.skip_store:
        results["store"] = bench_store(args.baseline, args.records)
    if args.batch:
        inputs = list(args.inputs or []) or (sorted((SHARED / "plans").glob("*.txt"))
                                             + sorted((SHARED / "legacy").glob("*.eng.txt")))
        if not inputs:
            sys.exit("no batch inputs (../shared/dev is missing); use --inputs")
        results["batch"] = bench_batch(args.baseline, inputs, args.jobs, args.rounds)
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
