"""The load layer on DuckDB: the landing zone into the raw tables of contract.py, in the
warehouse file dbt builds from.

Each file is read once per version: a file whose size or modification time changed has its
rows replaced, a removed file's rows go. Its records are counted independently of the
reader (a CSV's by quote parity over its lines, a page's by the "results" key at any
depth, an OTLP export's by the "spans" key, a Parquet file's from its footer), and a
record the reader cannot take is kept in raw.load_rejects with its file, line and reason,
never its text. Every value is redacted (redaction.py) before it is written.
"""

from __future__ import annotations

import codecs
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ai_spend_recon.load import contract, json_pages
from ai_spend_recon.load.close_records import record_files, record_folders
from ai_spend_recon.load.configuration import ConfigTable, ConfigurationError, header_match
from ai_spend_recon.load.landing import LandedFile
from ai_spend_recon.load.redaction import Redaction
from ai_spend_recon.load.sources import LandedSource


def sql_string(value: str) -> str:
    """A value as a SQL string literal: a path is data, never SQL."""
    return "'" + value.replace("'", "''") + "'"


def glob_literal(path: str) -> str:
    """A path as the pattern DuckDB's readers match to that path only (they read every path
    as a glob): each glob character of a name ([, *, ?) in a bracket class of its own."""
    return path.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")


def file_literal(path: str) -> str:
    return sql_string(glob_literal(path))


def file_list(files: Iterable[LandedFile]) -> str:
    return "[" + ", ".join(file_literal(f.path) for f in files) + "]"


@dataclass
class FileOutcome:
    """What loading one file found: its independent record count and, for a file not read
    at all, why (file_check)."""

    landed_records: int
    file_check: str | None = None


# JSON fields a landed text column may carry that are never stored: LiteLLM writes a
# failure's error message and traceback into its metadata's error_information, and either
# can quote the prompt. Only their classifying siblings (error_class, error_code) are kept.
WITHHELD_JSON_FIELDS = {
    ("telemetry__litellm_spend_logs", "metadata"): {
        "error_information": ("error_message", "traceback")
    },
}

UNREADABLE_MESSAGES = {
    "UNTERMINATED QUOTE": "A quoted field is never closed (odd number of double quotes); ",
    "MIXED LINE ENDINGS": "CRLF and LF line endings are mixed; ",
    "NOT UTF8": "The file is not UTF-8 (nor UTF-16 with a byte-order mark), e.g. Windows-1252"
    " as Excel saves CSV (choose CSV UTF-8); ",
    "INVALID JSON": "The file is not valid JSON; ",
}


class DuckDBLoader:
    """Loads the files of each landed source into its raw table."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        columns: dict[str, list[str]],
        redaction: Redaction,
        *,
        csv_quote_check_max_bytes: int,
        csv_max_malformed_lines: int,
        load_batch_max_bytes: int,
    ) -> None:
        self.con = con
        self.columns = columns
        self.redaction = redaction
        self.csv_quote_check_max_bytes = csv_quote_check_max_bytes
        self.csv_max_malformed_lines = csv_max_malformed_lines
        self.load_batch_max_bytes = load_batch_max_bytes

    # -- tables -------------------------------------------------------------------------

    def ensure_tables(self, sources: Iterable[LandedSource]) -> set[str]:
        """Create the raw schema and tables; a raw table whose columns differ from its
        declaration (a new project version) is dropped and reloaded whole. Returns the raw
        tables to reload whole."""
        con = self.con
        con.execute(f"create schema if not exists {contract.SCHEMA}")
        con.execute(contract.create_table_sql(contract.LANDED_FILES, contract.LANDED_FILES_COLUMNS))
        con.execute(contract.create_table_sql(contract.LOAD_REJECTS, contract.LOAD_REJECTS_COLUMNS))
        reload = set()
        for source in sources:
            wanted = contract.raw_table_columns(self.columns[source.raw_table])
            existing = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = ? and table_name = ? order by ordinal_position",
                    [contract.SCHEMA, source.raw_table],
                ).fetchall()
            ]
            if existing != [name for name, _ in wanted]:
                con.execute(f"drop table if exists {contract.SCHEMA}.{source.raw_table}")
                con.execute(contract.create_table_sql(source.raw_table, wanted))
                reload.add(source.raw_table)
        return reload

    def loaded_versions(self, raw_table: str) -> dict[str, str]:
        return dict(
            self.con.execute(
                "select source_file, source_file_version"
                f" from {contract.SCHEMA}.{contract.LANDED_FILES} where raw_table = ?",
                [raw_table],
            ).fetchall()
        )

    def forget(self, raw_table: str, paths: list[str]) -> None:
        """Drop every row, reject and inventory entry of these files of a raw table."""
        if not paths:
            return
        self.con.execute("create or replace temporary table forgotten (source_file varchar)")
        self.con.executemany("insert into forgotten values (?)", [[p] for p in paths])
        for table, condition in (
            (raw_table, ""),
            (contract.LOAD_REJECTS, f" and raw_table = {sql_string(raw_table)}"),
            (contract.LANDED_FILES, f" and raw_table = {sql_string(raw_table)}"),
        ):
            self.con.execute(
                f"delete from {contract.SCHEMA}.{table}"
                " where source_file in (select source_file from forgotten)" + condition
            )

    def record_files(
        self, source: LandedSource, files: list[LandedFile], outcomes: dict[str, FileOutcome]
    ) -> None:
        rows = []
        for f in files:
            outcome = outcomes.get(f.path, FileOutcome(0))
            rows.append(
                [
                    f.path,
                    f.relative_path,
                    f.version,
                    f.size_bytes,
                    f.modified_ms,
                    source.raw_table,
                    f.reader,
                    "quarantined" if outcome.file_check else "read",
                    outcome.file_check,
                    outcome.landed_records,
                ]
            )
        self._insert_files(rows)

    def record_unread_files(self, files: list[LandedFile]) -> None:
        """Replace the inventory rows of files no source reads (hidden or not recognized)."""
        self.con.execute(
            f"delete from {contract.SCHEMA}.{contract.LANDED_FILES} where raw_table is null"
        )
        self._insert_files(
            [
                [
                    f.path,
                    f.relative_path,
                    f.version,
                    f.size_bytes,
                    f.modified_ms,
                    None,
                    None,
                    "ignored_hidden" if f.is_hidden else "not_recognized",
                    None,
                    None,
                ]
                for f in files
            ]
        )

    def _insert_files(self, rows: list[list]) -> None:
        if not rows:
            return
        self.con.executemany(
            f"insert into {contract.SCHEMA}.{contract.LANDED_FILES} ("
            "source_file, relative_path, source_file_version, size_bytes, source_file_modified_at,"
            " raw_table, reader, file_status, file_check, landed_records, loaded_at)"
            " values (?, ?, ?, ?, make_timestamp(? * 1000), ?, ?, ?, ?, ?, now()::timestamp)",
            rows,
        )

    def reject(self, raw_table: str, rows: list[list]) -> None:
        """Keep rejects: [source_file, version, record_number, line_number, reason, message,
        rejected_records]. The message is redacted: it may quote the file."""
        if not rows:
            return
        self.con.execute(
            "create or replace temporary table new_rejects (source_file varchar,"
            " source_file_version varchar, record_number bigint, line_number bigint,"
            " reject_reason varchar, reject_message varchar, rejected_records bigint)"
        )
        self.con.executemany("insert into new_rejects values (?, ?, ?, ?, ?, ?, ?)", rows)
        self.con.execute(
            f"insert into {contract.SCHEMA}.{contract.LOAD_REJECTS} select {sql_string(raw_table)},"
            " source_file, source_file_version, record_number, line_number, reject_reason, "
            f"{self.redaction.sql('reject_message')}, rejected_records from new_rejects"
        )

    def insert_rows(self, raw_table: str, relation_sql: str) -> None:
        """Insert a relation holding the raw table's text columns (any missing reads NULL)
        and its metadata columns, every text column redacted."""
        declared = self.columns[raw_table]
        # Names are matched regardless of case, as SQL reads them: Azure's cost-details
        # exports write `CostInBillingCurrency` (EA) or `costInBillingCurrency` (MCA).
        spelled = {
            row[0].lower(): row[0]
            for row in self.con.execute(f"describe select * from ({relation_sql})").fetchall()
        }
        available = set(spelled)
        relation_sql = self._withhold_json_fields(raw_table, relation_sql, spelled)
        # Redaction runs on a row's values only when one of them holds a marker.
        flag = "load_row_has_credential_marker"
        read = [quote(c) for c in declared if c.lower() in available]
        selected = [
            f"case when {flag} then {self.redaction.sql(quote(c))} else {quote(c)} end"
            f" as {quote(c)}"
            if c.lower() in available
            else f"null::varchar as {quote(c)}"
            for c in declared
        ]
        metadata = ", ".join(name for name, _ in contract.METADATA_COLUMNS)
        marked = self.redaction.any_marker_sql(read) if read else "false"
        self.con.execute(
            f"insert into {contract.SCHEMA}.{raw_table} by name select {', '.join(selected)},"
            f" {metadata} from (select *, {marked} as {flag} from ({relation_sql}))"
        )

    @staticmethod
    def _withhold_json_fields(raw_table: str, relation_sql: str, spelled: dict) -> str:
        """The relation with WITHHELD_JSON_FIELDS removed from its JSON text columns (a
        JSON merge patch setting them to null removes them); a value that is not JSON, or
        holds no such object, is left as it is."""
        replaced = []
        for (table, column), objects in WITHHELD_JSON_FIELDS.items():
            name = spelled.get(column)
            if table != raw_table or name is None:
                continue
            value = quote(name)
            for key, fields in objects.items():
                patch = json.dumps({key: dict.fromkeys(fields)})
                value = (
                    f"case when contains({value}, {sql_string(json.dumps(key))})"
                    f" and json_valid({value})"
                    f" and json_type({value}, {sql_string('$.' + key)}) = 'OBJECT'"
                    f" then cast(json_merge_patch({value}, {sql_string(patch)}) as varchar)"
                    f" else {value} end"
                )
            replaced.append(f"{value} as {quote(name)}")
        if not replaced:
            return relation_sql
        return f"select * replace ({', '.join(replaced)}) from ({relation_sql})"

    def load_configuration(self, tables: list[ConfigTable], config_dir: str) -> list[str]:
        """Replace every raw.config__<table> with its file's rows, typed (configuration.py);
        returns one line per table."""
        report = []
        for table in tables:
            path = f"{config_dir.rstrip('/')}/{table.file}"
            spelled = ", ".join(
                [f"{quote(name)} {data_type}" for name, data_type in table.columns]
                + [
                    f"{name} {contract.DUCKDB_TYPES[kind]}"
                    for name, kind in contract.METADATA_COLUMNS
                ]
            )
            self.con.execute(f"drop table if exists {contract.SCHEMA}.{table.raw_table}")
            self.con.execute(f"create table {contract.SCHEMA}.{table.raw_table} ({spelled})")
            if not os.path.isfile(path) or not open(path, "rb").read().strip():
                report.append(f"{table.raw_table}: no rows ({path} missing or empty)")
                continue
            scan = (
                f"read_csv({file_literal(path)}, all_varchar = true, header = true, delim = ',',"
                " quote = '\"', escape = '\"') with ordinality"
            )
            described = self.con.execute(f"describe select * from {scan}").fetchall()
            header = [row[0] for row in described]
            written = header_match([h for h in header if h != "ordinality"], table, path)
            # Text is redacted like every landed value: a key pasted into an owner or a
            # note is stored as its hash.
            typed = {
                name: config_cast(
                    self.redaction.sql(quote(written[name]))
                    if data_type == "varchar"
                    else quote(written[name]),
                    data_type,
                )
                for name, data_type in table.columns
            }
            bad = []
            for name, data_type in table.columns:
                if data_type == "varchar":
                    continue
                bad += self.con.execute(
                    f"select ordinality + 1, {sql_string(name)}, {sql_string(data_type)},"
                    f" {quote(written[name])} from {scan}"
                    f" where nullif(trim({quote(written[name])}), '') is not null"
                    f" and {typed[name]} is null"
                ).fetchall()
            if bad:
                lines = "\n".join(
                    f"  line {line}, column {name}: {value} is not a {data_type}"
                    for line, name, data_type, value in sorted(bad, key=lambda r: (r[0], r[1]))
                )
                raise ConfigurationError(
                    f"Configuration file {path} has values that do not parse:\n{lines}\n"
                    "Fix them (a blank value reads as empty) and run again."
                )
            stat = os.stat(path)
            version = f"{stat.st_size}@{stat.st_mtime_ns // 1_000_000}"
            self.con.execute(
                f"insert into {contract.SCHEMA}.{table.raw_table} select "
                + ", ".join(f"{typed[name]}::{data_type}" for name, data_type in table.columns)
                + f", {sql_string(path)}, {sql_string(version)},"
                f" make_timestamp({stat.st_mtime_ns // 1000}), ordinality, ordinality + 1"
                f" from {scan}"
            )
            (rows,) = self.con.execute(
                f"select count(*) from {contract.SCHEMA}.{table.raw_table}"
            ).fetchone()
            report.append(f"{table.raw_table}: {rows} rows from {path}")
        return report

    def load_close_records(
        self, close_dir: str, columns: dict[str, list[tuple[str, str]]]
    ) -> list[str]:
        """Replace every raw.close_records__<table> with the records of every closed period
        (verified first: close_records.verify), typed as the mart each records; empty, with
        those columns, before any period has closed."""
        report = []
        for table, table_columns in columns.items():
            raw_table = f"close_records__{table}"
            spelled = ", ".join(f"{quote(name)} {data_type}" for name, data_type in table_columns)
            self.con.execute(f"drop table if exists {contract.SCHEMA}.{raw_table}")
            self.con.execute(f"create table {contract.SCHEMA}.{raw_table} ({spelled})")
            files = [
                str(path)
                for folder in record_folders(close_dir)
                for path in record_files(folder, table)
            ]
            if files:
                names = ", ".join(quote(name) for name, _ in table_columns)
                paths = "[" + ", ".join(file_literal(path) for path in files) + "]"
                # A column the mart gained after a period closed (a new variance category)
                # is not in that period's record: it reads as NULL, never fails the load.
                recorded = {
                    name
                    for (name,) in self.con.execute(
                        f"select distinct name from parquet_schema({paths})"
                    ).fetchall()
                } | {"close_period"}
                values = ", ".join(
                    quote(name) if name in recorded else "null" for name, _ in table_columns
                )
                self.con.execute(
                    f"insert into {contract.SCHEMA}.{raw_table} ({names}) select {values}"
                    f" from read_parquet({paths}, hive_partitioning = true, union_by_name = true)"
                )
            report.append(f"{raw_table}: {len(files)} closed periods from {close_dir}")
        return report

    # -- readers ------------------------------------------------------------------------

    def load_files(self, source: LandedSource, files: list[LandedFile]) -> dict[str, FileOutcome]:
        """Each reader's files in batches of about load_batch_max_bytes (a larger file alone):
        what a statement numbers, sorts and holds is one batch's, so a landing zone of any
        size loads in bounded memory and time per byte. A pull's pages are read together
        (its completeness depends on all of them)."""
        by_reader: dict[str, list[LandedFile]] = defaultdict(list)
        for f in files:
            by_reader[f.reader].append(f)
        outcomes: dict[str, FileOutcome] = {}
        for reader, reader_files in by_reader.items():
            batches = (
                [reader_files]
                if reader == "json_pages"
                else size_batches(reader_files, self.load_batch_max_bytes)
            )
            for batch in batches:
                outcomes.update(getattr(self, f"_load_{reader}")(source, batch))
        return outcomes

    def _load_json_pages(
        self, source: LandedSource, files: list[LandedFile]
    ) -> dict[str, FileOutcome]:
        """Pages in Python (json_pages.py). A pull is one folder of pages in name order:
        when its last page still says has_more, the pull was cut short, and every record of
        it is rejected (page_sequence_incomplete) so it supersedes nothing."""
        outcomes: dict[str, FileOutcome] = {}
        documents: dict[str, object] = {}
        rejects = []
        for f in files:
            with open(f.path, "rb") as handle:
                content = handle.read()
            try:
                documents[f.path] = json_pages.parse_document(content, f.is_gzipped)
            except (ValueError, UnicodeDecodeError, EOFError, OSError) as error:
                outcomes[f.path] = FileOutcome(1, "INVALID JSON")
                rejects.append(
                    [
                        f.path,
                        f.version,
                        None,
                        None,
                        "invalid_json",
                        UNREADABLE_MESSAGES["INVALID JSON"] + f"{error}. The file was not read.",
                        1,
                    ]
                )
        last_page_of_pull: dict[str, str] = {}
        for f in files:
            folder = f.path.rsplit("/", 1)[0]
            last_page_of_pull[folder] = max(last_page_of_pull.get(folder, f.path), f.path)
        incomplete_pulls = {
            folder
            for folder, path in last_page_of_pull.items()
            if json_pages.PageMore.of(documents.get(path)).has_more
        }
        names = self.columns[source.raw_table]
        batch: dict[str, list] = {
            name: []
            for name in [
                *names,
                "source_file",
                "source_file_version",
                "modified_ms",
                "record_number",
            ]
        }
        for f in files:
            if f.path not in documents:
                continue
            document = documents[f.path]
            records = list(json_pages.page_records(document))
            outcomes[f.path] = FileOutcome(json_pages.count_results(document))
            if f.path.rsplit("/", 1)[0] in incomplete_pulls:
                rejects.extend(
                    [
                        f.path,
                        f.version,
                        number,
                        None,
                        "page_sequence_incomplete",
                        "The pull's last page says has_more: its pages were cut short, so none"
                        " of them is used (pull again).",
                        1,
                    ]
                    for number in range(1, len(records) + 1)
                )
                continue
            for number, record in enumerate(records, start=1):
                for name in names:
                    batch[name].append(record.get(name))
                batch["source_file"].append(f.path)
                batch["source_file_version"].append(f.version)
                batch["modified_ms"].append(f.modified_ms)
                batch["record_number"].append(number)
        self.reject(source.raw_table, rejects)
        page_rows = pa.table(
            {
                **{
                    name: pa.array(values, pa.string())
                    for name, values in batch.items()
                    if name not in ("modified_ms", "record_number")
                },
                "modified_ms": pa.array(batch["modified_ms"], pa.int64()),
                "record_number": pa.array(batch["record_number"], pa.int64()),
            }
        )
        self.con.register("page_rows", page_rows)
        self.insert_rows(
            source.raw_table,
            "select * exclude (modified_ms), make_timestamp(modified_ms * 1000) as"
            " source_file_modified_at, null::bigint as line_number from page_rows",
        )
        self.con.unregister("page_rows")
        return outcomes

    def _read_lines_sql(self, files: list[LandedFile], encoding: str = "utf-8") -> str:
        """Files read as lines in one multi-file scan (one scan per file would hold a buffer
        per file at once): filename, source_file_version, source_file_modified_at,
        line_number and line_text (NULL for a blank line). A line is never split on quotes
        or commas. The scan numbers lines across files; each file's first number is looked
        up first (a scan that keeps no line) and joined as a constant."""
        scan = (
            f"read_csv({file_list(files)}, columns = {{'line_text': 'VARCHAR'}}, header = false,"
            " delim = chr(1), quote = '', escape = '', auto_detect = false, strict_mode = false,"
            " filename = true, max_line_size = 8388608, buffer_size = 8388608,"
            f" encoding = '{encoding}') with ordinality"
        )
        first = dict(
            self.con.execute(
                f"select filename, min(ordinality) from {scan} group by filename"
            ).fetchall()
        )
        versions = self._file_constants(files, first)
        return (
            "select versions.filename, versions.source_file_version,"
            " versions.source_file_modified_at,"
            " lines.ordinality - versions.first_ordinality + 1 as line_number, lines.line_text"
            f" from {scan} as lines inner join {versions} as versions"
            " on lines.filename = versions.filename"
        )

    def _load_csv(self, source: LandedSource, files: list[LandedFile]) -> dict[str, FileOutcome]:
        """CSV files, checked first: a file that is neither UTF-8 nor UTF-16 with a byte-order
        mark (Windows-1252, Excel's default: which bytes meant which characters is a guess),
        whose quoted field is never closed, or whose CRLF and LF line endings are mixed, is
        not handed to DuckDB's strict reader (it gives up on the whole file, and its lenient
        mode silently truncates rows): it is kept as one reject, so the rest of the folder
        loads. So is a file with more than csv_max_malformed_lines records whose field count
        differs from the header's (DuckDB keeps tens of kilobytes per rejected line, outside
        memory_limit: a file of garbage would take the machine's memory). Files above
        csv_quote_check_max_bytes and gzipped files are not pre-checked. Files with the same
        header line and encoding share one multi-file scan; DuckDB's rejected lines are kept
        with their line number and reason."""
        checks = self._csv_checks([f for f in files if f.size_bytes > 0])
        outcomes: dict[str, FileOutcome] = {}
        readable: list[LandedFile] = []
        rejects = []
        for f in files:
            check = checks.get(f.path)
            if f.size_bytes == 0:
                outcomes[f.path] = FileOutcome(0)
            elif check and check != "UTF-16":
                outcomes[f.path] = FileOutcome(1, check)
                rejects.append(
                    [
                        f.path,
                        f.version,
                        None,
                        None,
                        "csv_" + check.lower().replace(" ", "_"),
                        UNREADABLE_MESSAGES[check] + "the file was not read. Fix the export and"
                        " re-land it.",
                        1,
                    ]
                )
            else:
                readable.append(f)
        utf16 = {path for path, check in checks.items() if check == "UTF-16"}
        counted = self._csv_record_counts(readable, utf16)
        for f in list(readable):
            records, malformed = counted.get(f.path, (0, 0))
            if malformed > self.csv_max_malformed_lines:
                readable.remove(f)
                outcomes[f.path] = FileOutcome(records, "TOO MANY MALFORMED LINES")
                rejects.append(
                    [
                        f.path,
                        f.version,
                        None,
                        None,
                        "csv_too_many_malformed_lines",
                        f"More than {self.csv_max_malformed_lines} lines have a different"
                        " number of fields from the header (not a CSV export of these"
                        " columns, or garbage; its records are counted in landed_files);"
                        " the file was not read. Fix the export and re-land it.",
                        records,
                    ]
                )
            else:
                outcomes[f.path] = FileOutcome(records)
        self.reject(source.raw_table, rejects)
        for number, group in enumerate(self._csv_header_groups(readable, utf16), start=1):
            self._load_csv_group(
                source, group, "utf-16" if group[0].path in utf16 else "utf-8", number
            )
        return outcomes

    def _csv_checks(self, files: list[LandedFile]) -> dict[str, str]:
        checks = {
            f.path: csv_file_check(f.path)
            for f in files
            if not f.is_gzipped and f.size_bytes <= self.csv_quote_check_max_bytes
        }
        return {path: check for path, check in checks.items() if check}

    def _csv_record_counts(
        self, files: list[LandedFile], utf16: set[str]
    ) -> dict[str, tuple[int, int]]:
        """Records per file found by quote parity, not by a CSV parser: a line ends a
        record when the double quotes up to it are even (RFC 4180: a quoted line break
        stays inside its record, an escaped quote is doubled); blank lines are no records,
        the header is the first. Also the records on a line of their own whose field count
        differs from the header's (malformed; a lower bound)."""
        counts: dict[str, tuple[int, int]] = {}
        for encoding in ("utf-8", "utf-16"):
            encoded = [f for f in files if (f.path in utf16) == (encoding == "utf-16")]
            if not encoded:
                continue
            rows = self.con.execute(
                f"""
                with

                lines as (
                    select
                        filename,
                        line_number,
                        -- (a regular expression: trim() costs more than the read)
                        coalesce(regexp_full_match(line_text, '[\\r\\x{{feff}}]*'), true)
                            as is_blank,
                        coalesce(strlen(line_text) - strlen(replace(line_text, '"', '')), 0) % 2 = 1
                            as is_odd,
                        case when not contains(line_text, '"')
                            then strlen(line_text) - strlen(replace(line_text, ',', ''))
                        end as delimiters
                    from ({self._read_lines_sql(encoded, encoding)})
                ),

                per_file as (
                    select
                        filename,
                        count(*) filter (where not is_blank) as nonblank_lines,
                        max(line_number) as last_line,
                        max(delimiters) filter (where line_number = 1) as header_delimiters
                    from lines
                    group by filename
                ),

                marks as (
                    -- Only lines with an odd number of quotes change whether the next line
                    -- is inside a quoted field; blank lines inside one are no record.
                    select
                        filename,
                        line_number,
                        is_odd,
                        is_blank,
                        delimiters,
                        (
                            sum(is_odd::int) over (
                                partition by filename order by line_number
                                rows between unbounded preceding and current row
                            ) - is_odd::int
                        ) % 2 = 1 as inside_before
                    from lines
                    where is_odd or is_blank or (delimiters is not null and line_number > 1)
                ),

                spans as (
                    select
                        marks.filename,
                        coalesce(sum(
                            case when marks.is_odd and marks.inside_before then marks.line_number
                                when marks.is_odd then -marks.line_number end
                        ), 0) as signed_odd_lines,
                        count(*) filter (where marks.is_odd) as odd_lines,
                        count(*) filter (where marks.is_blank and marks.inside_before)
                            as blank_span_lines,
                        count(*) filter (
                            where not marks.is_blank and not marks.inside_before
                            and marks.delimiters != per_file.header_delimiters
                        ) as malformed_lines
                    from marks
                    inner join per_file on marks.filename = per_file.filename
                    group by marks.filename
                )

                select
                    per_file.filename,
                    greatest(
                        per_file.nonblank_lines - 1 - coalesce(
                            spans.signed_odd_lines
                            + case
                                when spans.odd_lines % 2 = 1 then per_file.last_line + 1 else 0
                            end
                            - spans.blank_span_lines,
                            0
                        ), 0
                    ),
                    coalesce(spans.malformed_lines, 0)
                from per_file
                left join spans on per_file.filename = spans.filename
                """
            ).fetchall()
            counts.update({path: (records, malformed) for path, records, malformed in rows})
        return counts

    def _csv_header_groups(
        self, files: list[LandedFile], utf16: set[str]
    ) -> list[list[LandedFile]]:
        """Files grouped by their header line exactly as written (a byte-order mark included)
        and encoding, in file order: a multi-file scan takes its columns from the first file."""
        groups: dict[tuple[str, str], list[LandedFile]] = {}
        for f in files:
            encoding = "utf-16" if f.path in utf16 else "utf-8"
            header = self.con.execute(
                f"select line_text from read_csv({file_literal(f.path)},"
                " columns = {'line_text': 'VARCHAR'}, header = false, delim = chr(1), quote = '',"
                " escape = '', auto_detect = false,"
                f" strict_mode = false, max_line_size = 8388608, encoding = '{encoding}') limit 1"
            ).fetchone()
            groups.setdefault((encoding, header[0] if header else ""), []).append(f)
        return list(groups.values())

    def _load_csv_group(
        self, source: LandedSource, files: list[LandedFile], encoding: str, number: int
    ) -> None:
        rejects_table, rejects_scan = f"rejects_{number}", f"rejects_scan_{number}"
        for table in (rejects_table, rejects_scan):
            self.con.execute(f"drop table if exists temp.{table}")
        scan = (
            f"read_csv({file_list(files)}, all_varchar = true, header = true, delim = ',',"
            f" quote = '\"', escape = '\"', encoding = '{encoding}', filename = true,"
            f" store_rejects = true, rejects_table = '{rejects_table}',"
            f" rejects_scan = '{rejects_scan}') with ordinality"
        )
        # One parse: a record's number in its file is its rank there by scan order.
        versions = self._file_constants(files)
        self.insert_rows(
            source.raw_table,
            f"""
            select
                csv_rows.* exclude (ordinality, filename),
                versions.filename as source_file,
                versions.source_file_version,
                versions.source_file_modified_at,
                row_number() over (partition by csv_rows.filename order by csv_rows.ordinality)
                    as record_number,
                null::bigint as line_number
            from (
                select
                    -- a byte-order mark at the start of a value or name is dropped
                    case
                        when prefix(columns(* exclude (ordinality, filename)), chr(65279))
                            then ltrim(columns(* exclude (ordinality, filename)), chr(65279))
                        else columns(* exclude (ordinality, filename))
                    end,
                    filename,
                    ordinality
                from (select columns('^\\x{{feff}}*(.*)$') as '\\1' from {scan})
            ) as csv_rows
            inner join {versions} as versions on csv_rows.filename = versions.filename
            """,
        )
        version_of = {f.path: f.version for f in files}
        rows = self.con.execute(
            f"""
            select scans.file_path, cast(errors.line as bigint), cast(errors.error_type as varchar),
                errors.error_message
            from temp.{rejects_table} as errors
            inner join temp.{rejects_scan} as scans
                on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
            -- DuckDB may report one line several times (once per missing column): keep one.
            qualify row_number() over (
                partition by scans.file_path, errors.line order by errors.error_message
            ) = 1
            order by 1, 2
            """
        ).fetchall()
        self.reject(
            source.raw_table,
            [
                [
                    path,
                    version_of.get(path),
                    None,
                    line,
                    "csv_" + error_type.lower().replace(" ", "_"),
                    message,
                    1,
                ]
                for path, line, error_type, message in rows
            ],
        )
        for table in (rejects_table, rejects_scan):
            self.con.execute(f"drop table if exists temp.{table}")

    def _file_constants(self, files: list[LandedFile], first: dict[str, int] | None = None) -> str:
        """The files as a relation of constants: filename, source_file_version,
        source_file_modified_at and (in a multi-file scan) first_ordinality."""
        rows = ", ".join(
            f"({sql_string(f.path)}, {sql_string(f.version)},"
            f" make_timestamp({f.modified_ms * 1000}), {(first or {}).get(f.path, 0)})"
            for f in files
        )
        return (
            "(select * from (values (null::varchar, null::varchar, null::timestamp, null::bigint)"
            + (", " + rows if rows else "")
            + ") as v (filename, source_file_version, source_file_modified_at, first_ordinality))"
        )

    def _load_parquet(
        self, source: LandedSource, files: list[LandedFile]
    ) -> dict[str, FileOutcome]:
        """Parquet files of the same columns, in one scan (columns matched by name): every
        value as text (maps, structs and lists, e.g. FOCUS Tags, as JSON); rows are counted
        from each file's footer."""
        counted = self.con.execute(
            f"select file_name, coalesce(sum(num_rows), 0)"
            f" from parquet_file_metadata({file_list(files)}) group by file_name"
        ).fetchall()
        outcomes = {f.path: FileOutcome(0) for f in files}
        by_name = {glob_literal(f.path): f.path for f in files} | {f.path: f.path for f in files}
        for name, rows in counted:
            outcomes[by_name.get(name, name)] = FileOutcome(int(rows))
        self.insert_rows(
            source.raw_table,
            f"""
            select
                case
                    when
                        typeof(columns(* exclude (file_row_number, filename)))
                            similar to '(MAP|STRUCT).*'
                        or typeof(columns(* exclude (file_row_number, filename))) like '%[]'
                        then to_json(columns(* exclude (file_row_number, filename)))::varchar
                    else columns(* exclude (file_row_number, filename))::varchar
                end,
                versions.filename as source_file,
                versions.source_file_version,
                versions.source_file_modified_at,
                parquet_rows.file_row_number + 1 as record_number,
                null::bigint as line_number
            from read_parquet(
                {file_list(files)}, file_row_number = true, filename = true, union_by_name = true
            ) as parquet_rows
            inner join {self._file_constants(files)} as versions
                on parquet_rows.filename = versions.filename
            """,
        )
        return outcomes

    def _load_json_lines(
        self, source: LandedSource, files: list[LandedFile]
    ) -> dict[str, FileOutcome]:
        """One JSON object per line with the source's columns as keys (nested values as JSON
        text); a line that is not JSON is rejected with its line number."""
        self._stage_nonblank_lines(files)
        columns = self.columns[source.raw_table]
        # one parse per line: every key's value in one call
        paths = "[" + ", ".join(sql_string("$." + json_key(c)) for c in columns) + "]"
        extract = ", ".join(f"line_values[{i}] as {quote(c)}" for i, c in enumerate(columns, 1))
        self.insert_rows(
            source.raw_table,
            f"select {extract}, filename as source_file, source_file_version,"
            " source_file_modified_at,"
            " row_number() over (partition by filename order by line_number) as record_number,"
            f" line_number from (select *, json_extract_string(line_text, {paths}) as line_values"
            " from landed_lines where is_json)",
        )
        return self._lines_outcomes(source, "count(*)")

    def _stage_nonblank_lines(self, files: list[LandedFile], otlp: bool = False) -> None:
        """The files' lines with anything but spaces and carriage returns, as
        temp.landed_lines (a JSON-lines export may hold megabytes on one line: no copy of a
        line is made to test it), with what each line is found to be, found once: is_json
        and (OTLP) is_attribute_map."""
        attribute_map = OTLP_ATTRIBUTE_MAP if otlp else "false"
        self.con.execute(
            "create or replace temporary table landed_lines as select *,"
            f" json_valid(line_text) as is_json, {attribute_map} as is_attribute_map"
            f" from ({self._read_lines_sql(files)})"
            " where regexp_matches(coalesce(line_text, ''), '[^\\r ]')"
        )

    def _reject_otlp_attribute_maps(self, source: LandedSource) -> None:
        """Reject the OTLP lines whose resource, span, event or link attributes are a JSON
        object (OTLP_ATTRIBUTE_MAP), with their span count."""
        flagged = self.con.execute(
            "select filename, source_file_version, line_number,"
            " coalesce(len(json_extract(line_text, '$..spans[*]')), 0)"
            " from landed_lines where is_attribute_map and is_json"
            " order by 1, 3"
        ).fetchall()
        self.reject(
            source.raw_table,
            [
                [
                    path,
                    version,
                    None,
                    line,
                    "otlp_attributes_not_a_list",
                    "Attributes are written as a JSON object; OTLP/JSON writes them as a list"
                    ' of {"key": ..., "value": {...}}: the line\'s spans are not read.',
                    spans,
                ]
                for path, version, line, spans in flagged
            ],
        )

    def _lines_outcomes(self, source: LandedSource, records: str) -> dict[str, FileOutcome]:
        """Records per file of temp.landed_lines (a line that is not JSON counts one, its
        reject), and the rejects of lines that are not JSON."""
        rows = self.con.execute(
            "select filename, source_file_version, line_number from landed_lines"
            " where not is_json order by 1, 3"
        ).fetchall()
        self.reject(
            source.raw_table,
            [
                [path, version, None, line, "invalid_json", "The line is not valid JSON.", 1]
                for path, version, line in rows
            ],
        )
        counted = self.con.execute(
            f"select filename, {records} from landed_lines group by filename"
        ).fetchall()
        return {path: FileOutcome(int(n)) for path, n in counted}

    def _load_otlp_json_lines(
        self, source: LandedSource, files: list[LandedFile]
    ) -> dict[str, FileOutcome]:
        """OTLP/JSON exports, one per line: one record per span of every resource and
        scope, with lowerCamelCase keys, the protobuf field names (snake_case, which
        receivers should accept) or the scope list's name before OTLP 1.0
        (instrumentationLibrarySpans). Span fields are columns in snake_case (trace_id,
        status_code, ...); a span attribute is the column named like its key with dots as
        underscores (gen_ai.usage.input_tokens is gen_ai_usage_input_tokens); service_name
        is the resource's service.name. Values as text (OTLP/JSON writes int64 as a string).
        A line whose attributes are a JSON object rather than OTLP's list of {key, value}
        is rejected whole (otlp_attributes_not_a_list), its spans counted: read as a list
        they would carry no tokens."""
        self._stage_nonblank_lines(files, otlp=True)
        self._reject_otlp_attribute_maps(source)
        attributes = (
            '[{"key": "VARCHAR", "value": {"stringValue": "VARCHAR", "intValue": "VARCHAR",'
            ' "doubleValue": "VARCHAR", "boolValue": "VARCHAR"}}]'
        )
        shape = (
            f'{{"resourceSpans": [{{"resource": {{"attributes": {attributes}}}, "scopeSpans":'
            ' [{"spans": [{"traceId": "VARCHAR", "spanId": "VARCHAR", "startTimeUnixNano":'
            ' "VARCHAR", "endTimeUnixNano": "VARCHAR", "status": {"code": "VARCHAR", "message":'
            f' "VARCHAR"}}, "attributes": {attributes}}}]}}]}}]}}'
        )
        span_fields = {
            "trace_id": "span['traceId']",
            "span_id": "span['spanId']",
            "start_time_unix_nano": "span['startTimeUnixNano']",
            "end_time_unix_nano": "span['endTimeUnixNano']",
            "status_code": "span['status']['code']",
            "status_message": "span['status']['message']",
            "service_name": "service_name",
        }
        columns = ", ".join(
            span_fields.get(c, f"attribute_values[list_position(attribute_keys, {sql_string(c)})]")
            + f" as {quote(c)}"
            for c in self.columns[source.raw_table]
        )
        renames = [
            ("resource_spans", "resourceSpans"),
            (
                "(scope_spans|instrumentation_library_spans|instrumentationLibrarySpans)",
                "scopeSpans",
            ),
            ("trace_id", "traceId"),
            ("span_id", "spanId"),
            ("start_time_unix_nano", "startTimeUnixNano"),
            ("end_time_unix_nano", "endTimeUnixNano"),
            ("string_value", "stringValue"),
            ("int_value", "intValue"),
            ("double_value", "doubleValue"),
            ("bool_value", "boolValue"),
        ]
        # Only keys change: in JSON a string followed by a colon is always a key.
        camel = "line_text"
        for key, camel_key in renames:
            group = 2 if key.startswith("(") else 1
            camel = f"regexp_replace({camel}, '\"{key}\"(\\s*):', '\"{camel_key}\"\\{group}:', 'g')"
        self.insert_rows(
            source.raw_table,
            f"""
            with

            exports as (
                select
                    filename, source_file_version, source_file_modified_at, line_number,
                    from_json(
                        case
                            when contains(line_text, '_spans"')
                                or contains(line_text, '"instrumentationLibrarySpans"')
                                then {camel}
                            else line_text
                        end,
                        '{shape}'
                    )['resourceSpans'] as resource_spans
                from landed_lines
                where is_json and not is_attribute_map
            ),

            span_lists as (
                -- every span of every resource and scope, with its resource's service.name
                select
                    *,
                    flatten(list_transform(
                        resource_spans,
                        lambda resource: list_transform(
                            flatten(list_transform(
                                resource['scopeSpans'], lambda scope: scope['spans']
                            )),
                            lambda span: {{
                                'span': span,
                                'service_name': list_filter(
                                    resource['resource']['attributes'],
                                    lambda attribute: attribute['key'] = 'service.name'
                                )[1]['value']['stringValue']
                            }}
                        )
                    )) as spans
                from exports
            ),

            spans as (
                select
                    filename, source_file_version, source_file_modified_at, line_number,
                    unnest(spans) as resource_span,
                    unnest(range(1, len(spans) + 1)) as span_index
                from span_lists
            ),

            attribute_lists as (
                -- keys (dots as underscores) and values side by side, looked up by position,
                -- so a repeated key cannot fail the read
                select
                    *,
                    resource_span['span'] as span,
                    resource_span['service_name'] as service_name,
                    list_transform(
                        resource_span['span']['attributes'],
                        lambda attribute: replace(attribute['key'], '.', '_')
                    ) as attribute_keys,
                    list_transform(
                        resource_span['span']['attributes'],
                        lambda attribute: coalesce(
                            attribute['value']['stringValue'],
                            attribute['value']['intValue'],
                            attribute['value']['doubleValue'],
                            attribute['value']['boolValue']
                        )
                    ) as attribute_values
                from spans
            )

            select
                {columns},
                filename as source_file,
                source_file_version,
                source_file_modified_at,
                row_number() over (partition by filename order by line_number, span_index)
                    as record_number,
                line_number
            from attribute_lists
            """,
        )
        return self._lines_outcomes(
            source,
            "coalesce(sum(case when not is_json then 1"
            " else coalesce(len(json_extract(line_text, '$..spans[*]')), 0) end), 0)",
        )


# An OTLP/JSON line with attributes written as a JSON object (a key followed by "{"): in a
# JSON text a quote right after "attributes" closes a key, never text inside a string.
OTLP_ATTRIBUTE_MAP = "regexp_matches(line_text, '\"attributes\"\\s*:\\s*\\{')"


def csv_file_check(path: str, chunk_bytes: int = 1 << 24) -> str | None:
    """What keeps a CSV file from DuckDB's strict reader, found in one pass over its bytes
    in chunks (memory holds one chunk): UTF-16 (a byte-order mark: read as UTF-16), NOT
    UTF8, UNTERMINATED QUOTE (an odd number of double quotes) or MIXED LINE ENDINGS (CRLF
    and a bare LF); None when none of these."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8, quotes, line_feeds, crlfs, after_cr = True, 0, 0, 0, False
    with open(path, "rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return "UTF-16"
        handle.seek(0)
        while chunk := handle.read(chunk_bytes):
            # ASCII is UTF-8: only other bytes (or a sequence begun in the last chunk) decode
            if is_utf8 and (not chunk.isascii() or decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            quotes += chunk.count(b'"')
            line_feeds += chunk.count(b"\n")
            crlfs += (b"\r" in chunk and chunk.count(b"\r\n")) + (
                after_cr and chunk.startswith(b"\n")
            )
            after_cr = chunk.endswith(b"\r")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        is_utf8 = False
    if not is_utf8:
        return "NOT UTF8"
    if quotes % 2 == 1:
        return "UNTERMINATED QUOTE"
    if crlfs and line_feeds != crlfs:
        return "MIXED LINE ENDINGS"
    return None


def size_batches(files: list[LandedFile], max_bytes: int) -> list[list[LandedFile]]:
    """The files in order, in consecutive batches of at most max_bytes (a larger file in a
    batch of its own)."""
    batches: list[list[LandedFile]] = []
    size = 0
    for f in files:
        if not batches or size + f.size_bytes > max_bytes:
            batches.append([])
            size = 0
        batches[-1].append(f)
        size += f.size_bytes
    return batches


def config_cast(expression: str, data_type: str) -> str:
    """A configuration value parsed from its text: NULL when blank or when it does not parse
    (load_configuration refuses such a file)."""
    if data_type == "varchar":
        return f"nullif(trim({expression}), '')"
    if data_type == "boolean":
        return f"case lower(trim({expression})) when 'true' then true when 'false' then false end"
    return f"try_cast(nullif(trim({expression}), '') as {data_type})"


def quote(name: str) -> str:
    """A column name as a quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def json_key(name: str) -> str:
    """A key in a JSON path."""
    return '"' + name.replace('"', '\\"') + '"'
