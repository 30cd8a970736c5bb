"""Finance's own inputs: the prepaid balance's movements, reviewer decisions, sign-offs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from ai_spend_recon.demo.amounts import cents, money
from ai_spend_recon.demo.files import write_csv
from ai_spend_recon.demo.traffic import OPENAI_ORG, PERIODS


def write_recharges(con: duckdb.DuckDBPyConnection, raw: Path) -> dict:
    """Write recharges/openai_balance.csv; return the unapproved top-up amount per period."""
    # Prepaid OpenAI balance: a promo credit, top-ups triggered by the auto-recharge
    # threshold, monthly consumption draws, a refund and an expiry.
    spend = dict(
        con.execute(
            "select strftime(used_at, '%Y-%m'), sum(cost_usd) from billed_priced"
            " where provider = 'openai' group by 1"
        ).fetchall()
    )
    rows = [
        [
            "recharge_id",
            "provider",
            "billing_account_id",
            "movement_type",
            "amount",
            "currency",
            "occurred_at",
            "trigger",
            "threshold_amount",
            "quota_state",
            "approval_ticket",
            "approver",
            "note",
        ]
    ]
    rows.append(
        [
            "rc_0001",
            "openai",
            OPENAI_ORG,
            "top_up",
            "100.00",
            "usd",
            "2026-07-30T09:00:00Z",
            "manual",
            "",
            "ok",
            "FIN-1201",
            "Mia Chen",
            "opening",
        ]
    )
    rows.append(
        [
            "rc_0002",
            "openai",
            OPENAI_ORG,
            "promo_credit",
            "50.00",
            "USD",
            "2026-09-01T00:00:00Z",
            "promotion",
            "",
            "ok",
            "",
            "",
            "trial credit",
        ]
    )
    balance = Decimal("150.00")
    seq = 3
    unapproved: dict = {}
    for period in PERIODS:
        draw = cents(money(spend.get(period)))
        rows.append(
            [
                f"rc_{seq:04d}",
                "openai",
                OPENAI_ORG,
                "consumption",
                f"-{draw}",
                "USD",
                f"{period}-28T23:59:59Z",
                "",
                "",
                "ok",
                "",
                "",
                "month consumption",
            ]
        )
        seq += 1
        balance -= draw
        if balance < Decimal("200"):  # the auto-recharge threshold
            ticket = "" if period == "2026-10" else f"FIN-13{seq:02d}"  # one unapproved
            if not ticket:
                unapproved[period] = unapproved.get(period, Decimal(0)) + Decimal("100.00")
            rows.append(
                [
                    f"rc_{seq:04d}",
                    "openai",
                    OPENAI_ORG,
                    "top_up",
                    "100.00",
                    "USD",
                    f"{period}-28T23:59:59Z",
                    "auto_recharge",
                    "200.00",
                    "soft_limit",
                    ticket,
                    "Mia Chen" if ticket else "",
                    "auto-recharge",
                ]
            )
            seq += 1
            balance += Decimal("100.00")
    rows.append(
        [
            f"rc_{seq:04d}",
            "openai",
            OPENAI_ORG,
            "refund",
            "-20.00",
            "USD",
            "2026-10-15T12:00:00Z",
            "manual",
            "",
            "ok",
            "FIN-1399",
            "Mia Chen",
            "refund of duplicate top-up fee",
        ]
    )
    rows.append(
        [
            f"rc_{seq + 1:04d}",
            "openai",
            OPENAI_ORG,
            "expiry",
            "-5.00",
            "USD",
            "2026-10-31T23:59:59Z",
            "",
            "",
            "ok",
            "",
            "",
            "promo credit expired",
        ]
    )
    # A hand-kept row finance has not finished: no amount yet. It is quarantined
    # (amount_not_numeric), shows as a quarantined_row exception and blocks October's close.
    rows.append(
        [
            f"rc_{seq + 2:04d}",
            "openai",
            OPENAI_ORG,
            "top_up",
            "TBD",
            "USD",
            "2026-10-30T16:00:00Z",
            "manual",
            "",
            "ok",
            "FIN-1420",
            "Mia Chen",
            "top-up requested, amount to be confirmed",
        ]
    )
    write_csv(raw / "recharges/openai_balance.csv", rows)
    return unapproved


def write_decisions(raw: Path) -> None:
    """Write decisions/decisions.csv: the reviewers' decisions on the demo periods."""
    # Periods close in order. Reviewers close August (OpenAI lines confirmed, the invoice's
    # correction of July and the unpriced preview model written off, interrupted Anthropic
    # streams written off) and September: they write off the explained variances with
    # notes and defer unbilled priority usage. October is left with a note-less write-off,
    # a reopened confirmation and a missing sign-off (the close fails).
    decisions = [
        ("2026-08", "openai", "*", "CONFIRM", "", "dana.ortiz", "2026-09-08T10:00:00Z"),
        (
            "2026-08",
            "openai",
            "prior_period_correction",
            "WRITE_OFF",
            "Correction of July usage billed on the August invoice",
            "mia.chen",
            "2026-09-08T10:05:00Z",
        ),
        (
            "2026-08",
            "openai",
            "unpriced_model",
            "WRITE_OFF",
            "gpt-5.9-preview research evaluation at the provider's list rate; price book to add it",
            "mia.chen",
            "2026-09-08T10:10:00Z",
        ),
        (
            "2026-08",
            "anthropic",
            "failed_request_billing",
            "WRITE_OFF",
            "Interrupted streams are billable under Anthropic's policy",
            "ruth.meyer",
            "2026-09-08T10:30:00Z",
        ),
        (
            "2026-08",
            "anthropic",
            "unbilled_usage",
            "DEFER",
            "",
            "ruth.meyer",
            "2026-09-08T11:00:00Z",
        ),
        (
            "2026-09",
            "openai",
            "credit_or_promo",
            "WRITE_OFF",
            "Trial credit applied by OpenAI on the September invoice; not usage",
            "mia.chen",
            "2026-10-09T09:00:00Z",
        ),
        (
            "2026-09",
            "openai",
            "unpriced_model",
            "WRITE_OFF",
            "gpt-5.9-preview research evaluation at the provider's list rate; price book to add it",
            "mia.chen",
            "2026-10-09T09:05:00Z",
        ),
        (
            "2026-09",
            "openai",
            "cache_pricing",
            "WRITE_OFF",
            "LiteLLM drops cached_tokens for the support prod key; provider cache rate applied",
            "mia.chen",
            "2026-10-09T09:10:00Z",
        ),
        (
            "2026-09",
            "openai",
            "missing_telemetry",
            "WRITE_OFF",
            "Legacy key bypasses the gateway; key revoked 2026-10-01",
            "mia.chen",
            "2026-10-09T10:00:00Z",
        ),
        (
            "2026-09",
            "anthropic",
            "failed_request_billing",
            "WRITE_OFF",
            "Interrupted streams are billable under Anthropic's policy",
            "ruth.meyer",
            "2026-10-09T10:30:00Z",
        ),
        (
            "2026-09",
            "anthropic",
            "unbilled_usage",
            "DEFER",
            "",
            "ruth.meyer",
            "2026-10-09T11:00:00Z",
        ),
        (
            "2026-09",
            "aws_bedrock",
            "tier_breakpoint",
            "WRITE_OFF",
            "Contract volume discount PPA-2026-014 above 20M input tokens",
            "sam.okafor",
            "2026-10-09T11:30:00Z",
        ),
        (
            "2026-09",
            "aws_bedrock",
            "tax_or_fee",
            "WRITE_OFF",
            "US sales tax on the AWS bill",
            "sam.okafor",
            "2026-10-09T11:35:00Z",
        ),
        (
            "2026-10",
            "openai",
            "missing_telemetry",
            "WRITE_OFF",
            "",
            "mia.chen",
            "2026-11-06T10:00:00Z",
        ),
        (
            "2026-10",
            "anthropic",
            "failed_request_billing",
            "CONFIRM",
            "",
            "ruth.meyer",
            "2026-11-06T11:00:00Z",
        ),
        (
            "2026-10",
            "anthropic",
            "failed_request_billing",
            "REOPEN",
            "",
            "ruth.meyer",
            "2026-11-07T09:00:00Z",
        ),
    ]
    write_csv(
        raw / "decisions/decisions.csv",
        [
            [
                "decision_id",
                "period",
                "provider",
                "line_key",
                "action",
                "note",
                "actor",
                "decided_at",
            ],
            *[
                [
                    f"d_{index:04d}",
                    period,
                    provider,
                    selector,
                    action,
                    note,
                    f"{actor}@example.com",
                    at,
                ]
                for index, (period, provider, selector, action, note, actor, at) in enumerate(
                    decisions, start=1
                )
            ],
        ],
    )


def write_signoffs(raw: Path) -> None:
    """Write signoffs/signoffs.csv: the three roles sign each period, October but two."""
    signoff_rows = [["period", "role", "signer", "signed_at"]]
    for period, roles in (
        ("2026-07", ("engineering_owner", "finance_owner", "ai_program_lead")),
        ("2026-08", ("engineering_owner", "finance_owner", "ai_program_lead")),
        ("2026-09", ("engineering_owner", "finance_owner", "ai_program_lead")),
        ("2026-10", ("engineering_owner", "finance_owner")),
    ):
        # Signed on the 2nd of the next month, once the period has ended.
        year, month = (int(part) for part in period.split("-"))
        signed = date(year + month // 12, month % 12 + 1, 2)
        for role in roles:
            signoff_rows.append(
                [period, role, f"{role.split('_')[0]}@example.com", f"{signed}T17:00:00Z"]
            )
    write_csv(raw / "signoffs/signoffs.csv", signoff_rows)
