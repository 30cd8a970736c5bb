"""The OpenAI invoice CSV: usage lines per model, plus a credit, a correction and a fee.

Each usage line is the month's cost of a model rounded to the cent (fx_rounding); the
September invoice applies a trial credit (credit_or_promo), the October one an adjustment
that corrects August (prior_period_correction) and a support plan fee no telemetry can
explain (tax_or_fee).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from ai_spend_recon.demo.amounts import cents, money
from ai_spend_recon.demo.files import write_csv
from ai_spend_recon.demo.traffic import OPENAI_ORG, PERIODS

INVOICE_COLUMNS = [
    "invoice_id",
    "provider",
    "billing_account_id",
    "invoice_date",
    "billing_period",
    "line_id",
    "line_type",
    "description",
    "project_id",
    "model",
    "quantity",
    "unit",
    "amount",
    "currency",
    "corrects_period",
]


def openai_invoice_lines(con: duckdb.DuckDBPyConnection) -> tuple[list[list[str]], dict]:
    """The invoice rows, and per variance category and period the amount they inject."""
    # Invoice: usage lines per model rounded to the cent, plus credit / adjustment / fee.
    per_model = con.execute(
        """
        select strftime(used_at, '%Y-%m') as period, reported_model, sum(cost_usd)
        from billed_priced where provider = 'openai' group by all order by all
        """
    ).fetchall()
    truth = {
        "fx_rounding": {},
        "credit_or_promo": {},
        "prior_period_correction": {},
        "tax_or_fee": {},
    }
    invoice_rows = []
    for period in PERIODS:
        invoice_id = f"INV-OAI-{period.replace('-', '')}"
        rounding = Decimal(0)
        for line_no, (_, model, cost) in enumerate([r for r in per_model if r[0] == period], 1):
            rounded = cents(money(cost))
            rounding += rounded - money(cost)
            invoice_rows.append(
                [
                    invoice_id,
                    "openai",
                    OPENAI_ORG,
                    f"{period}-28",
                    period,
                    f"{invoice_id}-{line_no:03d}",
                    "usage",
                    f"API usage - {model}",
                    "",
                    model,
                    "",
                    "",
                    f"{rounded}",
                    "USD",
                    "",
                ]
            )
        truth["fx_rounding"][period] = rounding
    invoice_rows.append(
        [
            "INV-OAI-202609",
            "openai",
            OPENAI_ORG,
            "2026-09-28",
            "2026-09",
            "INV-OAI-202609-900",
            "credit",
            "Trial credit applied",
            "",
            "",
            "",
            "",
            "-50.00",
            "USD",
            "",
        ]
    )
    truth["credit_or_promo"]["2026-09"] = Decimal("-50.00")
    invoice_rows.append(
        [
            "INV-OAI-202610",
            "openai",
            OPENAI_ORG,
            "2026-10-28",
            "2026-10",
            "INV-OAI-202610-901",
            "adjustment",
            "Billing correction: gpt-4.1 output tokens under-billed on 2026-08-14",
            "proj_support",
            "gpt-4.1-2025-04-14",
            "",
            "",
            "12.34",
            "USD",
            "2026-08",
        ]
    )
    truth["prior_period_correction"]["2026-08"] = Decimal("12.34")
    # A platform fee: a line the usage telemetry can never explain.
    invoice_rows.append(
        [
            "INV-OAI-202610",
            "openai",
            OPENAI_ORG,
            "2026-10-28",
            "2026-10",
            "INV-OAI-202610-902",
            "fee",
            "Priority support plan fee",
            "",
            "",
            "1",
            "month",
            "25.00",
            "USD",
            "",
        ]
    )
    truth["tax_or_fee"]["2026-10"] = Decimal("25.00")
    return invoice_rows, truth


def write_openai_invoice(con: duckdb.DuckDBPyConnection, raw: Path) -> dict:
    """Write invoices/openai_invoices.csv; return the variance amounts it injects."""
    rows, truth = openai_invoice_lines(con)
    write_csv(raw / "invoices/openai_invoices.csv", [INVOICE_COLUMNS, *rows])
    return truth
