"""The one way vanban runs work in parallel: OCR pages, batch documents, Dask clusters.

An :class:`Executor` runs a plain function on items, in one of four ways (:data:`KINDS`):

- ``"serial"``: in the calling thread, one item at a time (no pool, nothing to pickle);
- ``"thread"``: in a thread pool (OCR pages: Tesseract and OpenCV release the GIL);
- ``"process"``: in a process pool whose workers die with their parent; a worker that dies
  (segfault, out of memory) is survived, and with ``task_timeout`` an item that runs too long
  is stopped (:class:`TaskTimeout`): see :meth:`Executor.imap_unordered`;
- ``"dask"``: on the workers of a Dask ``distributed`` cluster (a scheduler address, a
  ``Client`` or a ``LocalCluster``).

Two ways to use one, the same for every kind::

    with make_executor("thread", workers=4) as ex:
        fut = ex.submit(fn, *args)               # a future: .result(), .add_done_callback()
        for done in ex.imap_unordered(fn, items, args=lambda item: (item, opts)):
            done.item, done.value, done.error    # in completion order, never raises

``submit`` is for callers that keep their own futures (OCR keeps one per page, in page order);
``imap_unordered`` streams items through the pool with at most ``max_in_flight`` of them
submitted at a time (memory stays flat and a killed run loses little), and turns every failure
of an item, a crashed worker included, into a :class:`Completed` with its ``error``: a batch
never loses an item. ``map`` is the ordered, raising form of ``imap_unordered``.

The function and its arguments must be picklable for ``"process"`` and ``"dask"`` (a
module-level function, plain data); ``"dask"`` ships them to other machines.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterable, Iterator, TypeVar

if TYPE_CHECKING:
    # imported where a process pool is made: multiprocessing is not loaded by the thread and
    # serial executors that ``vanban ocr`` uses (process start, docs/architecture.md)
    from concurrent.futures import ProcessPoolExecutor

from .errors import UsageError, VanbanError

#: The executor kinds, as :func:`make_executor` and the CLI spell them.
KINDS = ("serial", "thread", "process", "dask")

T = TypeVar("T")

#: End of an item stream (items themselves may be None).
_END = object()


class WorkerCrash(Exception):
    """A worker process died (crash, out of memory) while it ran this item, and again when
    the item was retried alone: the item, not a neighbour, is what kills it."""

    def __init__(self, message: str = "the worker process died while processing this input "
                                      "(crash or out of memory)"):
        super().__init__(message)


class TaskTimeout(Exception):
    """An item ran longer than the executor's ``task_timeout``, alone in its worker (a hang,
    or an input far too big): its worker was stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"still running after {seconds:g} s (a hang, or an input far too "
                         "big); its worker was stopped")
        self.seconds = seconds


@dataclass
class Completed(Generic[T]):
    """One item done by :meth:`Executor.imap_unordered`: its ``value``, or the ``error`` it
    raised (a :class:`WorkerCrash` when it killed its worker; the exception a Dask task raised)."""
    item: T
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def result(self) -> Any:
        """The value, or raise the error."""
        if self.error is not None:
            raise self.error
        return self.value


def _single_item_args(item: Any) -> tuple:
    return (item,)


class Executor:
    """Base class: ``submit`` (kind-specific), ``imap_unordered``, ``map``, ``close``.

    ``workers`` is how many items run at once; ``name`` is said in messages ("process pool",
    "Dask"). An executor is a context manager: leaving it waits for the items still running
    and cancels the ones not started.
    """
    kind = "serial"
    name = "serial"

    def __init__(self, workers: int = 1):
        self.workers = max(1, int(workers))

    # -- to override ----------------------------------------------------------------------
    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        """Run ``fn(*args, **kwargs)``; a future of its value (done already when serial)."""
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: B036 - a future carries whatever was raised
            if isinstance(err, (KeyboardInterrupt, SystemExit)):
                raise
            fut.set_exception(err)
        return fut

    def close(self) -> None:
        """Wait for running items, cancel the ones not started, release the pool/client."""

    def abort(self) -> None:
        """Stop now (Ctrl-C, SIGTERM): cancel what has not started, do not wait for what runs."""
        self.close()

    #: What a future of this executor fails with when a worker died under it and the whole
    #: pool broke (``BrokenProcessPool``); empty for executors that cannot break so.
    _broken_errors: tuple[type[BaseException], ...] = ()

    # -- shared -----------------------------------------------------------------------------
    def imap_unordered(self, fn: Callable, items: Iterable[T], *,
                       args: Callable[[T], tuple] = _single_item_args,
                       max_in_flight: int | None = None,
                       label: Callable[[T], str] | None = None) -> Iterator[Completed[T]]:
        """``fn(*args(item))`` for every item, yielded as each completes; never raises for an
        item (its exception is the :class:`Completed`'s ``error``).

        ``args(item)`` is called just before the item is submitted (so file bytes are read
        only for the items in flight); at most ``max_in_flight`` (default: twice ``workers``)
        are submitted at a time, and ``items`` is consumed lazily. ``label(item)`` names the
        task where the executor shows names (the Dask dashboard).

        A pool that breaks (:attr:`_broken_errors`: a worker died) is replaced and the stream
        goes on; the items that were in flight are set aside and given to
        :meth:`_retry_alone` at the end, so that a crash is pinned on the right item.
        """
        limit = max_in_flight or 2 * self.workers
        suspects: list[T] = []
        pending: dict[Future, T] = {}
        started: dict[Future, float] = {}  # when a worker began each (task_timeout)
        items = iter(items)
        exhausted = False
        while True:
            broken = False
            while not exhausted and not broken and len(pending) < limit:
                item = next(items, _END)
                if item is _END:
                    exhausted = True
                    break
                try:
                    fut = self.submit(fn, *args(item))
                except self._broken_errors:
                    # a worker died before its result was collected: this item never ran
                    suspects.append(item)
                    broken = True
                    break
                pending[fut] = item
            if not pending and not broken:
                break
            done, _ = (wait(pending, timeout=self._poll_s(), return_when=FIRST_COMPLETED)
                       if pending else (set(), set()))
            if not broken and self._overdue(pending, started):
                # An item ran past task_timeout: its worker is stopped, which breaks the pool;
                # every item in flight is then retried alone (with the timeout), so the
                # timeout lands on the item that is slow on its own, not on a neighbour.
                # Looked for on every turn: a stream of fast results does not hide a hang.
                # The items done already keep their results (collected on the next turn).
                self._stop_workers(self._pool)
                started.clear()
                continue
            finished: list[Completed[T]] = []
            for fut in done:
                item = pending.pop(fut)
                started.pop(fut, None)
                err = fut.exception()
                if isinstance(err, self._broken_errors):
                    suspects.append(item)
                    broken = True
                else:
                    finished.append(Completed(item, error=err) if err
                                    else Completed(item, fut.result()))
            if broken:
                suspects.extend(pending.values())
                pending.clear()
                started.clear()
                self._replace_pool()
            yield from finished
        yield from self._retry_alone(fn, suspects, args)

    #: Seconds an item may run, alone in its worker, before it is stopped (:class:`TaskTimeout`);
    #: None: no limit. Only executors that can stop a running item (processes) use it.
    task_timeout: float | None = None

    def _poll_s(self) -> float | None:
        """How long the stream waits for a result before looking for an overdue item."""
        return None if self.task_timeout is None else min(1.0, self.task_timeout / 4)

    def _overdue(self, pending: dict[Future, Any], started: dict[Future, float]) -> bool:
        """True when an item in flight has run past ``task_timeout`` since a worker began it
        (``started``, filled by :meth:`_note_starts`; not since it was queued)."""
        if self.task_timeout is None:
            return False
        self._note_starts(pending, started)
        now = time.monotonic()
        return any(now - t > self.task_timeout for fut, t in started.items()
                   if fut in pending and not fut.done())

    def _note_starts(self, pending: dict[Future, Any], started: dict[Future, float]) -> None:
        """Record in ``started`` when a worker began each item (executors with a timeout)."""

    def _stop_workers(self, pool) -> None:
        """End the workers' running items now, where that can be done (processes)."""

    def _replace_pool(self) -> None:
        """A new pool in place of a broken one (only executors with :attr:`_broken_errors`)."""
        raise NotImplementedError

    def _retry_alone(self, fn: Callable, items: list[T],
                     args: Callable[[T], tuple]) -> Iterator[Completed[T]]:
        """The items that were in flight when the pool broke, each run on its own."""
        return iter(())

    def map(self, fn: Callable, items: Iterable[T], *,
            args: Callable[[T], tuple] = _single_item_args) -> list:
        """``[fn(*args(item)) for item in items]`` run on the executor, in item order; the
        first item's error (in item order) is raised."""
        items = list(items)
        values: list[Any] = [None] * len(items)
        errors: dict[int, BaseException] = {}
        for done in self.imap_unordered(fn, _Indexed.wrap(items), args=lambda it: args(it.item)):
            i = done.item.index
            if done.error is not None:
                errors[i] = done.error
            else:
                values[i] = done.value
        if errors:
            raise errors[min(errors)]
        return values

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            self.abort()  # interrupted: the running items' results would not be used
        else:
            self.close()


@dataclass
class _Indexed:
    """An item with its position, so that ``None`` and repeated items stream like any other."""
    index: int
    item: Any

    @staticmethod
    def wrap(items: list) -> Iterator["_Indexed"]:
        return (_Indexed(i, item) for i, item in enumerate(items))


class SerialExecutor(Executor):
    """Everything in the calling thread (``workers`` is 1)."""

    def __init__(self, workers: int = 1):
        super().__init__(1)

    def imap_unordered(self, fn: Callable, items: Iterable[T], *,
                       args: Callable[[T], tuple] = _single_item_args,
                       max_in_flight: int | None = None,
                       label: Callable[[T], str] | None = None) -> Iterator[Completed[T]]:
        for item in items:  # each item is yielded before the next one runs
            fut = self.submit(fn, *args(item))
            err = fut.exception()
            yield Completed(item, error=err) if err else Completed(item, fut.result())


class _PoolExecutor(Executor):
    """A ``concurrent.futures`` pool of ``workers``, started at the first ``submit`` (so
    whatever the caller loaded before, models above all, is inherited by forked workers)."""

    def __init__(self, workers: int = 1):
        super().__init__(workers)
        self._pool: ThreadPoolExecutor | ProcessPoolExecutor | None = None

    def _new_pool(self, workers: int):
        raise NotImplementedError

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        if self._pool is None:
            self._pool = self._new_pool(self.workers)
        return self._pool.submit(fn, *args, **kwargs)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            self._stop_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)



class ThreadExecutor(_PoolExecutor):
    """A thread pool of ``workers`` threads (a running item cannot be stopped: ``abort``
    only cancels the items not started)."""
    kind = "thread"
    name = "thread pool"

    def _new_pool(self, workers: int) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=workers)


def _die_with_parent(parent_pid: int) -> None:
    """Pool worker initializer: ask Linux to SIGKILL this worker when its parent dies, so a
    batch killed with ``kill -9`` leaves no orphaned workers behind; and leave Ctrl-C to the
    parent (a terminal sends SIGINT to every process of the job): the parent stops the pool
    (:meth:`ProcessExecutor.abort`), instead of each worker printing its own traceback."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            return
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)


#: In a pool worker of a :class:`ProcessExecutor` with a ``task_timeout``: the queue on which
#: the worker says which item it begins (set by :func:`_init_worker`).
_START_QUEUE = None


def _init_worker(parent_pid: int, start_queue=None) -> None:
    global _START_QUEUE
    _START_QUEUE = start_queue
    _die_with_parent(parent_pid)


def _report_start(token: int, fn: Callable, /, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` in a pool worker, first telling the parent that item ``token`` begins now:
    an item waiting in the pool's call queue behind another one is not yet running."""
    if _START_QUEUE is not None:
        _START_QUEUE.put(token)
    return fn(*args, **kwargs)


class ProcessExecutor(_PoolExecutor):
    """A process pool of ``workers`` processes whose workers die with their parent.

    Crash handling (in :meth:`Executor.imap_unordered`): a worker that dies breaks the whole
    pool; the items that were in flight are set aside, the pool is replaced and the stream
    goes on; at the end each set-aside item is retried alone in a one-worker pool, so a crash
    is pinned on the right item: one that kills its worker again completes with a
    :class:`WorkerCrash`. ``submit`` raises ``BrokenProcessPool`` when a worker of this pool
    died earlier. ``abort`` (Ctrl-C, SIGTERM) ends the workers at once.
    """
    kind = "process"
    name = "process pool"

    @property
    def _broken_errors(self) -> tuple[type[BaseException], ...]:  # type: ignore[override]
        from concurrent.futures.process import BrokenProcessPool
        return (BrokenProcessPool,)

    def __init__(self, workers: int = 1, task_timeout: float | None = None):
        super().__init__(workers)
        self.task_timeout = task_timeout
        self._start_queue = None  # the current pool's workers say on it which item begins
        self._token_future: dict[int, Future] = {}
        self._tokens = 0

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        # A new queue for every pool: a worker stopped while it wrote may leave a queue's
        # lock taken, and a stopped pool is never used again.
        if self.task_timeout is not None:
            import multiprocessing
            self._start_queue = multiprocessing.Queue()
        self._token_future = {}
        from concurrent.futures import ProcessPoolExecutor
        return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                   initargs=(os.getpid(), self._start_queue))

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        if self.task_timeout is None:
            return super().submit(fn, *args, **kwargs)
        if self._pool is None:
            self._pool = self._new_pool(self.workers)
        self._tokens += 1
        token = self._tokens
        fut = self._pool.submit(_report_start, token, fn, *args, **kwargs)
        self._token_future[token] = fut
        return fut

    def _note_starts(self, pending: dict[Future, Any], started: dict[Future, float]) -> None:
        import queue
        if self._start_queue is None:
            return
        now = time.monotonic()
        while True:
            try:
                token = self._start_queue.get_nowait()
            except (queue.Empty, OSError, ValueError, EOFError):
                return
            fut = self._token_future.pop(token, None)
            if fut is not None and fut in pending:
                started.setdefault(fut, now)

    def _replace_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool(self.workers)

    def _retry_alone(self, fn: Callable, items: list[T],
                     args: Callable[[T], tuple]) -> Iterator[Completed[T]]:
        for item in items:  # one at a time, so a crash is pinned on the right item
            self.close()  # the stream's pool (idle by now) or the previous retry's
            # held as the executor's pool, so that abort() (Ctrl-C, SIGTERM) ends this worker
            # too: the item retried is the one suspected of crashing or hanging
            self._pool = self._new_pool(1)
            fut = self._pool.submit(fn, *args(item))
            try:
                err = fut.exception(timeout=self.task_timeout)
            except FutureTimeout:
                self.abort()  # its one worker stopped: the item is the one that is slow
                yield Completed(item, error=TaskTimeout(self.task_timeout))
                continue
            self.close()
            if isinstance(err, self._broken_errors):
                yield Completed(item, error=WorkerCrash())
            else:
                yield Completed(item, error=err) if err else Completed(item, fut.result())

    def _stop_workers(self, pool: ProcessPoolExecutor | None) -> None:
        # concurrent.futures has no public way to stop a running task; its worker processes
        # are the pool's own (``_processes``), and their results will not be read.
        if pool is None:
            return
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.terminate()
            except (OSError, AttributeError):
                pass


#: Seconds a :class:`DaskExecutor` waits for its scheduler by default.
DASK_CONNECT_TIMEOUT_S = 20.0


class DaskExecutor(Executor):
    """The workers of a Dask ``distributed`` cluster. ``scheduler``: an address
    (``"tcp://host:8786"``), a ``distributed.Client`` (used, not closed) or anything with a
    ``scheduler_address`` (a ``LocalCluster``). ``workers`` is the cluster's thread count.
    ``connect_timeout``: seconds to wait for the scheduler.

    Raises :class:`vanban.errors.VanbanError` when the scheduler cannot be reached
    (:class:`~vanban.errors.UsageError`, exit 2, for what is not an address). A task that
    fails (an exception, or ``KilledWorker`` after Dask's own retries of a crashing worker)
    completes with that exception as its ``error``.
    """
    kind = "dask"
    name = "Dask"

    def __init__(self, scheduler: Any, connect_timeout: float | None = None):
        from distributed import Client
        connect_timeout = connect_timeout or DASK_CONNECT_TIMEOUT_S
        self._own_client = False
        if isinstance(scheduler, Client):
            self.client = scheduler
        else:
            address = getattr(scheduler, "scheduler_address", scheduler)
            try:
                self.client = Client(address, timeout=f"{connect_timeout}s")
            except (OSError, TimeoutError) as err:
                raise VanbanError(f"cannot reach the Dask scheduler at {address}: {err}") from err
            except ValueError as err:  # not an address at all ("missing port number ...")
                raise UsageError(f"not a Dask scheduler address: {address!r} ({err}); give "
                                 "one as tcp://HOST:8786") from None
            self._own_client = True
        super().__init__(sum((self.client.nthreads() or {}).values()) or 1)
        self._submitted = 0
        self._in_flight: dict[str, Any] = {}  # key -> future of imap_unordered, for abort()

    def submit(self, fn: Callable, /, *args: Any, key: str | None = None, **kwargs: Any):
        """A ``distributed.Future`` (``result()``, ``add_done_callback()``). ``key``: the task
        name; numbered, so that names never repeat. Never cached: a re-run really runs."""
        name = f"{key}-{self._submitted}" if key else None
        self._submitted += 1
        return self.client.submit(fn, *args, pure=False, key=name, **kwargs)

    def imap_unordered(self, fn: Callable, items: Iterable[T], *,
                       args: Callable[[T], tuple] = _single_item_args,
                       max_in_flight: int | None = None,
                       label: Callable[[T], str] | None = None) -> Iterator[Completed[T]]:
        from distributed import as_completed
        limit = max_in_flight or 2 * self.workers
        by_key: dict[str, T] = {}
        items = iter(items)

        def submit(item: T):
            fut = self.submit(fn, *args(item), key=label(item) if label else None)
            by_key[fut.key] = item
            self._in_flight[fut.key] = fut
            return fut

        queue = as_completed()
        for item in items:
            queue.add(submit(item))
            if queue.count() >= limit:
                break
        for fut in queue:
            item = by_key.pop(fut.key)
            self._in_flight.pop(fut.key, None)
            try:
                done = Completed(item, fut.result())
            except Exception as err:  # KilledWorker (a crash on every retry) and the like
                done = Completed(item, error=err)
            fut.release()
            yield done
            nxt = next(items, _END)
            if nxt is not _END:
                queue.add(submit(nxt))

    def close(self) -> None:
        if self._own_client:
            self.client.close()
            self._own_client = False

    def abort(self) -> None:
        """Cancel the tasks in flight (on a shared cluster too, where the client is not ours
        to close): those not started never run; a task already running on a worker thread
        cannot be stopped by Dask, it finishes there and its result is dropped."""
        pending, self._in_flight = list(self._in_flight.values()), {}
        if pending:
            try:
                self.client.cancel(pending, force=True)
            except Exception:  # noqa: BLE001 - the scheduler may be gone: nothing to cancel
                pass
        self.close()


def make_executor(kind: str = "serial", workers: int = 1, *,
                  scheduler: Any = None, task_timeout: float | None = None) -> Executor:
    """An executor of ``kind`` (one of :data:`KINDS`) with ``workers`` parallel slots.

    ``"thread"`` with one worker is serial (a lone thread buys nothing); ``"process"`` with one
    worker is still a pool (the item runs isolated from the caller: a crash is survived).
    ``"dask"`` needs ``scheduler`` and ignores ``workers`` (it has the cluster's threads).
    """
    if kind == "serial" or (kind == "thread" and workers <= 1):
        return SerialExecutor()
    if kind == "thread":
        return ThreadExecutor(workers)
    if kind == "process":
        return ProcessExecutor(workers, task_timeout=task_timeout)
    if kind == "dask":
        if scheduler is None:
            raise ValueError("a dask executor needs a scheduler")
        return DaskExecutor(scheduler)
    raise ValueError(f"unknown executor kind {kind!r}; one of {', '.join(KINDS)}")


__all__ = ["Completed", "DaskExecutor", "Executor", "KINDS", "ProcessExecutor",
           "SerialExecutor", "TaskTimeout", "ThreadExecutor", "WorkerCrash", "make_executor"]
