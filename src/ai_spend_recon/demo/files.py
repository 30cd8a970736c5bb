"""How the exports are written: paged JSON pulls, CSV files, one DuckDB COPY per day."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from pathlib import Path

import duckdb


def sha(text: str, n: int = 16) -> str:
    """The first n hex digits of the text's SHA-256: stable ids and page tokens."""
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def write_json_pages(folder: Path, buckets: list[dict], per_page: int, pulled_at: str) -> None:
    """One pull of a paged list API: page_0001.json, ... of per_page buckets each, linked
    by has_more / next_page, with the pull's time as their modification time."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = [buckets[i : i + per_page] for i in range(0, len(buckets), per_page)] or [[]]
    for index, page in enumerate(pages):
        last = index == len(pages) - 1
        body = {
            "object": "page",
            "data": page,
            "has_more": not last,
            "next_page": None if last else f"page_{sha(pulled_at + str(index + 1), 12)}",
        }
        path = folder / f"page_{index + 1:04d}.json"
        path.write_text(json.dumps(body, separators=(",", ":")))
        stamp = datetime.fromisoformat(pulled_at).timestamp()
        os.utime(path, (stamp, stamp))


def daily(rows: Iterable, key_fn: Callable[[tuple], Hashable]) -> dict:
    """The rows grouped by key_fn (a day), in their order."""
    out: dict = {}
    for row in rows:
        out.setdefault(key_fn(row), []).append(row)
    return out


def copy_per_day(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    day_column: str,
    order_by: str,
    target: Path,
    options: str,
    days: list[tuple] | None = None,
) -> None:
    """COPY a relation to one file per day of day_column, rows in order_by order, without
    day_column and order_by; target's name (and the relation, e.g. a table macro's
    argument) may hold a {day} placeholder. One day at a time, so a view is computed a day
    at a time (bounded memory)."""
    days = (
        days
        or con.execute(
            f"select distinct cast({day_column} as date) from {relation} order by 1"
        ).fetchall()
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    for (day,) in days:
        path = str(target).format(day=day.isoformat())
        con.execute(
            f"copy (select * exclude ({day_column}, {order_by})"
            f" from {relation.format(day=day.isoformat())}"
            f" where cast({day_column} as date) = '{day.isoformat()}' order by {order_by})"
            f" to '{path}' ({options})"
        )


def write_csv(path: Path, rows: list[list]) -> None:
    """A CSV file of the rows (the first one the header), its folder created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
