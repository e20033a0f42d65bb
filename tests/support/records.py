"""Assertions on extracted records shared by the extraction tests."""


def assert_fields(item, expected: dict) -> None:
    """`item`, a record's document (a dict) or one of its tasks, holds each field of `expected`
    at that value (compared as one dict, so a failure shows every field that differs)."""
    if isinstance(item, dict):
        got = {name: item[name] for name in expected}
    else:
        got = {name: getattr(item, name) for name in expected}
    assert got == expected
