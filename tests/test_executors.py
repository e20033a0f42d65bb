"""vanban.executors: every kind runs the same work to the same results, errors come back per
item, a crashing worker is pinned on its item, and items stream (bounded in flight)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.support.signals import ctrl_c_raises, sigint_ignored
from vanban.errors import VanbanError
from vanban.executors import (KINDS, Completed, DaskExecutor, ProcessExecutor, SerialExecutor,
                              TaskTimeout, ThreadExecutor, WorkerCrash, make_executor)


def square_or_fail(n: int) -> int:
    if n == 3:
        raise ValueError("three is refused")
    return n * n


def crash_on_poison(n: int) -> int:
    """Dies like a segfaulting library on one item."""
    if n == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * 10


def outcomes(done: list[Completed]) -> dict:
    return {d.item: (d.value if d.ok else f"{type(d.error).__name__}: {d.error}") for d in done}


@pytest.mark.parametrize("kind,workers", [("serial", 1), ("thread", 3), ("process", 2)])
def test_every_kind_gives_the_same_results_and_errors(kind, workers):
    with make_executor(kind, workers) as ex:
        assert ex.kind == kind and ex.workers == workers
        done = list(ex.imap_unordered(square_or_fail, range(8)))
        assert sorted(d.item for d in done) == list(range(8))  # none lost, none repeated
        assert outcomes(done) == {0: 0, 1: 1, 2: 4, 3: "ValueError: three is refused",
                                  4: 16, 5: 25, 6: 36, 7: 49}
        assert ex.map(square_or_fail, [7, 1, 2]) == [49, 1, 4]
        with pytest.raises(ValueError, match="three"):
            ex.map(square_or_fail, [1, 3, 4])
        assert ex.submit(square_or_fail, 4).result() == 16
        with pytest.raises(ValueError):
            ex.submit(square_or_fail, 3).result()


def test_args_are_built_per_item_and_in_flight_is_bounded():
    built: list[int] = []
    running = 0
    peak = 0
    lock = threading.Lock()
    gate = threading.Event()

    def work(n: int, offset: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        gate.wait(0.01)
        with lock:
            running -= 1
        return n + offset

    def args(n: int) -> tuple:
        built.append(n)
        return (n, 100)

    with ThreadExecutor(4) as ex:
        stream = ex.imap_unordered(work, iter(range(20)), args=args, max_in_flight=3)
        first = next(stream)
        assert len(built) <= 4  # three submitted, at most one refilled: items are lazy
        rest = list(stream)
    assert sorted(d.value for d in [first, *rest]) == list(range(100, 120))
    assert peak <= 3


def test_none_items_stream_like_any_other():
    with SerialExecutor() as ex:
        assert [d.item for d in ex.imap_unordered(lambda x: x, [None, 0, None])] == [None, 0, None]
    assert make_executor("thread", 2).map(lambda x: x, [None, 1]) == [None, 1]


def test_a_crashing_worker_is_pinned_on_its_item_and_the_others_complete():
    with ProcessExecutor(2) as ex:
        done = list(ex.imap_unordered(crash_on_poison, range(10)))
    assert sorted(d.item for d in done) == list(range(10))
    [crashed] = [d for d in done if not d.ok]
    assert crashed.item == 5 and isinstance(crashed.error, WorkerCrash)
    assert "worker process died" in str(crashed.error)
    assert {d.item: d.value for d in done if d.ok} == {n: n * 10 for n in range(10) if n != 5}


def test_make_executor_kinds_and_bad_ones():
    assert set(KINDS) == {"serial", "thread", "process", "dask"}
    assert isinstance(make_executor("thread", 1), SerialExecutor)  # a lone thread buys nothing
    assert isinstance(make_executor("process", 1), ProcessExecutor)  # still isolated
    with pytest.raises(ValueError, match="unknown executor kind"):
        make_executor("gpu", 2)
    with pytest.raises(ValueError, match="scheduler"):
        make_executor("dask", 2)


def test_completed_result_raises_its_error():
    assert Completed("a", 1).result() == 1
    with pytest.raises(KeyError):
        Completed("a", error=KeyError("x")).result()


@pytest.mark.slow
def test_dask_executor_on_a_local_cluster():
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster:
        with make_executor("dask", scheduler=cluster.scheduler_address) as ex:
            assert ex.kind == "dask" and ex.workers == 2
            done = list(ex.imap_unordered(square_or_fail, range(6), label=lambda n: f"sq{n}"))
            assert outcomes(done) == {0: 0, 1: 1, 2: 4, 3: "ValueError: three is refused",
                                      4: 16, 5: 25}
            assert ex.submit(square_or_fail, 6).result() == 36


def test_an_unreachable_dask_scheduler_is_a_vanban_error():
    pytest.importorskip("distributed")
    with pytest.raises(VanbanError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout=1)


def crash_once_then_hang(item: tuple[int, str]) -> int:
    """Item 1 kills its worker the first time; retried alone, it hangs (a document that
    crashes or hangs is exactly what the retry runs)."""
    n, folder = item
    if n == 1:
        crashed = os.path.join(folder, "crashed")
        if not os.path.exists(crashed):
            open(crashed, "w").close()
            os._exit(1)
        open(os.path.join(folder, "retrying"), "w").close()
        time.sleep(120)
    return n


def test_an_interrupt_during_the_retry_of_a_crashed_item_stops_at_once(tmp_path):
    """The one-worker pool that retries a crashed item was not the executor's pool, so Ctrl-C
    or SIGTERM (abort) waited for the retried item, the one suspected of hanging (here two
    minutes; a hang would be for ever)."""
    interrupted = []

    def interrupt_when_retrying():
        deadline = time.monotonic() + 60
        while not (tmp_path / "retrying").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        interrupted.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C (the workers ignore it)

    threading.Thread(target=interrupt_when_retrying, daemon=True).start()
    # a terminal's Ctrl-C even when pytest was started with SIGINT ignored (`pytest &` in a
    # script): the SIGINT was then lost and the test waited for the hung item
    with sigint_ignored(), ctrl_c_raises(), pytest.raises(KeyboardInterrupt):
        with ProcessExecutor(2) as ex:
            for _ in ex.imap_unordered(crash_once_then_hang, [(n, str(tmp_path)) for n in range(4)]):
                pass
    assert (tmp_path / "retrying").exists() and interrupted
    assert time.monotonic() - interrupted[0] < 60  # the 120 s item was not waited for


def sleep_then_mark(item: tuple[int, str]) -> int:
    n, folder = item
    time.sleep(0.5)
    open(os.path.join(folder, f"ran-{n}"), "w").close()
    return n


def test_an_interrupted_dask_stream_cancels_the_tasks_not_started(tmp_path):
    """On a cluster whose client is not vanban's (`--scheduler tcp://…`), abort() did nothing:
    an interrupted batch left every submitted document running on the cluster."""
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        with pytest.raises(KeyboardInterrupt):
            with DaskExecutor(client) as ex:
                items = [(n, str(tmp_path)) for n in range(6)]
                for _ in ex.imap_unordered(sleep_then_mark, items, max_in_flight=6):
                    raise KeyboardInterrupt  # Ctrl-C after the first document
        time.sleep(3)  # what was left queued would have run by now (6 x 0.5 s)
        ran = sorted(p.name for p in tmp_path.iterdir())
        assert 1 <= len(ran) <= 2, ran  # the first, and the one running when interrupted


def sleep_and_count(item: tuple[int, str, float]) -> int:
    """Mark each start of the item (so a re-run shows, even one stopped), then sleep."""
    n, folder, seconds = item
    with open(os.path.join(folder, f"ran-{n}"), "a") as f:
        f.write("x")
    time.sleep(seconds)
    return n


def test_a_slow_healthy_item_queued_behind_another_is_not_stopped(tmp_path):
    """`task_timeout` counted an item's time from when the pool moved it into its call queue
    (``Future.running()``: up to workers+1 items), so an item waiting behind a running one
    went "overdue" early: every worker was stopped and the items re-run alone (one worker,
    timeout 3 s, 4 items of 2.7 s: 5 runs, 12.4 s). The time now counts from when a worker
    begins the item: each item runs once."""
    items = [(n, str(tmp_path), 4.5) for n in range(2)]  # each well under the timeout
    with ProcessExecutor(1, task_timeout=6) as ex:
        done = list(ex.imap_unordered(sleep_and_count, items))
    assert sorted(d.value for d in done if d.ok) == [0, 1], [d.error for d in done]
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {"ran-0": "x", "ran-1": "x"}


def test_a_hang_is_seen_while_other_items_keep_completing(tmp_path):
    """The timeout was looked for only when no result had come in the last poll: a steady
    stream of fast items hid an item running far past the timeout (here 8 s against 3 s: it
    ran to its end unseen). Now it is looked for on every turn, and stopped."""
    items = [(0, str(tmp_path), 8.0)] + [(n, str(tmp_path), 0.3) for n in range(1, 41)]
    with ProcessExecutor(2, task_timeout=3) as ex:
        done = {d.item[0]: d for d in ex.imap_unordered(sleep_and_count, items)}
    assert isinstance(done[0].error, TaskTimeout), done[0]
    assert all(done[n].ok for n in range(1, 41))
