"""Print the period summary (fct_period_summary) from a built DuckDB file.

Usage: recon summary [--db target/dev.duckdb] [--period 2026-10]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

COLUMNS = [
    ("billing_period", "period", "{}"),
    ("provider", "provider", "{}"),
    ("billed_usd", "billed", "{:,.2f}"),
    ("observed_usd", "observed", "{:,.2f}"),
    ("written_off_usd", "written off", "{:,.2f}"),
    ("residual_usd", "residual", "{:,.2f}"),
    ("residual_pct", "residual %", "{:.2f}"),
    ("tolerance_usd", "tolerance", "{:,.2f}"),
    ("is_within_tolerance", "in tol.", "{}"),
    ("signoff_count", "sign-offs", "{}/3"),
    ("is_closed", "closed", "{}"),
]


def fetch_summary(db: Path, period: str | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        query = "select " + ", ".join(c[0] for c in COLUMNS) + " from fct_period_summary"
        params: list[str] = []
        if period:
            query += " where billing_period = ?"
            params.append(period)
        query += " order by billing_period, provider = 'all', provider"
        return con.execute(query, params).fetchall()


def render(rows: list[tuple]) -> str:
    cells = [[label for _, label, _ in COLUMNS]]
    for row in rows:
        cells.append(
            [
                fmt.format(value) if value is not None else "-"
                for value, (_, _, fmt) in zip(row, COLUMNS, strict=True)
            ]
        )
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, default=Path(os.environ.get("DBT_DUCKDB_PATH", "target/dev.duckdb"))
    )
    parser.add_argument("--period", default=None)
    args = parser.parse_args(argv)
    rows = fetch_summary(args.db, args.period)
    print("Period summary (USD): residual = billed - observed - written off")
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
