"""The company's configuration (RECON_CONFIG_DIR: owners, billing policy, aliases, budgets, FX,
contract tiers and prices, chargeback rules and splits), one CSV per table, into typed raw
tables raw.config__<table>.

The tables and their columns are declared once, in models/staging/config/_config__sources.yml,
each column with the data_type it is parsed as. A file may be missing, empty or a header alone
(no rows). Columns are matched by header name, case-insensitively, ignoring spaces and a
byte-order mark, in any order; other columns are ignored. A declared column missing from the
header, or a value that does not parse as its declared type, stops the load naming the file,
line, column and value (a blank value reads as NULL): a company's configuration is fixed at
its source, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


class ConfigurationError(ValueError):
    """A configuration file the load refuses: the message says which and how to fix it."""


@dataclass(frozen=True)
class ConfigTable:
    name: str
    file: str
    columns: list[tuple[str, str]]  # (name, data_type as dbt declares it)

    @property
    def raw_table(self) -> str:
        return f"config__{self.name}"


def config_tables(project_dir: Path) -> list[ConfigTable]:
    """The configuration tables as models/staging/config/_config__sources.yml declares them."""
    path = project_dir / "models" / "staging" / "config" / "_config__sources.yml"
    (source,) = [s for s in yaml.safe_load(path.read_text())["sources"] if s["name"] == "config"]
    return [
        ConfigTable(
            name=table["name"],
            file=table["meta"]["file"],
            columns=[(c["name"], c["data_type"]) for c in table["columns"]],
        )
        for table in source["tables"]
    ]


def header_match(header: list[str], table: ConfigTable, path: str) -> dict[str, str]:
    """Each declared column's name as the file's header writes it."""
    written = {name.lstrip("\ufeff").strip().lower(): name for name in header}
    missing = [name for name, _ in table.columns if name not in written]
    if missing:
        raise ConfigurationError(
            f"Configuration file {path} has no column {', '.join(missing)} (expected columns:"
            f" {', '.join(name for name, _ in table.columns)}). Add the column to its header row"
            " (values may be blank)."
        )
    return {name: written[name] for name, _ in table.columns}
