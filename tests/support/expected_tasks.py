"""Tables of expected tasks for the extraction tests: each made-up text is written once with
what its record's tasks must hold, and one parametrised test checks them all.

An expected value is compared with ``==``; the matchers below stand for the checks that are not
plain equality (a title that starts or ends with a phrase, a lead in any order).
"""

from __future__ import annotations


class Matches:
    """Equal to every value ``accepts`` takes; ``shown`` is how a failed comparison shows it."""

    def __init__(self, accepts, shown: str):
        self.accepts, self.shown = accepts, shown

    def __eq__(self, other) -> bool:
        return bool(self.accepts(other))

    def __repr__(self) -> str:
        return self.shown

    def __and__(self, other: Matches) -> Matches:
        """Equal to what both ``self`` and ``other`` are equal to."""
        return Matches(lambda got: self == got and other == got, f"{self!r} & {other!r}")


def starts_with(prefix: str) -> Matches:
    return Matches(lambda got: isinstance(got, str) and got.startswith(prefix), f"starts_with({prefix!r})")


def ends_with(suffix: str) -> Matches:
    return Matches(lambda got: isinstance(got, str) and got.endswith(suffix), f"ends_with({suffix!r})")


def any_order(*items) -> Matches:
    """A list of the same items as ``items`` in any order (compared as sets)."""
    return Matches(lambda got: isinstance(got, list) and set(got) == set(items), f"any_order{items!r}")


def assert_tasks(tasks, expected: dict) -> None:
    """``tasks`` (a record's tasks) as ``expected`` says, path by path: ``None`` for a path that
    must have no task, else a dict of the fields the task at that path holds (``{}``: only that
    there is one), compared as one dict so that a failure shows every field that differs."""
    by_path = {t.path: t for t in tasks}
    for path, fields in expected.items():
        if fields is None:
            assert path not in by_path, f"a task at {path!r}: {by_path[path].title!r}"
        else:
            assert path in by_path, f"no task at {path!r}; tasks at {sorted(by_path)}"
            got = {name: getattr(by_path[path], name) for name in fields}
            assert got == fields, f"task {path!r}: got {got}, expected {fields}"
