"""Files and folders vanban may not read, for the permission tests, on every machine.

Permissions do not stop root, and CI runs as root (in a container whose seccomp profile
may forbid user namespaces). So a test that needs "permission denied" runs ``vanban``:

- ``system``: as a process the kernel really refuses: as this user when it is not root;
  as root, under ``unshare --user`` (a user namespace where the files' owner is not mapped)
  or else ``setpriv`` as the user ``nobody`` (its files then lie in a folder outside
  pytest's own, which only root may enter); where neither can be used, in-process as below,
  so that the test still asserts what it says;
- ``in-process``: through click's runner, with ``open`` and ``os.scandir`` made to raise
  ``PermissionError`` for the locked paths, and ``open``, ``os.scandir`` and ``os.stat`` for
  every path under a locked folder (it cannot be entered), as the kernel would.

``VANBAN_TEST_DENIAL`` (``unshare``, ``setpriv``, ``in-process``) forces one way, to check
each on a machine that has them all; any other value is an error, not a quiet fallback.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
#: ``setpriv`` to the user and group ``nobody``, with no supplementary groups.
AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
#: The ways ``VANBAN_TEST_DENIAL`` may force.
WAYS = ("unshare", "setpriv", "in-process")


@dataclass
class Outcome:
    """What a call of ``vanban`` gave, the same whichever way it ran."""
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Denial:
    """A folder (``base``) to make the test's files in, and a way to run ``vanban`` for which
    the paths given to :meth:`lock` cannot be read."""
    way: str
    base: Path
    prefix: list[str] = field(default_factory=list)
    env: dict[str, str] | None = None
    locked: set[str] = field(default_factory=set)

    def lock(self, path: Path) -> None:
        path.chmod(0)
        # realpath: the in-process refusal compares the real path of what vanban opens
        self.locked.add(os.path.realpath(path))

    def unlock_all(self) -> None:
        for path in self.locked:
            if os.path.lexists(path):
                os.chmod(path, 0o755)

    def run(self, args, monkeypatch, timeout: float = 120) -> Outcome:
        args = [str(a) for a in args]
        if self.way != "in-process":
            proc = subprocess.run([*self.prefix, sys.executable, "-m", "vanban.cli", *args],
                                  capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                                  env=self.env)
            return Outcome(proc.returncode, proc.stdout, proc.stderr)
        from vanban.cli import main
        with monkeypatch.context() as patch:
            _refuse(patch, self.locked)
            result = CliRunner().invoke(main, args)
        return Outcome(result.exit_code, result.stdout, result.stderr)


def _refuse(patch, locked: set[str]) -> None:
    """``open`` (builtin and ``io``) and ``os.scandir`` raise ``PermissionError`` for the
    ``locked`` paths, as the kernel does for a file or folder of mode 0; ``open``,
    ``os.scandir`` and ``os.stat`` for a path inside a locked folder, which cannot be entered."""
    def inside_locked(real: str) -> bool:
        return any(real.startswith(folder.rstrip(os.sep) + os.sep) for folder in locked)

    def denied(path, itself: bool = True) -> bool:
        if isinstance(path, int):
            return False
        real = os.path.realpath(os.fsdecode(path))  # lstat only: not refused here
        return (itself and real in locked) or inside_locked(real)

    def refuse(path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    real_open, real_scandir, real_stat = builtins.open, os.scandir, os.stat

    def guarded_open(file, *args, **kwargs):
        if denied(file):
            refuse(file)
        return real_open(file, *args, **kwargs)

    def guarded_scandir(path="."):
        if denied(path):
            refuse(path)
        return real_scandir(path)

    def guarded_stat(path, *args, **kwargs):
        if denied(path, itself=False):  # a locked folder itself can be looked at
            refuse(path)
        return real_stat(path, *args, **kwargs)

    patch.setattr(builtins, "open", guarded_open)
    patch.setattr(io, "open", guarded_open)
    patch.setattr(os, "scandir", guarded_scandir)
    patch.setattr(os, "stat", guarded_stat)


def _refused(prefix: list[str], probe: Path, env: dict[str, str] | None = None) -> bool:
    """Whether vanban's Python, started with ``prefix``, imports vanban and is refused
    ``probe`` (a file of mode 0)."""
    code = ("import sys, vanban.cli; print('imported', flush=True); "
            "open(sys.argv[1], 'rb')")
    try:
        proc = subprocess.run([*prefix, sys.executable, "-c", code, str(probe)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return (proc.returncode != 0 and proc.stdout.strip() == "imported"
            and "PermissionError" in proc.stderr)


def make_denial(way: str, tmp_path: Path) -> Denial:
    """A :class:`Denial` for ``way`` (``system`` or ``in-process``); see the module's text.
    Call :func:`end_denial` when done."""
    forced = os.environ.get("VANBAN_TEST_DENIAL")
    if forced is not None and forced not in WAYS:
        raise ValueError(f"VANBAN_TEST_DENIAL={forced!r}: not one of {', '.join(WAYS)}")
    if way == "in-process" or forced == "in-process":
        return Denial("in-process", tmp_path)
    if os.geteuid() != 0:
        return Denial("user", tmp_path)
    probe = tmp_path / "probe"
    probe.write_bytes(b"x")
    probe.chmod(0)
    if forced in (None, "unshare") and _refused(["unshare", "--user"], probe):
        return Denial("unshare", tmp_path, ["unshare", "--user"])
    # nobody cannot enter pytest's own temporary folder (mode 0700): one of its own, which
    # it may write to (a store, PDFs), removed by end_denial
    base = Path(tempfile.mkdtemp(prefix="vanban-denied-"))
    base.chmod(0o777)
    probe = base / "probe"
    probe.write_bytes(b"x")
    probe.chmod(0)
    # HOME is root's, which nobody may not read (OCRmyPDF's font lookup looks in ~/.fonts)
    home = {**os.environ, "HOME": str(base)}
    if (forced in (None, "setpriv") and shutil.which("setpriv")
            and _refused(AS_NOBODY, probe, home)):
        probe.unlink()
        return Denial("setpriv", base, list(AS_NOBODY), home)
    shutil.rmtree(base)
    return Denial("in-process", tmp_path)


def end_denial(denial: Denial) -> None:
    """Give the locked paths their permissions back (so they can be removed), and remove a
    folder made outside pytest's own."""
    denial.unlock_all()
    if denial.way == "setpriv":
        shutil.rmtree(denial.base, ignore_errors=True)
