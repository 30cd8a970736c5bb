"""The daily incremental run: an incremental build after telemetry changes publishes the
same marts as a full refresh of the same landing zone, and it reads only what changed.

Build A from the demo with the last day of telemetry held back; then land that day, a
re-landed (shorter) LiteLLM file for an old day, a late file of new requests for an old
day, a second copy of an OTel file, and remove one day of the request log; build A again
(incremental). Build B as a --full-refresh of a copy of A (same close records).
"""

import csv
import shutil

import duckdb
import pytest
from helpers import DEMO_RAW, run_dbt
from test_determinism import mart_hashes

LAST_DAY = "2026-10-31"
# Unit tests read no landing zone: the CI build runs them.
BUILD = ["build", "--exclude-resource-type", "unit_test"]
# The day before and the full refresh compared with are built without data tests: the CI
# build runs them on a full build, and the increment under test runs them all (BUILD).
BUILD_UNTESTED = ["build", "--exclude-resource-type", "unit_test", "test"]

pytestmark = pytest.mark.usefixtures("demo_raw")


def telemetry_files(raw, day):
    return sorted((raw / "telemetry").glob(f"*/*_{day}.*"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    raw, held = work / "raw", work / "held"
    shutil.copytree(DEMO_RAW, raw)
    held.mkdir()
    for path in telemetry_files(raw, LAST_DAY):
        shutil.move(path, held / path.name)
    a, close_dir = work / "a" / "ci.duckdb", work / "close_records"
    first = run_dbt(BUILD_UNTESTED, raw_dir=raw, db=a, close_dir=close_dir)
    assert first.returncode == 0, first.stdout[-4000:]
    with duckdb.connect(str(a), read_only=True) as con:
        before = dict(
            con.execute(
                "select requested_date::varchar, min(day_fingerprint) from fct_request_costs"
                " group by 1"
            ).fetchall()
        )

    # The new day lands, next to changes to days already built.
    for path in held.iterdir():
        source = {"csv": "litellm", "jsonl": "otel", "parquet": "requests"}[path.suffix[1:]]
        shutil.move(path, raw / "telemetry" / source / path.name)
    relanded = raw / "telemetry/litellm/spend_logs_2026-08-15.csv"
    lines = relanded.read_text().splitlines(keepends=True)
    relanded.write_text("".join(lines[:-2]))  # re-landed without its last two requests
    late_source = raw / "telemetry/litellm/spend_logs_2026-08-20.csv"
    with late_source.open(newline="") as fh:
        # five requests (the demo duplicates some rows: one row per request id)
        rows = list({row["request_id"]: row for row in csv.DictReader(fh)}.values())[:5]
    with (raw / "telemetry/litellm/late_spend_logs_2026-08-20.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "request_id": row["request_id"] + "_late"})
    shutil.copy(
        raw / "telemetry/otel/spans_2026-09-03.jsonl",
        raw / "telemetry/otel/spans_2026-09-03_copy.jsonl",
    )
    (raw / "telemetry/requests/requests_2026-09-10.parquet").unlink()

    second = run_dbt(BUILD, raw_dir=raw, db=a, close_dir=close_dir)
    assert second.returncode == 0, second.stdout[-4000:]
    b = work / "b" / "ci.duckdb"
    b.parent.mkdir()
    shutil.copy(a, b)
    refreshed = run_dbt([*BUILD_UNTESTED, "--full-refresh"], raw_dir=raw, db=b, close_dir=close_dir)
    assert refreshed.returncode == 0, refreshed.stdout[-4000:]
    return {"a": a, "b": b, "before": before}


def test_incremental_run_publishes_the_marts_of_a_full_refresh(builds):
    incremental = mart_hashes(builds["a"], with_fingerprints=True)
    full_refresh = mart_hashes(builds["b"], with_fingerprints=True)
    assert len(incremental) >= 9
    assert {t for t in incremental if incremental[t] != full_refresh.get(t)} == set()


def test_only_the_changed_days_were_rebuilt(builds):
    with duckdb.connect(str(builds["a"]), read_only=True) as con:
        after = dict(
            con.execute(
                "select requested_date::varchar, min(day_fingerprint) from fct_request_costs"
                " group by 1"
            ).fetchall()
        )
        late = con.execute(
            "select count(*) from fct_request_costs where request_id like '%\\_late' escape '\\'"
        ).fetchone()[0]
        removed = con.execute(
            "select count(*) from fct_request_costs"
            " where telemetry_source = 'requests' and requested_date = '2026-09-10'"
        ).fetchone()[0]
    changed = {day for day in after if after[day] != builds["before"].get(day)}
    assert changed == {LAST_DAY, "2026-08-15", "2026-08-20", "2026-09-03", "2026-09-10"}
    assert late == 5
    assert removed == 0
