"""`recon check`: the month so far, from the marts, one line per finding.

    recon check --db target/dev.duckdb [--period 2026-10] [--json] [--state target/check_state.json]

Every figure is a mart's (README, "Every day: pull, load, build, check"); this module only
selects rows, formats them and decides the exit code:

- per provider, billed to date against observed to date and the share telemetry captured
  (fct_daily_capture, the month's latest day), and each day whose share is under var
  capture_alert_pct (fct_daily_capture.is_capture_drop);
- teams over their soft or hard budget limit (fct_budget_status.limit_state);
- prepaid balances that went under their auto-recharge threshold or below zero
  (fct_recharge_ledger.is_threshold_crossed, is_negative_balance);
- unmapped gateway identities, unpriced models and quarantined rows (fct_exceptions kinds
  unmapped_telemetry, unpriced_model, quarantined_row; a row whose period is `unknown`, such
  as a cut-short pull's, counts in every month), each marked new when the previous check
  did not list it.

"Since the last run": the check keeps the finding keys it printed, per period, in a state
file (default target/check_state.json, written after each run); a finding whose key is not
there is `new`. Deleting the file makes every finding new again.

Which findings make the exit code 1 is config/check.yml (`alert_on`, per finding kind:
always, new (only the first time it is seen) or never); the capture threshold itself is a
dbt var, applied in the mart. Exit 0: nothing alerting; 1: at least one alerting finding;
2: no marts to read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import yaml

from ai_spend_recon.paths import PROJECT_DIR

DEFAULT_CONFIG = PROJECT_DIR / "config" / "check.yml"
ALERT_MODES = ("always", "new", "never")
#: Every kind of finding the check reports (config/check.yml names only these).
KINDS = (
    "month_to_date",
    "capture_drop",
    "budget_soft_limit",
    "budget_hard_limit",
    "prepaid_under_threshold",
    "prepaid_negative_balance",
    "unmapped_telemetry",
    "unpriced_model",
    "quarantined_row",
)


@dataclass
class Finding:
    period: str
    provider: str
    kind: str
    subject: str
    amount: Decimal | None
    detail: str
    key: str
    currency: str = "USD"
    new: bool = False
    alert: bool = False

    def line(self) -> str:
        amount = "-" if self.amount is None else f"{self.amount:,.2f} {self.currency}"
        marks = ("ALERT " if self.alert else "") + ("new " if self.new else "")
        return (
            f"{self.period}  {self.provider:<11}  {marks}{self.kind}: {self.subject}"
            f"  amount {amount}  ({self.detail})"
        )

    def as_json(self) -> dict:
        data = asdict(self)
        data["amount"] = None if self.amount is None else str(self.amount)
        return data


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}%"


def collect(con: duckdb.DuckDBPyConnection, period: str) -> list[Finding]:
    """The period's findings, in a stable order (mart by mart, then by day / subject)."""
    findings: list[Finding] = []
    for row in _rows(
        con,
        """
        select provider, usage_date, month_to_date_billed_usd, month_to_date_observed_usd,
            month_to_date_capture_pct
        from fct_daily_capture
        where billing_period = ?
        qualify row_number() over (partition by provider order by usage_date desc) = 1
        order by provider
        """,
        [period],
    ):
        findings.append(
            Finding(
                period,
                row["provider"],
                "month_to_date",
                f"through {row['usage_date']}",
                row["month_to_date_billed_usd"],
                f"billed {row['month_to_date_billed_usd']:,.2f}, observed"
                f" {row['month_to_date_observed_usd']:,.2f}, captured"
                f" {_pct(row['month_to_date_capture_pct'])}",
                f"month_to_date|{row['provider']}",
            )
        )
    for row in _rows(
        con,
        """
        select provider, usage_date, billed_usd, observed_usd, capture_pct, capture_alert_pct
        from fct_daily_capture
        where billing_period = ? and is_capture_drop
        order by usage_date, provider
        """,
        [period],
    ):
        findings.append(
            Finding(
                period,
                row["provider"],
                "capture_drop",
                str(row["usage_date"]),
                row["billed_usd"] - row["observed_usd"],
                f"telemetry captured {_pct(row['capture_pct'])} of {row['billed_usd']:,.2f}"
                f" billed (observed {row['observed_usd']:,.2f}; alert under"
                f" {row['capture_alert_pct']:g}%)",
                f"capture_drop|{row['provider']}|{row['usage_date']}",
            )
        )
    for row in _rows(
        con,
        """
        select team, limit_state, budget_amount, actual_amount, variance_pct,
            soft_limit_pct, hard_limit_pct, reporting_currency
        from fct_budget_status
        where billing_period = ? and limit_state in ('soft_limit_exceeded', 'hard_limit_exceeded')
        order by team
        """,
        [period],
    ):
        kind = "budget_" + row["limit_state"].removesuffix("_exceeded")
        soft, hard = float(row["soft_limit_pct"]), float(row["hard_limit_pct"])
        findings.append(
            Finding(
                period,
                "all",
                kind,
                f"team {row['team']}",
                row["actual_amount"],
                f"spent {row['actual_amount']:,.2f} of a {row['budget_amount']:,.2f}"
                f" {row['reporting_currency']} budget (soft limit {soft:g}%, hard {hard:g}%)",
                f"{kind}|{row['team']}",
                row["reporting_currency"],
            )
        )
    for row in _rows(
        con,
        """
        select recharge_id, provider, billing_account_id, movement_type, balance_before,
            running_balance, threshold_amount, currency_code, is_threshold_crossed,
            is_negative_balance, occurred_at
        from fct_recharge_ledger
        where billing_period = ? and (is_threshold_crossed or is_negative_balance)
        order by occurred_at, recharge_id
        """,
        [period],
    ):
        account = f"account {row['billing_account_id']}"
        if row["is_threshold_crossed"]:
            findings.append(
                Finding(
                    period,
                    row["provider"],
                    "prepaid_under_threshold",
                    account,
                    row["balance_before"],
                    f"balance {row['balance_before']:,.2f} {row['currency_code']} under its"
                    f" threshold {row['threshold_amount']:,.2f} on {row['occurred_at']:%Y-%m-%d}"
                    f" ({row['movement_type']} {row['recharge_id']})",
                    f"prepaid_under_threshold|{row['recharge_id']}",
                    row["currency_code"],
                )
            )
        if row["is_negative_balance"]:
            findings.append(
                Finding(
                    period,
                    row["provider"],
                    "prepaid_negative_balance",
                    account,
                    row["running_balance"],
                    f"balance {row['running_balance']:,.2f} {row['currency_code']} after"
                    f" {row['movement_type']} {row['recharge_id']} on"
                    f" {row['occurred_at']:%Y-%m-%d}",
                    f"prepaid_negative_balance|{row['recharge_id']}",
                    row["currency_code"],
                )
            )
    for row in _rows(
        con,
        """
        select exception_id, kind, provider, billing_period, subject, suggested_action,
            amount_usd, item_count
        from fct_exceptions
        where billing_period in (?, 'unknown')
            and kind in ('unmapped_telemetry', 'unpriced_model', 'quarantined_row')
        order by kind, provider, subject, exception_id
        """,
        [period],
    ):
        findings.append(
            Finding(
                period,
                row["provider"] or "-",
                row["kind"],
                row["subject"],
                row["amount_usd"],
                f"{row['item_count']} item(s); {row['suggested_action']}",
                f"{row['kind']}|{row['exception_id']}",
            )
        )
    return findings


def load_config(path: Path) -> dict[str, str]:
    """alert_on: finding kind -> always | new | never (a kind not listed never alerts)."""
    config = yaml.safe_load(path.read_text()) or {}
    alert_on = config.get("alert_on") or {}
    unknown = sorted(set(alert_on) - set(KINDS))
    if unknown:
        raise SystemExit(f"{path}: alert_on names no such finding kind: {', '.join(unknown)}")
    bad = {kind: mode for kind, mode in alert_on.items() if mode not in ALERT_MODES}
    if bad:
        raise SystemExit(
            f"{path}: alert_on modes must be one of {', '.join(ALERT_MODES)}; got {bad}"
        )
    return alert_on


def mark(findings: list[Finding], seen: set[str], alert_on: dict[str, str]) -> None:
    for finding in findings:
        finding.new = finding.key not in seen
        mode = alert_on.get(finding.kind, "never")
        finding.alert = mode == "always" or (mode == "new" and finding.new)


def read_state(path: Path, period: str) -> set[str]:
    try:
        state = json.loads(path.read_text())
    except FileNotFoundError:
        return set()
    except ValueError:
        print(f"recon check: {path} is not JSON; every finding counts as new", file=sys.stderr)
        return set()
    return set(state.get("periods", {}).get(period, {}).get("keys", []))


def write_state(path: Path, period: str, findings: list[Finding], now: datetime) -> None:
    """The period's finding keys, replacing the previous run's (written, then renamed)."""
    try:
        state = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        state = {}
    state.setdefault("periods", {})[period] = {
        "checked_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keys": sorted({f.key for f in findings}),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    hidden = path.with_name(f".{path.name}.partial")
    hidden.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    os.replace(hidden, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check the month so far from the marts: one line per finding; exit 1 when"
        " a finding alerts (config/check.yml)."
    )
    parser.add_argument(
        "--db", type=Path, default=Path(os.environ.get("DBT_DUCKDB_PATH", "target/dev.duckdb"))
    )
    parser.add_argument("--period", help="YYYY-MM (default: the current UTC month)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--state", type=Path, default=Path("target/check_state.json"))
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    period = args.period or now.strftime("%Y-%m")
    alert_on = load_config(args.config)
    if not args.db.exists():
        print(f"recon check: {args.db} does not exist: run the build first", file=sys.stderr)
        return 2
    try:
        with duckdb.connect(str(args.db), read_only=True) as con:
            findings = collect(con, period)
    except duckdb.CatalogException as error:
        print(f"recon check: {args.db} lacks a mart ({error}): build first", file=sys.stderr)
        return 2
    mark(findings, read_state(args.state, period), alert_on)
    write_state(args.state, period, findings, now)
    alerts = [f for f in findings if f.alert]
    if args.json:
        print(
            json.dumps(
                {
                    "period": period,
                    "checked_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "alert_count": len(alerts),
                    "findings": [f.as_json() for f in findings],
                },
                indent=1,
            )
        )
    else:
        if not findings:
            print(f"{period}: no figures in the marts for this month (pulled and built yet?)")
        for finding in findings:
            print(finding.line())
        print(f"{period}: {len(findings)} finding(s), {len(alerts)} alerting")
    return 1 if alerts else 0


if __name__ == "__main__":
    raise SystemExit(main())
