"""Assertions on extracted records shared by the extraction tests."""


def assert_fields(item, expected: dict) -> None:
    """`item`, a record's document (a dict) or one of its tasks, holds each field of `expected`
    at that value (compared as one dict, so a failure shows every field that differs)."""
    if isinstance(item, dict):
        got = {name: item[name] for name in expected}
    else:
        got = {name: getattr(item, name) for name in expected}
    assert got == expected


def valid_record(text: str, flatten: bool = False):
    """The record extracted from ``text`` (folded to one line first with ``flatten``, as web
    copies and dumps come), checked against the record schema."""
    from vanban.extract import extract_record
    from vanban.schema import validate_record
    record = extract_record(" ".join(text.split()) if flatten else text)
    validate_record(record.to_dict())
    return record
