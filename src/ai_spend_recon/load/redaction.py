"""No credential is ever stored: text shaped like one (dbt var credential_pattern) is
replaced, in every value a loader writes, by sha256:<hex>, the SHA-256 of the matched text.
The secret is gone, and the same key still reads as the same value (a raw gateway key keeps
identifying its requests: LiteLLM stores the same hash). The pattern runs only on values
holding one of credential_markers (a substring search is several times faster)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Redaction:
    pattern: str
    markers: tuple[str, ...]

    def holds_marker_sql(self, expression: str) -> str:
        """DuckDB: whether the text holds one of the markers."""
        return (
            "("
            + " or ".join(
                f"contains({expression}, '" + m.replace("'", "''") + "')" for m in self.markers
            )
            + ")"
        )

    def any_marker_sql(self, expressions: list[str]) -> str:
        """DuckDB: whether any of the values holds a marker, tested once on the values
        joined (a row's values are rarely credential-shaped: one search instead of one per
        value); the separator keeps a marker from being made across two values."""
        return self.holds_marker_sql("concat_ws(chr(1), " + ", ".join(expressions) + ")")

    def sql(self, expression: str) -> str:
        """DuckDB: the value with every match replaced. The text is split around the
        matches and zipped with them: (text before a match, the match), the last with none."""
        pattern = "'" + self.pattern.replace("'", "''") + "'"
        return (
            f"case when {self.holds_marker_sql(expression)}"
            f" and regexp_matches({expression}, {pattern}) then"
            " array_to_string(list_transform(list_zip("
            f"regexp_split_to_array({expression}, {pattern}),"
            f" regexp_extract_all({expression}, {pattern})),"
            " lambda kept: kept[1] || coalesce('sha256:' || sha256(kept[2]), '')), '')"
            f" else {expression} end"
        )
