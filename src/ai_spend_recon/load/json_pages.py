"""Provider API pages ({"data": [bucket, ...], "has_more": ...}) as flat records, in Python:
engine-neutral, and small (a month of pages is thousands of results).

A page saved in a slightly different shape is read alike: the data array alone, `data` or
a bucket's `results` as one object. Each result is one record: its fields flattened (a
nested object's fields joined with `__`: amount.value is `amount__value`) with its bucket's
fields prefixed `bucket__` (`bucket__start_time`). Every value is the text the file holds:
a number exactly as written, true/false, an object or array as JSON. A result that is not
an object is still a record, with every field empty, so staging quarantines it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class _Number(str):
    """A JSON number kept as the text it was written as."""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, _Number | str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def parse_document(content: bytes, gzipped: bool) -> Any:
    """The JSON document of a page file; raises ValueError when it is not JSON."""
    if gzipped:
        content = gzip.decompress(content)
    text = content.decode("utf-8-sig")
    return json.loads(text, parse_float=_Number, parse_int=_Number)


def _flatten(prefix: str, value: Any, into: dict[str, str | None]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}__{key}" if prefix else key, inner, into)
    else:
        into[prefix] = _text(value)


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


def page_records(document: Any) -> Iterator[dict[str, str | None]]:
    """The results of a page, in document order, each flattened with its bucket's fields."""
    if isinstance(document, list):
        buckets = document
    elif isinstance(document, dict):
        buckets = _as_list(document.get("data"))
    else:
        buckets = []
    for bucket in buckets:
        if not isinstance(bucket, dict):
            continue
        bucket_fields: dict[str, str | None] = {}
        for key, value in bucket.items():
            if key != "results":
                _flatten(f"bucket__{key}", value, bucket_fields)
        for result in _as_list(bucket.get("results")):
            record = dict(bucket_fields)
            if isinstance(result, dict):
                _flatten("", result, record)
            yield record
    # a page whose results are not under data > buckets is counted (count_results) but has
    # no records here: the load's record count then fails to balance, naming the file.


def count_results(document: Any) -> int:
    """The page's records counted by key, independently of page_records: the elements of
    every "results" array at any depth, and every "results" object."""
    if isinstance(document, dict):
        total = 0
        for key, value in document.items():
            if key == "results":
                total += len(value) if isinstance(value, list) else int(isinstance(value, dict))
            total += count_results(value)
        return total
    if isinstance(document, list):
        return sum(count_results(item) for item in document)
    return 0


@dataclass(frozen=True)
class PageMore:
    """What a page says about the pages after it."""

    has_more: bool

    @staticmethod
    def of(document: Any) -> PageMore:
        """has_more as the page says it; a value that is not a boolean ("unknown") may mean
        more pages, so it counts as true; a page without it (or not JSON) as false."""
        value = document.get("has_more") if isinstance(document, dict) else None
        if value is None:
            return PageMore(False)
        if isinstance(value, bool):
            return PageMore(value)
        text = str(value).strip().lower()
        return PageMore(text not in ("false", "f", "0", "no", "n", "off"))
