"""The Google Cloud Billing export of the Cloud Billing account GOOGLE_BILLING_ACCOUNT.

Cloud Billing exports the standard usage cost data to a BigQuery table
(gcp_billing_export_v1_<BILLING_ACCOUNT_ID>); the company extracts it per invoice month to
Cloud Storage as newline-delimited JSON, gzipped (`bq extract --destination_format
NEWLINE_DELIMITED_JSON --compression GZIP`: a table with nested and repeated fields cannot
be extracted as CSV), and copies the files under google/billing_export/. Each line is one
row of the table as BigQuery writes it: nested records (service, sku, project, location,
usage, invoice) as JSON objects, repeated records (labels, system_labels, credits) as
arrays, TIMESTAMPs as "YYYY-MM-DD HH:MM:SS[.ffffff] UTC", FLOAT64 as JSON numbers, NULL
fields left out. One row per hour and SKU of the project GOOGLE_PROJECT's Vertex AI usage
of Gemini 2.5 Flash (text input, cached input, output; usage in `count`, the SKUs' usage
unit), cost before credits, the request labels the application sets. Billed at the price
book's (catalog) price. A promotional credit (PROMOTION_USD, from PROMOTION_START) is
consumed by the rows in usage order until it is used up, each row's share in its
`credits[]` as Google writes a credit (name, amount, full_name, id, type PROMOTION), so
the row's `cost` stays before credits (credit_or_promo: the credits written, per UTC month
of the row's usage).
"""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from ai_spend_recon.demo.amounts import money
from ai_spend_recon.demo.files import sha
from ai_spend_recon.demo.traffic import (
    GOOGLE_BILLING_ACCOUNT,
    GOOGLE_PROJECT,
    GOOGLE_PROJECT_NUMBER,
)

TABLE = f"gcp_billing_export_v1_{GOOGLE_BILLING_ACCOUNT.replace('-', '_')}"
VERTEX_AI = {"id": "C7E2-9256-1C43", "description": "Vertex AI"}
# The SKU of each token kind of Gemini 2.5 Flash, as Google names its Vertex AI SKUs.
SKUS = {
    "input_uncached": "Gemini 2.5 Flash GA Text Input - Predictions",
    "cache_read": "Gemini 2.5 Flash GA Input Text Caching",
    "output": "Gemini 2.5 Flash GA Text Output - Predictions",
}
LABELS = [{"key": "app", "value": "catalog-writer"}, {"key": "team", "value": "catalog"}]
# A promotional credit granted to the billing account for Vertex AI, consumed from its start
# date by the usage in time order until used up (Google applies a promotion to eligible
# costs as they occur; the credit's share of each row is in the row's credits[]).
PROMOTION_USD = Decimal("1.00")
PROMOTION_START = datetime(2026, 9, 1, tzinfo=UTC)
PROMOTION = {
    "name": "Vertex AI Gemini promotional credit",
    "full_name": "Vertex AI Gemini promotional credit",
    "id": "a7c3e9f2-41b8-4d6a-9e05-3f8b2c1d7a64",
    "type": "PROMOTION",
}
# Google invoices by Pacific time: invoice.month is the usage's month there.
INVOICE_ZONE = ZoneInfo("America/Los_Angeles")
# BigQuery writes each line without spaces.
dumps = partial(json.dumps, separators=(",", ":"))


def _sku_id(description: str) -> str:
    digest = sha(description, 12).upper()
    return f"{digest[:4]}-{digest[4:8]}-{digest[8:]}"


def _bq_timestamp(moment: datetime, micros: bool = False) -> str:
    """A TIMESTAMP as BigQuery's JSON export writes it."""
    text = moment.astimezone(UTC).strftime(
        "%Y-%m-%d %H:%M:%S.%f" if micros else "%Y-%m-%d %H:%M:%S"
    )
    return text + " UTC"


def _number(value: Decimal) -> str:
    """A FLOAT64 value as a JSON number (exact: the demo's amounts have few digits)."""
    return format(value.normalize(), "f")


def write_google_billing_export(con: duckdb.DuckDBPyConnection, raw: Path) -> dict:
    """Write the billing account's export, a gzipped JSON-lines file per invoice month;
    return the variance amounts it injects: the promotional credits written, per UTC month
    of usage (credit_or_promo)."""
    rows = con.execute(
        """
        select date_trunc('hour', used_at) as hour, usage_type, sum(quantity), sum(cost_usd)
        from billed_priced where provider = 'google'
        group by all order by all
        """
    ).fetchall()
    by_month: dict[str, list[str]] = {}
    promotion_left = PROMOTION_USD
    truth_credits: dict[str, Decimal] = {}
    for hour, usage_type, qty, cost in rows:
        start = hour.replace(tzinfo=UTC) if hour.tzinfo is None else hour.astimezone(UTC)
        credits = "[]"
        if start >= PROMOTION_START and promotion_left > 0 and money(cost) > 0:
            applied = min(money(cost), promotion_left)
            promotion_left -= applied
            period = start.strftime("%Y-%m")
            truth_credits[period] = truth_credits.get(period, Decimal(0)) - applied
            # credits[]'s fields in the schema's order: name, amount, full_name, id, type
            credit = {"name": PROMOTION["name"], "amount": "AMOUNT"} | PROMOTION
            credits = "[" + dumps(credit).replace('"AMOUNT"', "-" + _number(applied)) + "]"
        end = start + timedelta(hours=1)
        invoice_month = start.astimezone(INVOICE_ZONE).strftime("%Y%m")
        description = SKUS[usage_type]
        amount = str(int(qty))
        fields = [
            ("billing_account_id", dumps(GOOGLE_BILLING_ACCOUNT)),
            ("service", dumps(VERTEX_AI)),
            ("sku", dumps({"id": _sku_id(description), "description": description})),
            ("usage_start_time", dumps(_bq_timestamp(start))),
            ("usage_end_time", dumps(_bq_timestamp(end))),
            (
                "project",
                dumps(
                    {
                        "id": GOOGLE_PROJECT,
                        "number": GOOGLE_PROJECT_NUMBER,
                        "name": GOOGLE_PROJECT,
                        "labels": [{"key": "env", "value": "prod"}],
                        "ancestry_numbers": f"/418227610036/{GOOGLE_PROJECT_NUMBER}/",
                    }
                ),
            ),
            ("labels", dumps(LABELS)),
            ("system_labels", "[]"),
            (
                "location",
                dumps({"location": "us-central1", "country": "US", "region": "us-central1"}),
            ),
            (
                "export_time",
                dumps(_bq_timestamp(end + timedelta(hours=5, minutes=17), micros=True)),
            ),
            ("cost", _number(money(cost))),
            ("currency", '"USD"'),
            ("currency_conversion_rate", "1"),
            (
                "usage",
                '{"amount":'
                + amount
                + ',"unit":"count","amount_in_pricing_units":'
                + amount
                + ',"pricing_unit":"count"}',
            ),
            ("credits", credits),
            ("invoice", dumps({"month": invoice_month})),
            ("cost_type", '"regular"'),
            ("transaction_type", '"GOOGLE"'),
            ("seller_name", '"Google"'),
        ]
        line = "{" + ",".join(f'"{name}":{value}' for name, value in fields) + "}"
        by_month.setdefault(invoice_month, []).append(line)
    for month, lines in sorted(by_month.items()):
        folder = raw / "google" / "billing_export" / TABLE / f"invoice_month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "000000000000.json.gz"
        # mtime=0 in the gzip header: the same rows write the same bytes.
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
            gz.write(("\n".join(lines) + "\n").encode("utf-8"))
        # Extracted on the 5th of the next month, the file's time fixed so the demo repeats.
        year, number = int(month[:4]), int(month[4:])
        extracted = datetime(year + number // 12, number % 12 + 1, 5, 7, tzinfo=UTC).timestamp()
        os.utime(path, (extracted, extracted))
    return {"credit_or_promo": truth_credits}
