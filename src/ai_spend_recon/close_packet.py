"""Write the close packet for one period from a built warehouse.

The packet is what an auditor asks for (see the domain article on invoice reconciliation):

  provider_cost_export.csv  fct_billed_lines: the provider billed lines exactly as the
                            reconciliation used them
  telemetry_rollup.csv      fct_request_costs: the internal usage telemetry rolled up by owner
                            and model
  chargeback_ledger.csv     fct_chargeback_ledger: what each cost center and team is posted
  variance_memo.md          fct_period_summary and fct_variances: the period summary and one
                            memo line per variance category
  monthly_report_usd.csv    fct_monthly_report: the one-format monthly report (team, workflow,
                            environment, provider, model, request type; tokens, rates and
                            amounts per token type; billed minus observed per owner; the
                            team's budget), in USD; it sums to each provider's billed total
  monthly_report_<ccy>.csv  the same rows in the reporting currency (e.g. monthly_report_kzt.csv),
                            when it is not USD: the same mart's *_reporting columns
  manifest.json             SHA-256 and row count of each document, and the close status

All numbers come from the marts (fct_*); this module only selects and formats. The output is
deterministic: the same warehouse gives byte-identical files.

Usage: recon packet [--db target/dev.duckdb] [--period 2026-10] [--out close_packets]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import duckdb

DOCUMENTS = {
    "provider_cost_export.csv": """
        select billing_period, provider, billing_account_id, billed_source, billed_line_id,
            usage_date, project_id, model_name, usage_type, service_tier, line_type,
            corrects_period, currency_code, quantity, amount
        from fct_billed_lines where billing_period = ?
        order by provider, billed_source, usage_date, billed_line_id
    """,
    "telemetry_rollup.csv": """
        select billing_period, provider, cost_center, team, environment, workflow,
            canonical_model, service_tier, route, status,
            count(*) as requests, sum(retry_count) as retries,
            sum(total_input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
            count(*) filter (where not is_priced) as unpriced_requests,
            sum(cost_usd) as priced_cost_usd
        from fct_request_costs where billing_period = ?
        group by all order by all
    """,
    "chargeback_ledger.csv": """
        select billing_period, provider, cost_center, team, environment, reporting_currency,
            usage_allocated_usd, other_allocated_usd, exact_amount, posted_amount
        from fct_chargeback_ledger where billing_period = ?
        order by provider, cost_center, team, environment
    """,
}


# The monthly report in one currency: the same columns whatever the currency, each read
# from the mart's USD column or its reporting-currency column (fct_monthly_report holds both).
MONTHLY_REPORT_MONEY = [
    # (CSV column, USD column, reporting-currency column)
    ("currency", "'USD'", "reporting_currency"),
    ("units_per_usd", "cast(1 as decimal(18, 6))", "reporting_units_per_usd"),
    *[
        (f"{t}_rate_per_million", f"{t}_rate_per_million_usd", f"{t}_rate_per_million_reporting")
        for t in ("input", "cached", "cache_write", "output")
    ],
    ("video_rate_per_second", "video_rate_per_second_usd", "video_rate_per_second_reporting"),
    *[
        (f"{t}_amount", f"{t}_cost_usd", f"{t}_reporting")
        for t in ("input", "cached", "cache_write", "output", "video", "per_unit")
    ],
    ("observed_amount", "observed_usd", "observed_reporting"),
    (
        "billed_minus_observed_amount",
        "billed_minus_observed_usd",
        "billed_minus_observed_reporting",
    ),
    ("total_amount", "total_usd", "total_reporting"),
    ("team_budget", "team_budget_usd", "team_budget_amount"),
    ("team_actual", "team_actual_usd", "team_actual_amount"),
    ("team_variance", "team_variance_usd", "team_variance_amount"),
]


def monthly_report_query(in_usd: bool) -> str:
    """fct_monthly_report's rows of a period in USD or in the reporting currency."""
    money_columns = ",\n            ".join(
        f"{usd if in_usd else reporting} as {name}" for name, usd, reporting in MONTHLY_REPORT_MONEY
    )
    return f"""
        select billing_period as reporting_month, data_exported_on, line_kind, team,
            cost_center, environment, workflow, provider, model, reported_models, request_type,
            service_tier, inference_geo, speed, request_count, unpriced_request_count,
            input_tokens, cached_tokens,
            cache_write_tokens, output_tokens, image_count, audio_seconds, video_seconds,
            {money_columns},
            team_variance_pct, team_limit_state, team_comment
        from fct_monthly_report where billing_period = ?
        order by provider, team, cost_center, environment, line_kind desc, workflow, model,
            request_type, service_tier, inference_geo, speed, price_ids
    """


def period_to_close(con: duckdb.DuckDBPyConnection) -> str:
    """The latest billed period whose month has ended (UTC): the one a close is for. The
    current month's head (usage of the last few days) is never it."""
    row = con.execute(
        "select max(billing_period) from fct_period_summary"
        " where provider = 'all' and billed_usd != 0"
        " and billing_period < strftime(current_date, '%Y-%m')"
    ).fetchone()
    if not row or not row[0]:
        raise SystemExit(
            "fct_period_summary has no billed period that has ended; run `make build` first"
            " or pass --period YYYY-MM"
        )
    return row[0]


def money(value) -> str:
    amount = Decimal(value or 0).quantize(Decimal("0.01"))
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
    leading apostrophe, so finance opening the CSV sees the text; numbers stay numbers,
    decimals in positional notation (0.0000000000, never 0E-10)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def markdown_text(value) -> str:
    """Text from the warehouse (notes, names, memo lines) as literal Markdown: one line,
    with the characters that would format it or break a table escaped."""
    text = " ".join(str(value).split())
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text


def write_csv(path: Path, cursor: duckdb.DuckDBPyConnection) -> int:
    rows = cursor.fetchall()
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([spreadsheet_safe(d[0]) for d in cursor.description])
        writer.writerows([[spreadsheet_safe(value) for value in row] for row in rows])
    return len(rows)


def units(quantity) -> str:
    """A line's quantity (whole units) with thousands separators; 'no' when it has none."""
    return "no" if quantity is None else f"{quantity:,.0f}"


def memo(con: duckdb.DuckDBPyConnection, period: str) -> tuple[str, bool]:
    summary = con.execute(
        """
        select provider, billed_usd, observed_usd, written_off_usd, disputed_usd,
            residual_usd, tolerance_usd, is_within_tolerance, signoff_count, is_closed
        from fct_period_summary where billing_period = ?
        order by provider = 'all', provider
        """,
        [period],
    ).fetchall()
    lines = [
        f"# Variance memo: {period}",
        "",
        "| provider | billed | observed | written off | disputed | residual | tolerance | "
        "within | sign-offs | closed |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    closed = False
    for (
        provider,
        billed,
        observed,
        written_off,
        disputed,
        residual,
        tol,
        within,
        signoffs,
        is_closed,
    ) in summary:
        lines.append(
            f"| {markdown_text(provider)} | {money(billed)} | {money(observed)} | "
            f"{money(written_off)} | {money(disputed)} | "
            f"{money(residual)} | {money(tol)} | {'yes' if within else 'no'} | {signoffs}/3 | "
            f"{'yes' if is_closed else 'no'} |"
        )
        if provider == "all":
            closed = bool(is_closed)
    variances = con.execute(
        """
        select provider, variance_category, memo_line from fct_variances
        where billing_period = ?
        order by provider, abs(amount_usd) desc, variance_category
        """,
        [period],
    ).fetchall()
    current = None
    for provider, category, line in variances:
        if provider != current:
            lines += ["", f"## {markdown_text(provider)}", ""]
            current = provider
        lines.append(f"- **{category}**: {markdown_text(line)}")
    claims = con.execute(
        """
        select provider, project_id, model, usage_type, billing_period, provider_quantity,
            observed_quantity, billed_usd, observed_usd, claimed_usd, claim_status,
            credit_period, note
        from fct_provider_claims where ? in (billing_period, credit_period)
        order by billing_period, provider, claim_line_id
        """,
        [period],
    ).fetchall()
    if claims:
        lines += ["", "## Claims against providers (disputed lines)", ""]
    for (
        provider,
        project,
        model,
        usage_type,
        claim_period,
        provider_quantity,
        observed_quantity,
        billed,
        observed,
        claimed,
        status,
        credit_period,
        note,
    ) in claims:
        settled = (
            f"settled by a credit billed in {credit_period}" if status == "settled" else "open"
        )
        lines.append(
            "- "
            + markdown_text(
                f"{provider}, {project}, {model}, {usage_type} ({claim_period}): the provider "
                f"billed {money(billed)} for {units(provider_quantity)} units, the internal "
                f"record shows {money(observed)} for {units(observed_quantity)}; claimed "
                f"{money(claimed)}; "
                f"{settled}. Note: {note or '(none: the period cannot close)'}."
            )
        )
    lines += ["", f"Period {period} is {'closed' if closed else 'not closed'}.", ""]
    return "\n".join(lines), closed


def write_packet(db: Path, out: Path, period: str | None = None) -> Path:
    with duckdb.connect(str(db), read_only=True) as con:
        period = period or period_to_close(con)
        folder = out / period
        folder.mkdir(parents=True, exist_ok=True)
        rows = {}
        for name, query in DOCUMENTS.items():
            rows[name] = write_csv(folder / name, con.execute(query, [period]))
        rows["monthly_report_usd.csv"] = write_csv(
            folder / "monthly_report_usd.csv",
            con.execute(monthly_report_query(in_usd=True), [period]),
        )
        currency = con.execute(
            "select max(reporting_currency) from fct_monthly_report where billing_period = ?",
            [period],
        ).fetchone()[0]
        if currency and currency != "USD":
            name = f"monthly_report_{currency.lower()}.csv"
            rows[name] = write_csv(
                folder / name, con.execute(monthly_report_query(in_usd=False), [period])
            )
        text, closed = memo(con, period)
    (folder / "variance_memo.md").write_text(text)
    rows["variance_memo.md"] = text.count("\n- **")
    manifest = {
        "period": period,
        "closed": closed,
        "documents": {
            name: {
                "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
                "rows": rows[name],
            }
            for name in sorted(rows)
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("target/dev.duckdb"))
    parser.add_argument(
        "--period", help="YYYY-MM; default: the latest billed period that has ended"
    )
    parser.add_argument("--out", type=Path, default=Path("close_packets"))
    args = parser.parse_args(argv)
    folder = write_packet(args.db, args.out, args.period)
    print(f"wrote close packet to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
