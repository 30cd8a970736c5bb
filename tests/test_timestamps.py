"""Telemetry time text as exporters write it becomes the right UTC instant
(macros/text_to_utc_timestamp.sql): a zone name, an abbreviation or an
hour-only offset is converted from that zone, never taken as UTC."""

import json

from helpers import ROOT, run_dbt

CASES = {
    "2026-09-01 10:00:00 America/New_York": "2026-09-01T14:00:00",
    "2026-09-01 10:00:00 Europe/Berlin": "2026-09-01T08:00:00",
    "2026-09-01T10:00:00-05": "2026-09-01T15:00:00",
    "2026-09-01 10:00:00 EST": "2026-09-01T15:00:00",
    "2026-09-01T10:00:00+0530": "2026-09-01T04:30:00",
    "2026-09-01T12:00:00+02:00": "2026-09-01T10:00:00",
    "2026-09-01T10:00:00Z": "2026-09-01T10:00:00",
    "2026-09-01 10:00:00": "2026-09-01T10:00:00",
    "1788256800": "2026-09-01T10:00:00",
    "1788256800000": "2026-09-01T10:00:00",
    "last tuesday": None,
}


def test_zone_names_abbreviations_and_hour_offsets_are_converted(tmp_path):
    values = ", ".join("('" + text + "')" for text in CASES)
    result = run_dbt(
        [
            "show",
            "--inline",
            f"select v, cast({{{{ text_to_utc_timestamp('v') }}}} as varchar) as utc"
            f" from (values {values}) as t(v)",
            "--limit",
            str(len(CASES)),
            "--output",
            "json",
            "--log-format",
            "json",
        ],
        raw_dir=ROOT / "demo" / "raw",
        db=tmp_path / "ci.duckdb",
        close_dir=tmp_path / "close_records",
    )
    assert result.returncode == 0, result.stdout[-3000:]
    preview = next(
        json.loads(event["data"]["preview"])
        for event in map(json.loads, result.stdout.splitlines())
        if "preview" in event.get("data", {})
    )
    got = {row["v"]: row["utc"] for row in preview}
    expected = {text: None if utc is None else utc.replace("T", " ") for text, utc in CASES.items()}
    assert got == expected
