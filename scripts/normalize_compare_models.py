#!/usr/bin/env python3
"""Compare two normalize model files (LM or legacy channel ``.npz``) array by array.

For a change to the trainer that must not change what it builds: train a small model with the
code before and after (the same corpus, e.g. ``train_lm(corpus, out, max_chars=1_500_000)``)
and compare. Prints each array that differs and the ``meta`` keys that differ; exits 1 when
an array differs (``meta`` alone does not count: it records how a file was built).

    python scripts/normalize_compare_models.py before.npz after.npz
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def compare(a_path: str, b_path: str) -> tuple[list[str], dict]:
    """(names of the arrays that differ or exist in one file only, meta differences)."""
    with np.load(a_path, allow_pickle=False) as a, np.load(b_path, allow_pickle=False) as b:
        names = sorted(set(a.files) | set(b.files))
        differ = [n for n in names if n != "meta" and (
            n not in a.files or n not in b.files
            or a[n].shape != b[n].shape or not np.array_equal(a[n], b[n]))]
        meta_a = json.loads(str(a["meta"][()])) if "meta" in a.files else {}
        meta_b = json.loads(str(b["meta"][()])) if "meta" in b.files else {}
    meta = {k: (meta_a.get(k), meta_b.get(k)) for k in sorted(set(meta_a) | set(meta_b))
            if meta_a.get(k) != meta_b.get(k)}
    return differ, meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    args = ap.parse_args()
    try:
        differ, meta = compare(args.before, args.after)
    except (OSError, ValueError) as err:
        sys.exit(f"normalize_compare_models: {err}")
    print("arrays that differ:", ", ".join(differ) or "none")
    for key, (x, y) in meta.items():
        print(f"meta {key}: {x!r} -> {y!r}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
