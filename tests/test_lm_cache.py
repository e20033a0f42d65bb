"""The cached uncompressed copy of the n-gram models (vanban.normalize.lm): made on the first
load, mapped on the next ones, the same model either way; safe when two processes make it at
once, silently skipped when the cache folder cannot be written, never used for a changed
model file. Small models are written here; one test uses the model shipped in vanban/data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vanban.normalize import lm as lm_mod
from vanban.normalize.lm import DEFAULT_MODEL, NgramLM, cached_copy_path, write_cached_copy


def _tiny_model(path: Path, seed: int, order: int = 3) -> Path:
    """A small model file in the shipped format (plain key tables, case counts, a lexicon
    table of each kind: pairs and a 0-d text)."""
    rng = np.random.default_rng(seed)
    vocab = ["<unk>", "<s>", "<num>"] + [f"từ{seed}-{i}" for i in range(40)]
    arrays = {"vocab": np.array("\n".join(vocab)), "counts": rng.integers(1, 99, len(vocab)),
              "meta": np.array(json.dumps({"smoothing": "kn", "order": order})),
              "unigram_cost": rng.random(len(vocab)).astype(np.float32) * 9,
              "bow1": rng.random(len(vocab)).astype(np.float32),
              "title_counts": rng.integers(0, 5, len(vocab)),
              "inside_counts": rng.integers(5, 50, len(vocab)),
              "lex_word_pairs": np.unique(rng.integers(0, 2**40, 30, dtype=np.uint64)),
              "lex_provinces": np.array("An Giang\nBà Rịa Vũng Tàu\nHà Nội")}
    for n in range(2, order + 1):
        keys = np.unique(rng.integers(0, 2**32, 300 * n, dtype=np.uint64).astype(np.uint32))
        arrays[f"keys{n}"] = keys
        arrays[f"scores{n}"] = rng.integers(0, 255, keys.size, dtype=np.uint8)
        arrays[f"bows{n}"] = rng.integers(0, 255, keys.size, dtype=np.uint8)
    np.savez_compressed(path, **arrays)
    return path


def _same_model(a: NgramLM, b: NgramLM) -> None:
    assert a.vocab == b.vocab and a.index == b.index and a.order == b.order
    for name in ("counts", "unigram", "bow1", "title_cost", "lower_cost"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name
    for name in ("keys", "scores", "bows", "_starts"):
        for x, y in zip(getattr(a, name), getattr(b, name), strict=True):
            assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name
    assert a._shift == b._shift
    assert (a.lexicon or {}).keys() == (b.lexicon or {}).keys()
    for k, x in (a.lexicon or {}).items():
        y = b.lexicon[k]
        assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), k


def _cache_files(cache: Path) -> list[str]:
    folder = cache / "lm"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("VANBAN_CACHE", str(folder))
    return folder


def test_first_load_writes_the_copy_and_the_next_maps_it(tmp_path, cache, monkeypatch):
    path = _tiny_model(tmp_path / "m.npz", seed=1)
    plain = NgramLM.load(path, cache=False)
    assert _cache_files(cache) == []
    first = NgramLM.load(path, cache=True)
    _same_model(plain, first)
    copy = cached_copy_path(path)
    assert _cache_files(cache) == [copy.name]   # one file, no temporary left
    # The next load reads the copy, not the model file: with the .npz reader broken it
    # still loads, the same model, its tables mapped read-only from the copy.
    monkeypatch.setattr(NgramLM, "load_npz", classmethod(lambda cls, p: pytest.fail("read")))
    again = NgramLM.load(path, cache=True)
    _same_model(plain, again)
    assert not again.keys[2].flags.writeable and not again.counts.flags.writeable
    history = np.array([[5, 6], [0, 7], [8, 9]])
    words = np.array([10, 11, 0])
    assert np.array_equal(plain.cost(history, words), again.cost(history, words))


def test_only_the_shipped_models_are_cached_by_default(tmp_path, cache):
    path = _tiny_model(tmp_path / "vi_syllable_lm.npz", seed=7)
    NgramLM.load(path)                           # a model trained elsewhere: not cached
    assert _cache_files(cache) == []
    NgramLM.load(DEFAULT_MODEL)
    assert _cache_files(cache) == [cached_copy_path(DEFAULT_MODEL).name]


def test_the_shipped_model_restores_the_same_from_its_copy(cache):
    from vanban.normalize import Restorer
    from vanban.text import strip_diacritics
    plain = NgramLM.load(DEFAULT_MODEL, cache=False)
    NgramLM.load(DEFAULT_MODEL)                  # writes the copy
    mapped = NgramLM.load(DEFAULT_MODEL)         # reads it
    assert not mapped.keys[3].flags.writeable
    _same_model(plain, mapped)
    text = strip_diacritics("Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan "
                            "tham mưu bố trí kinh phí thực hiện Kế hoạch năm 2026.")
    a = Restorer(plain).restore(text, "stripped", with_confidence=True)
    b = Restorer(mapped).restore(text, "stripped", with_confidence=True)
    assert a.text == b.text and a.changes == b.changes


_LOAD_AND_DIGEST = """
import hashlib, sys
from vanban.normalize.lm import NgramLM
lm = NgramLM.load(sys.argv[1], cache=True)
h = hashlib.sha256("\\n".join(lm.vocab).encode())
for a in [lm.counts, lm.unigram, *lm.keys, *lm.scores, *lm.bows, *lm._starts]:
    h.update(a.tobytes())
print(h.hexdigest(), lm.keys[2].flags.writeable)
"""


def test_processes_making_the_copy_at_once_all_get_the_model(tmp_path, cache):
    path = _tiny_model(tmp_path / "m.npz", seed=2, order=4)
    env = {**os.environ, "VANBAN_CACHE": str(cache)}
    procs = [subprocess.Popen([sys.executable, "-c", _LOAD_AND_DIGEST, str(path)], env=env,
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    digests = {o[0] for o in outs}
    assert len(digests) == 1
    # ... the digest of the model file itself, read without the cache
    (tmp_path / "file").write_text("not a folder")
    plain = subprocess.run([sys.executable, "-c", _LOAD_AND_DIGEST, str(path)], check=True,
                           env={**env, "VANBAN_CACHE": str(tmp_path / "file" / "x")},
                           stdout=subprocess.PIPE, text=True).stdout.split()
    assert digests == {plain[0]}
    assert _cache_files(cache) == [cached_copy_path(path).name]
    # A copy written again while another reader has the first one mapped: the reader keeps a
    # whole model (the new file replaces the name, not the bytes it maps).
    reader = NgramLM.load(path, cache=True)
    assert write_cached_copy(NgramLM.load(path, cache=False), cached_copy_path(path))
    _same_model(NgramLM.load(path, cache=False), reader)
    _same_model(reader, NgramLM.load(path, cache=True))
    assert _cache_files(cache) == [cached_copy_path(path).name]


def test_an_unwritable_cache_folder_falls_back_to_the_model_file(tmp_path, monkeypatch):
    path = _tiny_model(tmp_path / "m.npz", seed=3)
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("VANBAN_CACHE", str(blocker / "cache"))
    lm = NgramLM.load(path, cache=True)          # no error, no copy
    _same_model(NgramLM.load(path, cache=False), lm)
    assert lm.keys[2].flags.writeable            # read from the .npz
    assert not write_cached_copy(lm, cached_copy_path(path))
    assert blocker.read_text().startswith("a file")


def test_a_changed_model_file_never_reads_the_old_copy(tmp_path, cache):
    path = tmp_path / "m.npz"
    _tiny_model(path, seed=4)
    old = NgramLM.load(path, cache=True)
    NgramLM.load(path, cache=True)
    stat = path.stat()
    _tiny_model(path, seed=5)                    # new content, same name, size class, mtime
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    new = NgramLM.load(path, cache=True)
    assert new.vocab != old.vocab
    assert _cache_files(cache) == [cached_copy_path(path).name]   # the old copy removed
    _same_model(NgramLM.load(path, cache=False), new)
    _same_model(NgramLM.load(path, cache=False), NgramLM.load(path, cache=True))


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "old format"])
def test_a_damaged_copy_is_ignored_and_written_again(tmp_path, cache, damage, monkeypatch):
    path = _tiny_model(tmp_path / "m.npz", seed=6)
    NgramLM.load(path, cache=True)
    copy = cached_copy_path(path)
    data = copy.read_bytes()
    if damage == "truncate":
        copy.write_bytes(data[:len(data) // 2])
    elif damage == "empty":
        copy.write_bytes(b"")
    elif damage == "garbage":
        copy.write_bytes(b"\0" * len(data))
    else:
        monkeypatch.setattr(lm_mod, "CACHE_FORMAT", lm_mod.CACHE_FORMAT + 1)
        copy = cached_copy_path(path)
        copy.write_bytes(data)                   # a copy whose header says the old format
    lm = NgramLM.load(path, cache=True)
    _same_model(NgramLM.load(path, cache=False), lm)
    mapped = NgramLM.load(path, cache=True)
    assert not mapped.keys[2].flags.writeable
    _same_model(lm, mapped)


def test_a_writer_killed_halfway_leaves_nothing_for_long(tmp_path, cache):
    path = _tiny_model(tmp_path / "m.npz", seed=8)
    copy = cached_copy_path(path)
    copy.parent.mkdir(parents=True)
    abandoned = copy.parent / f".{copy.name}.abc123.tmp"
    in_progress = copy.parent / f".{copy.name}.def456.tmp"
    other_model = copy.parent / f".other-{'0' * 32}-v1.bin.ghi789.tmp"
    for f in (abandoned, in_progress, other_model):
        f.write_bytes(b"half a copy")
    hours_ago = os.stat(abandoned).st_mtime - 2 * 3600
    os.utime(abandoned, (hours_ago, hours_ago))
    os.utime(other_model, (hours_ago, hours_ago))
    NgramLM.load(path, cache=True)
    assert not abandoned.exists() and in_progress.exists() and other_model.exists()
    assert copy.exists()
