"""The raw tables every loader writes, whatever the engine: names, columns and meaning
(README, "The raw tables"). Types are plain: text, bigint, timestamp; each engine spells
them its own way. dbt declares these tables as sources (models/staging/*/_*__sources.yml
and models/staging/landing/_landing__sources.yml)."""

from __future__ import annotations

SCHEMA = "raw"

#: On every row of a source's raw table, after the text columns its source declares.
METADATA_COLUMNS = [
    ("source_file", "text"),  # the landing folder as given, a slash, the path below it
    ("source_file_version", "text"),  # size@modification time (ms): changes when re-landed
    ("source_file_modified_at", "timestamp"),  # the file's modification time, UTC
    ("record_number", "bigint"),  # the record's position in its file, from 1
    ("line_number", "bigint"),  # the line it is on, for line formats (JSON lines, OTLP)
]

#: One row per file under the landing zone, at any depth.
LANDED_FILES = "landed_files"
LANDED_FILES_COLUMNS = [
    ("source_file", "text"),
    ("relative_path", "text"),  # below the landing folder
    ("source_file_version", "text"),
    ("size_bytes", "bigint"),
    ("source_file_modified_at", "timestamp"),
    ("raw_table", "text"),  # the raw table holding its records; NULL when none reads it
    ("reader", "text"),  # json_pages, otlp_json_lines, csv, parquet or json_lines
    ("file_status", "text"),  # read, quarantined (not read at all), not_recognized, ignored_hidden
    ("file_check", "text"),  # why a quarantined file was not read
    ("landed_records", "bigint"),  # records counted independently of the reader
    ("loaded_at", "timestamp"),
]

#: One row per record or file a reader could not take: never its text.
LOAD_REJECTS = "load_rejects"
LOAD_REJECTS_COLUMNS = [
    ("raw_table", "text"),
    ("source_file", "text"),
    ("source_file_version", "text"),
    ("record_number", "bigint"),  # the record, when the reader numbered it
    ("line_number", "bigint"),  # the line, when known; both NULL for a whole file
    ("reject_reason", "text"),  # a code: invalid_json, csv_unterminated_quote, ...
    ("reject_message", "text"),  # what is wrong and what to do (redacted)
    ("rejected_records", "bigint"),  # 1, or every record counted in a file rejected whole
]

DUCKDB_TYPES = {"text": "varchar", "bigint": "bigint", "timestamp": "timestamp"}


def raw_table_columns(declared: list[str]) -> list[tuple[str, str]]:
    """A source's raw table: its declared text columns, then the metadata columns."""
    return [(name, "text") for name in declared] + METADATA_COLUMNS


def create_table_sql(table: str, columns: list[tuple[str, str]], types=DUCKDB_TYPES) -> str:
    spelled = ", ".join(
        '"' + name.replace('"', '""') + '" ' + types[kind] for name, kind in columns
    )
    return f"create table if not exists {SCHEMA}.{table} ({spelled})"
