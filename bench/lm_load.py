"""Load time of the two shipped n-gram models in fresh processes: from the ``.npz`` (no cache),
the first load with an empty cache (writes the mapped copy), and from the copy.

Each round runs the three kinds once, in that order, in a new temporary cache folder
(``VANBAN_CACHE``); wall and CPU seconds of ``NgramLM.load`` for both models, then of
building the restorer on them, measured inside the child.

    nice python bench/lm_load.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = """
import json, sys, time
from vanban.normalize.lm import DEFAULT_GENERAL_MODEL, DEFAULT_MODEL, NgramLM
cache = {"npz": False, "cold": True, "warm": True}[sys.argv[1]]
w, c = time.perf_counter(), time.process_time()
admin = NgramLM.load(DEFAULT_MODEL, cache=cache)
general = NgramLM.load(DEFAULT_GENERAL_MODEL, cache=cache)
models = (time.perf_counter() - w, time.process_time() - c)
from vanban.normalize.restorer import Restorer, load_default_channel
w, c = time.perf_counter(), time.process_time()
Restorer(admin, load_default_channel(admin), general=general)
print(json.dumps({"models_s": models[0], "models_cpu_s": models[1],
                  "restorer_s": time.perf_counter() - w}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    runs: dict[str, list[dict]] = {"npz": [], "cold": [], "warm": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="vanban-lm-load-") as cache:
            env = {**os.environ, "VANBAN_CACHE": cache}
            for kind in runs:
                out = subprocess.run([sys.executable, "-c", CHILD, kind], env=env, check=True,
                                     capture_output=True, text=True).stdout
                runs[kind].append(json.loads(out))
                print(json.dumps({"kind": kind, **{k: round(v, 3) for k, v in
                                                   runs[kind][-1].items()}}), flush=True)
    print(json.dumps({kind: {key: round(statistics.median(r[key] for r in rs), 3)
                             for key in rs[0]} for kind, rs in runs.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
