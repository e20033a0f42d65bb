"""Web view latency at scale: search pages and API queries over N synthetic records.

    python bench/web_bench.py                       # 10,000 records, 5 rounds
    python bench/web_bench.py --records 2000 --rounds 3
    python bench/web_bench.py --db big.db           # reuse a store built before (kept)

N synthetic plan records (tests.support.synthetic) are stored one transaction each, the web
application (vanban.web.create_app) is served by uvicorn on a loopback port in this process,
and each URL below is fetched over one keep-alive HTTP connection, ROUNDS times; p50/p95 of
the whole request (client side: routing, SQL, templates, JSON, the socket) are reported. As a
baseline the store's own ranked search (Store.search, 20 hits) is timed in the same process on
the same queries; the ratio web/store is what carries between machines. JSON on stdout (and
with --json).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanban.corpus import Store  # noqa: E402
from tests.support.synthetic import synthetic_record, synthetic_text  # noqa: E402
from corpus_bench import percentile, report  # noqa: E402  (bench/, beside this script)

SEARCHES = ["thu vien", "thư viện", "chuyen doi so", "bảo vệ bí mật nhà nước", "dich benh",
            "đổi mới công nghệ", '"phat trien du lich"', "nong thon moi", "cai cach hanh chinh",
            "208/QĐ-TTg", "ha tang so", "nguon nhan luc", "du lich OR moi truong", "kiem tra*"]
#: Search pages with a facet filter, as an analyst clicks them.
FACETED = [("thu vien", "province=Nghệ An"), ("chuyen doi so", "year=2020"),
           ("dich benh", "kind=Chỉ thị"), ("cai cach hanh chinh", "agency=so tai chinh")]
TASK_QUERIES = ["agency=Sở Tài chính", "agency=so y te&year=2020", "province=dong thap",
                "agency=so noi vu&province=nghe an&year=2024", "year=2019", ""]
OBJECTIVE_QUERIES = ["province=ha tinh", "target_year=2030", "agency=so xay dung&year=2022"]


def ms_stats(samples: list[float]) -> dict:
    return {"n": len(samples), "p50_ms": round(1000 * percentile(samples, 0.5), 2),
            "p95_ms": round(1000 * percentile(samples, 0.95), 2),
            "max_ms": round(1000 * max(samples), 2),
            "mean_ms": round(1000 * statistics.fmean(samples), 2)}


def build_store(db: Path, n: int) -> float:
    t0 = time.perf_counter()
    with Store(db) as store:
        for i in range(n):
            rec = synthetic_record(i)
            store.add(rec, text=synthetic_text(rec))
    return time.perf_counter() - t0


def _q(params: str) -> str:
    return "&".join(quote(k) + "=" + quote(v) for k, v in
                    (p.split("=", 1) for p in params.split("&") if p))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", type=Path, help="use (or build, then keep) this store")
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "web.db"
    built = None
    if not db.exists():
        built = round(build_store(db, args.records), 1)
        print(f"stored {args.records} synthetic records in {built} s", file=sys.stderr)
    with Store(db, readonly=True) as store:
        n_docs = store.stats()["documents"]

    import uvicorn
    from vanban.web import create_app
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def fetch(path: str) -> tuple[float, int]:
        t = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        elapsed = time.perf_counter() - t
        if resp.status != 200:
            raise SystemExit(f"{path}: HTTP {resp.status}: {body[:200]!r}")
        return elapsed, len(body)

    groups = {
        "search_page": [f"/search?q={quote(q)}" for q in SEARCHES],
        "search_page_faceted": [f"/search?q={quote(q)}&{_q(f)}" for q, f in FACETED],
        "api_search": [f"/api/search?q={quote(q)}" for q in SEARCHES],
        "api_tasks": [f"/api/tasks?{_q(p)}" for p in TASK_QUERIES],
        "api_objectives": [f"/api/objectives?{_q(p)}" for p in OBJECTIVE_QUERIES],
        "documents_page": ["/documents", f"/documents?{_q('province=Đồng Tháp')}",
                           f"/documents?{_q('agency=so y te&year=2021')}"],
        "overview_page": ["/"],
    }
    for paths in groups.values():  # warm-up: first use of each statement, page cache
        for path in paths:
            fetch(path)
    results: dict = {"records": n_docs, "rounds": args.rounds, "store_build_s": built,
                     "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()[0]}
    for name, paths in groups.items():
        samples = [fetch(path)[0] for _ in range(args.rounds) for path in paths]
        results[name] = ms_stats(samples)
    baseline = []
    with Store(db, readonly=True) as store:
        for q in SEARCHES:
            store.search(q, limit=20)
        for _ in range(args.rounds):
            for q in SEARCHES:
                t = time.perf_counter()
                store.search(q, limit=20)
                baseline.append(time.perf_counter() - t)
    results["store_search_baseline"] = ms_stats(baseline)
    base = results["store_search_baseline"]["p95_ms"]
    for name in ("search_page", "api_search", "api_tasks"):
        results[f"ratio_{name}_p95_to_store_search_p95"] = round(
            results[name]["p95_ms"] / base, 2)
    results["load_average_at_end"] = os.getloadavg()[0]
    server.should_exit = True
    thread.join(timeout=10)
    conn.close()
    tmp.cleanup()
    report(results, args.json)


if __name__ == "__main__":
    main()
