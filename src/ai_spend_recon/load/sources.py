"""The landed sources: which files of the landing zone each raw table holds, and how they are
read. Adding an export format is one entry here, one source table in a dbt sources YAML
(its columns: the raw table's text columns) and one staging model (README, "Adding an
export format")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

#: The readers a source may use, by the file extension they read (lower case; a gzipped
#: file, `.csv.gz`, is read like its inner extension, except Parquet which compresses itself).
READERS = {
    "json_pages": "provider API pages: one JSON document per file, {data: [bucket {results}]}",
    "otlp_json_lines": "OTLP/JSON trace exports, one ExportTraceServiceRequest per line",
    "csv": "RFC 4180 CSV with a header row, UTF-8 or UTF-16 with a byte-order mark",
    "parquet": "Parquet files of the same columns as the source's CSV",
    "json_lines": "one JSON object per line with the source's columns as keys",
}


@dataclass(frozen=True)
class LandedSource:
    """One raw table: the files under `folder` whose extension names a reader."""

    source: str
    table: str
    folder: str
    readers: dict[str, str]
    recursive: bool = False

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"

    def reader_for(self, relative_path: str) -> str | None:
        """The reader of a file at this path under the landing zone, if this source reads it."""
        folder, _, name = relative_path.rpartition("/")
        if folder != self.folder and not (self.recursive and folder.startswith(self.folder + "/")):
            return None
        lower = name.lower()
        for extension, reader in self.readers.items():
            if lower.endswith("." + extension) or (
                reader != "parquet" and lower.endswith(f".{extension}.gz")
            ):
                return reader
        return None


def _pages(source: str, table: str, folder: str) -> LandedSource:
    return LandedSource(source, table, folder, {"json": "json_pages"}, recursive=True)


def _csv(source: str, table: str, folder: str, **more: str) -> LandedSource:
    return LandedSource(source, table, folder, {"csv": "csv", **more})


OPENAI_USAGE_ENDPOINTS = [
    "completions",
    "embeddings",
    "moderations",
    "images",
    "audio_speeches",
    "audio_transcriptions",
]

LANDED_SOURCES: list[LandedSource] = [
    _pages("openai", "costs", "openai/costs"),
    *[_pages("openai", f"usage_{e}", f"openai/usage_{e}") for e in OPENAI_USAGE_ENDPOINTS],
    _pages("anthropic", "cost_report", "anthropic/cost_report"),
    _pages("anthropic", "usage_messages", "anthropic/usage_messages"),
    _csv("focus", "cost_and_usage", "focus", parquet="parquet", jsonl="json_lines"),
    # AWS Data Exports deliver CUR 2.0 under data/BILLING_PERIOD=YYYY-MM/, gzipped CSV or Parquet.
    LandedSource(
        "aws",
        "cur2_cost_and_usage",
        "aws/cur2",
        {"csv": "csv", "parquet": "parquet"},
        recursive=True,
    ),
    # Azure Cost Management exports of cost details (actual or amortized) land as
    # <directory>/<export name>/<YYYYMMDD-YYYYMMDD>/<run id>/part_*.csv(.gz) or .parquet.
    LandedSource(
        "azure",
        "cost_details",
        "azure/cost_details",
        {"csv": "csv", "parquet": "parquet"},
        recursive=True,
    ),
    # Google Cloud Billing's standard usage cost export lives in BigQuery; a table with
    # nested and repeated fields is extracted (bq extract) as newline-delimited JSON
    # (gzipped or not) or Parquet, never CSV: <landing>/google/billing_export/**.
    LandedSource(
        "google",
        "billing_export",
        "google/billing_export",
        {"json": "json_lines", "jsonl": "json_lines", "parquet": "parquet"},
        recursive=True,
    ),
    _csv("invoices", "invoice_lines", "invoices"),
    _csv(
        "telemetry",
        "litellm_spend_logs",
        "telemetry/litellm",
        parquet="parquet",
        jsonl="json_lines",
    ),
    # The Collector's file exporter writes .json; one export per line either way.
    LandedSource(
        "telemetry",
        "otel_spans",
        "telemetry/otel",
        {"jsonl": "otlp_json_lines", "json": "otlp_json_lines"},
    ),
    _csv("telemetry", "requests", "telemetry/requests", parquet="parquet"),
    _csv("finance_inputs", "recharges", "recharges"),
    _csv("finance_inputs", "decisions", "decisions"),
    _csv("finance_inputs", "signoffs", "signoffs"),
]


def declared_columns(project_dir: Path) -> dict[str, list[str]]:
    """Each raw table's text columns, as its dbt source declares them
    (models/staging/<source>/_<source>__sources.yml): the one place they are written."""
    wanted = {(s.source, s.table): s.raw_table for s in LANDED_SOURCES}
    columns: dict[str, list[str]] = {}
    for path in sorted((project_dir / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text()).get("sources", []):
            for table in source.get("tables", []):
                raw_table = wanted.get((source["name"], table["name"]))
                if raw_table:
                    columns[raw_table] = [c["name"] for c in table.get("columns", [])]
    missing = [t for t in wanted.values() if not columns.get(t)]
    if missing:
        raise ValueError(f"no columns declared for raw tables {', '.join(missing)}")
    return columns
