"""The Azure Cost Management export of cost details for the EA enrollment AZURE_ENROLLMENT.

As a scheduled Cost Management export delivers it (cost and usage details, actual cost):
one CSV per billing month under azure/cost_details/<export>/<YYYYMMDD-YYYYMMDD>/<run id>/
part_0_0001.csv, with columns of the Enterprise Agreement dataset as Microsoft Learn names
them ("Cost and usage details for EA", PascalCase: CostInBillingCurrency,
BillingCurrencyCode, UnitOfMeasure, MeterName, ResourceId, ...), dates as MM/DD/YYYY;
one row per day and meter of the Azure OpenAI resource: the meter as Azure names it
(model, token kind, deployment type: `o4 mini 0416 Inp glbl Tokens`), the quantity in
UnitOfMeasure 1K (thousands of tokens) and CostInBillingCurrency. Two resources of the
same subscription: the knowledge-base assistant's (aoai-kb-prod, called through LiteLLM) and
an evaluation resource its notebooks call directly (aoai-kb-eval), which no gateway sees:
its cost is missing_telemetry (computed in ground_truth.py from the requests billed with no
telemetry). Billed at the price book's Global (catalog) price.
"""

from __future__ import annotations

import csv
import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ai_spend_recon.demo.amounts import money
from ai_spend_recon.demo.files import sha
from ai_spend_recon.demo.traffic import (
    AZURE_ENROLLMENT,
    AZURE_EVAL_RESOURCE_ID,
    AZURE_RESOURCE_ID,
    AZURE_SUBSCRIPTION,
)

EXPORT = "aoai-kb-daily-actual"
# The meter of each token kind of the deployed model, as Azure writes its meters.
METERS = {
    "input_uncached": "o4 mini 0416 Inp glbl Tokens",
    "cache_read": "o4 mini 0416 cached Inp glbl Tokens",
    "output": "o4 mini 0416 Outp glbl Tokens",
}
# The resources as Cost Management writes their ResourceId (the workloads hold it lower-cased,
# as the reader keys the project).
RESOURCE_IDS = {rid.lower(): rid for rid in (AZURE_RESOURCE_ID, AZURE_EVAL_RESOURCE_ID)}
COLUMNS = [
    "BillingAccountId",
    "BillingAccountName",
    "BillingPeriodStartDate",
    "BillingPeriodEndDate",
    "BillingProfileId",
    "Date",
    "SubscriptionId",
    "SubscriptionName",
    "ResourceGroup",
    "ResourceId",
    "ResourceLocation",
    "ConsumedService",
    "ProductName",
    "MeterId",
    "MeterName",
    "MeterCategory",
    "MeterSubCategory",
    "MeterRegion",
    "Quantity",
    "UnitOfMeasure",
    "EffectivePrice",
    "CostInBillingCurrency",
    "BillingCurrencyCode",
    "ChargeType",
    "PricingModel",
    "Frequency",
    "CostCenter",
    "Tags",
]


def _us_date(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def write_azure_cost_details(con: duckdb.DuckDBPyConnection, raw: Path) -> dict:
    """Write the enrollment's cost-details export per month; return the variance amounts it
    injects beyond the requests billed (none: the evaluation resource's missing telemetry is
    computed from the requests, in ground_truth.py)."""
    rows = con.execute(
        """
        select cast(used_at as date) as day, strftime(used_at, '%Y-%m') as period,
            project_id, usage_type, sum(quantity), sum(cost_usd), min(usd_per_unit)
        from billed_priced where provider = 'azure_openai'
        group by all order by all
        """
    ).fetchall()
    by_period: dict = {}
    for day, period, project_id, usage_type, qty, cost, rate in rows:
        meter = METERS[usage_type]
        resource_id = RESOURCE_IDS[project_id]
        by_period.setdefault(period, []).append(
            {
                "Date": _us_date(day),
                "ResourceId": resource_id,
                "Tags": '{"team":"knowledge","env":"eval"}'
                if resource_id == AZURE_EVAL_RESOURCE_ID
                else '{"team":"knowledge"}',
                "MeterId": f"{sha(meter, 8)}-{sha(meter + '1', 4)}-4{sha(meter + '2', 3)}"
                f"-a{sha(meter + '3', 3)}-{sha(meter + '4', 12)}",
                "MeterName": meter,
                "Quantity": f"{Decimal(int(qty)) / 1000:f}",
                "EffectivePrice": f"{(money(rate) * 1000).normalize():f}",
                "CostInBillingCurrency": f"{money(cost):f}",
            }
        )
    for period, items in sorted(by_period.items()):
        year, month = map(int, period.split("-"))
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        for item in items:
            item.update(
                {
                    "BillingAccountId": AZURE_ENROLLMENT,
                    "BillingAccountName": "Demo Org Enrollment",
                    "BillingPeriodStartDate": _us_date(start),
                    "BillingPeriodEndDate": _us_date(end),
                    "BillingProfileId": AZURE_ENROLLMENT,
                    "SubscriptionId": AZURE_SUBSCRIPTION,
                    "SubscriptionName": "knowledge-prod",
                    "ResourceGroup": "rg-knowledge",
                    "ResourceLocation": "eastus2",
                    "ConsumedService": "Microsoft.CognitiveServices",
                    "ProductName": "Azure OpenAI",
                    "MeterCategory": "Foundry Models",
                    "MeterSubCategory": "Azure OpenAI",
                    "MeterRegion": "Global",
                    "UnitOfMeasure": "1K",
                    "BillingCurrencyCode": "USD",
                    "ChargeType": "Usage",
                    "PricingModel": "OnDemand",
                    "Frequency": "UsageBased",
                    "CostCenter": "CC-900",
                }
            )
        run = f"{sha(period, 8)}-{sha(period + 'a', 4)}-4{sha(period + 'b', 3)}"
        run += f"-8{sha(period + 'c', 3)}-{sha(period + 'd', 12)}"
        folder = raw / "azure" / "cost_details" / EXPORT / f"{start:%Y%m%d}-{end:%Y%m%d}" / run
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "part_0_0001.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(items)
        # A monthly export of the closed month, run on the 5th: the file's modification time
        # is its export date (the dataset has no column for it), fixed so the demo repeats.
        exported = datetime(end.year + end.month // 12, end.month % 12 + 1, 5, 6, tzinfo=UTC)
        stamp = exported.timestamp()
        os.utime(folder / "part_0_0001.csv", (stamp, stamp))
    return {}
