"""Corpus benchmarks: batch throughput (--jobs 1 vs --jobs 2) and store latency at scale.

    python bench/corpus_bench.py                      # everything, defaults below
    python bench/corpus_bench.py --quick              # short version (2,000 records, plans only)
    python bench/corpus_bench.py --skip-batch --records 10000
    python bench/corpus_bench.py --skip-store --scans # add the dev scans to the batch inputs

Batch: the same inputs (../shared/dev/plans/*.txt and ../shared/dev/legacy/*.eng.txt by
default) are run through ``run_batch`` into fresh databases with jobs=1, then jobs=2, in this
process; documents/min of each and the ratio jobs2/jobs1 are reported (the ratio is what
carries between machines). Store: N synthetic plan records (tests.support.synthetic) are added
one transaction each (insert latency p50/p95), then a fixed list of folded searches and
structured queries is timed (p50/p95). Results are printed as JSON (and written with --json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanban import settings  # noqa: E402
from vanban.corpus import Store, run_batch  # noqa: E402
from tests.support.synthetic import synthetic_record, synthetic_text  # noqa: E402

SHARED = settings.shared_dev_dir()

SEARCHES = ["thu vien", "thư viện", "chuyen doi so", "bảo vệ bí mật nhà nước", "dich benh",
            "đổi mới công nghệ", '"phat trien du lich"', "nong thon moi", "cai cach hanh chinh",
            "208/QĐ-TTg", "ha tang so", "nguon nhan luc", "du lich OR moi truong", "kiem tra*"]
QUERIES = [("task", {"agency": "Sở Tài chính"}), ("task", {"agency": "so y te", "year": 2020}),
           ("target", {"year": 2030}), ("document", {"province": "dong thap"}),
           ("document", {"cites": "208/QĐ-TTg"}), ("objective", {"doc_type": "Kế hoạch",
                                                                 "year": 2024})]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(results: dict, json_path: Path | None) -> None:
    """Print the results as JSON, and write them to ``json_path`` too when given."""
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if json_path:
        json_path.write_text(text + "\n", encoding="utf-8")


def ms_stats(samples: list[float]) -> dict:
    return {"n": len(samples), "p50_ms": round(1000 * percentile(samples, 0.5), 3),
            "p95_ms": round(1000 * percentile(samples, 0.95), 3),
            "mean_ms": round(1000 * statistics.fmean(samples), 3) if samples else None}


def bench_batch(inputs: list[Path], jobs_list: list[int]) -> dict:
    out: dict = {"inputs": len(inputs), "cpus": os.cpu_count(), "runs": {}}
    for jobs in jobs_list:
        with tempfile.TemporaryDirectory() as tmp:
            summary = run_batch(inputs, Path(tmp) / "bench.db", jobs=jobs, progress=False,
                                log=lambda line: None)
        out["runs"][f"jobs{jobs}"] = {
            "seconds": round(summary.seconds, 2), "stored": summary.stored,
            "failed": summary.failed, "pages": summary.pages,
            "docs_per_min": round(summary.docs_per_minute, 1),
            # busy = summed per-document pipeline time / (jobs x wall time): how much of the
            # workers' capacity went into documents (low on a machine shared with other work)
            "worker_seconds": round(summary.worker_seconds, 2),
            "busy": round(summary.worker_seconds / (jobs * summary.seconds), 2),
            "load_average_after": round(os.getloadavg()[0], 2)}
        print(f"batch jobs={jobs}: {summary.stored} stored, {summary.failed} failed in "
              f"{summary.seconds:.1f} s = {summary.docs_per_minute:.1f} documents/min "
              f"(per-document time summed {summary.worker_seconds:.1f} s, load average "
              f"{os.getloadavg()[0]:.1f})", file=sys.stderr)
    runs = out["runs"]
    if "jobs1" in runs and "jobs2" in runs and runs["jobs1"]["docs_per_min"]:
        out["speedup_jobs2_over_jobs1"] = round(runs["jobs2"]["docs_per_min"]
                                                / runs["jobs1"]["docs_per_min"], 2)
    return out


def bench_store(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.db"
        records = [synthetic_record(i) for i in range(n)]
        texts = [synthetic_text(r) for r in records]
        insert: list[float] = []
        with Store(db) as store:
            t0 = time.perf_counter()
            for rec, text in zip(records, texts):
                t = time.perf_counter()
                store.add(rec, text=text)
                insert.append(time.perf_counter() - t)
            total = time.perf_counter() - t0
            search: list[float] = []
            hits = []
            for _ in range(5):
                for q in SEARCHES:
                    t = time.perf_counter()
                    hits.append(len(store.search(q, limit=20)))
                    search.append(time.perf_counter() - t)
            query: list[float] = []
            rows = []
            for _ in range(5):
                for kind, filters in QUERIES:
                    t = time.perf_counter()
                    rows.append(len(store.query(kind, limit=100, **filters)))
                    query.append(time.perf_counter() - t)
            stats = store.stats()
        size = db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob("store.db-*"))
    result = {"records": n, "insert": ms_stats(insert),
              "insert_records_per_s": round(n / total, 1), "search": ms_stats(search),
              "search_mean_hits": round(statistics.fmean(hits), 1), "query": ms_stats(query),
              "query_mean_rows": round(statistics.fmean(rows), 1), "db_mb": round(size / 2**20, 1),
              "rows": stats}
    print(f"store at {n} records: insert p50 {result['insert']['p50_ms']} ms p95 "
          f"{result['insert']['p95_ms']} ms; search p50 {result['search']['p50_ms']} ms p95 "
          f"{result['search']['p95_ms']} ms; query p50 {result['query']['p50_ms']} ms p95 "
          f"{result['query']['p95_ms']} ms; {result['db_mb']} MB", file=sys.stderr)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="2,000 records, plan texts only")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--skip-store", action="store_true")
    ap.add_argument("--scans", action="store_true", help="also batch ../shared/dev/scans PDFs")
    ap.add_argument("--inputs", nargs="*", type=Path, help="batch these instead")
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args()
    results: dict = {}
    if not args.skip_batch:
        if args.inputs:
            inputs = list(args.inputs)
        else:
            inputs = sorted((SHARED / "plans").glob("*.txt"))
            if not args.quick:
                inputs += sorted((SHARED / "legacy").glob("*.eng.txt"))
            if args.scans:
                inputs += sorted((SHARED / "scans").glob("*/*.pdf"))
        if not inputs:
            sys.exit("no batch inputs (../shared/dev is missing); use --inputs or --skip-batch")
        results["batch"] = bench_batch(inputs, args.jobs)
    if not args.skip_store:
        results["store"] = bench_store(2000 if args.quick and args.records == 10_000
                                       else args.records)
    report(results, args.json)


if __name__ == "__main__":
    main()
