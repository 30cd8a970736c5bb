"""The FOCUS 1.2 with AWS columns cost and usage CSV for AWS Bedrock.

Usage rows per day, account, model and usage type, discounted above the contract volume
tier (config/demo/contract_volume_tiers.csv, tier_breakpoint), and one US sales tax row per
period (tax_or_fee). As AWS writes them (CUR user guide, "FOCUS 1.2 with AWS columns"):
the usage type in SkuMeter (USE1-Claude4.5Sonnet-input-tokens), a price sentence in
ChargeDescription, the inference profile's ARN in ResourceId, the quantity in tokens
(ConsumedUnit) and in 1K tokens (PricingUnit, the unit ListUnitPrice is per).
"""

from __future__ import annotations

import csv
import json
import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ai_spend_recon.demo.amounts import cents, money
from ai_spend_recon.demo.files import sha
from ai_spend_recon.demo.traffic import AWS_ACCOUNT, AWS_MEMBER_ACCOUNT
from ai_spend_recon.paths import DEMO_CONFIG_DIR

# The token type as AWS writes it: the usage type's suffix, and in the price sentence.
AWS_TOKEN_TYPES = {
    "input_uncached": ("input-tokens", "input tokens"),
    "output": ("output-tokens", "output tokens"),
    "cache_read": ("cache-read-input-token-count", "cache read input tokens"),
}
# The model as AWS names it in usage types and price sentences.
AWS_USAGE_TYPE_MODELS = {
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0": ("Claude4.5Sonnet", "Claude Sonnet 4.5"),
    "us.amazon.nova-pro-v1:0": ("NovaPro", "Nova Pro"),
    "us.anthropic.claude-haiku-4-5-20251001-v1:0": ("Claude4.5Haiku", "Claude Haiku 4.5"),
    "us.amazon.nova-lite-v1:0": ("NovaLite", "Nova Lite"),
}
FOCUS_EXPORTED_AT = "2026-11-03T08:00:00+00:00"


def write_bedrock_focus(con: duckdb.DuckDBPyConnection, raw: Path) -> dict:
    """Write focus/bedrock_focus_1_2.csv, the payer's FOCUS export of every member account
    but AWS_MEMBER_ACCOUNT (which exports CUR 2.0, cur2.py); return the variance amounts it
    injects."""
    rows = con.execute(
        """
        select cast(used_at as date) as day, strftime(used_at, '%Y-%m') as period, api_key_id,
            project_id, reported_model, model_id, usage_type, sum(quantity), sum(cost_usd),
            min(usd_per_unit)
        from billed_priced where provider = 'aws_bedrock' and project_id != ?
        group by all order by all
        """,
        [AWS_MEMBER_ACCOUNT],
    ).fetchall()
    tiers = list(csv.DictReader((DEMO_CONFIG_DIR / "contract_volume_tiers.csv").open()))
    cumulative: dict = {}
    truth_tier: dict = {}
    meters = AWS_TOKEN_TYPES
    # The model as AWS names it in usage types and price sentences.
    usage_type_models = AWS_USAGE_TYPE_MODELS
    header = [
        "BilledCost",
        "EffectiveCost",
        "ListCost",
        "ContractedCost",
        "BillingCurrency",
        "BillingPeriodStart",
        "BillingPeriodEnd",
        "ChargePeriodStart",
        "ChargePeriodEnd",
        "ChargeCategory",
        "ChargeClass",
        "ChargeDescription",
        "ChargeFrequency",
        "ConsumedQuantity",
        "ConsumedUnit",
        "PricingQuantity",
        "PricingUnit",
        "ListUnitPrice",
        "ContractedUnitPrice",
        "PricingCategory",
        "SkuId",
        "SkuMeter",
        "ServiceName",
        "ServiceCategory",
        "ServiceSubcategory",
        "ProviderName",
        "PublisherName",
        "InvoiceIssuerName",
        "InvoiceId",
        "BillingAccountId",
        "BillingAccountName",
        "SubAccountId",
        "SubAccountName",
        "RegionId",
        "ResourceId",
        "ResourceName",
        "Tags",
        "x_ServiceCode",
    ]
    out_rows = []
    usage_by_period: dict = {}
    for day, period, key, sub, model, model_id, usage_type, qty, cost, rate in rows:
        cost = money(cost)
        list_cost = cost
        tier = next(
            (t for t in tiers if t["model_id"] == model_id and t["usage_type"] == usage_type), None
        )
        if tier:
            threshold = int(tier["threshold_quantity_per_period"])
            before = cumulative.get((period, model_id), 0)
            after = before + int(qty)
            cumulative[(period, model_id)] = after
            above = max(0, after - max(before, threshold))
            discount = Decimal(above) * money(rate) * Decimal(tier["discount_pct"]) / 100
            cost = cost - discount
            truth_tier[period] = truth_tier.get(period, Decimal(0)) - discount
        usage_by_period[period] = usage_by_period.get(period, Decimal(0)) + cost
        year, month = map(int, period.split("-"))
        next_month = date(year + month // 12, month % 12 + 1, 1)
        usage_type_model, model_words = usage_type_models[model]
        suffix, meter_words = meters[usage_type]
        per_1k = money(rate) * 1000
        profile_arn = f"arn:aws:bedrock:us-east-1:{AWS_ACCOUNT}:inference-profile/{model}"
        out_rows.append(
            [
                f"{cost:f}",
                f"{cost:f}",
                f"{list_cost:f}",
                f"{cost:f}",
                "USD",
                f"{period}-01T00:00:00Z",
                f"{next_month.isoformat()}T00:00:00Z",
                f"{day.isoformat()}T00:00:00Z",
                f"{(day + timedelta(days=1)).isoformat()}T00:00:00Z",
                "Usage",
                "",
                f"${per_1k.normalize():f} per 1K {meter_words} for {model_words}"
                " in US East (N. Virginia)",
                "Usage-Based",
                str(int(qty)),
                "Tokens",
                f"{Decimal(int(qty)) / 1000:f}",
                "1K tokens",
                f"{per_1k:f}",
                f"{per_1k:f}",
                "Standard",
                f"SKU-{sha(model + usage_type, 8)}",
                f"USE1-{usage_type_model}-{suffix}",
                "Amazon Bedrock",
                "AI and Machine Learning",
                "Generative AI",
                "AWS",
                "Anthropic" if "anthropic" in model else "Amazon",
                "Amazon Web Services EMEA SARL",
                f"AWS-INV-{period.replace('-', '')}",
                AWS_ACCOUNT,
                "demo-prod-payer",
                sub,
                "Data platform",
                "us-east-1",
                profile_arn,
                model,
                json.dumps(
                    {
                        "team": "data-platform" if "dataplat" in key else "analytics",
                        "environment": "production" if "dataplat" in key else "evaluation",
                    }
                ),
                "AmazonBedrock",
            ]
        )
    truth_tax = {}
    for period, total in usage_by_period.items():
        tax = cents(total * Decimal("0.08"))
        truth_tax[period] = tax
        out_rows.append(
            [
                f"{tax:f}",
                f"{tax:f}",
                f"{tax:f}",
                f"{tax:f}",
                "USD",
                f"{period}-01T00:00:00Z",
                "",
                f"{period}-01T00:00:00Z",
                "",
                "Tax",
                "",
                "US sales tax",
                "Recurring",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "Amazon Bedrock",
                "AI and Machine Learning",
                "Generative AI",
                "AWS",
                "Amazon",
                "Amazon Web Services EMEA SARL",
                f"AWS-INV-{period.replace('-', '')}",
                AWS_ACCOUNT,
                "demo-prod-payer",
                "",
                "",
                "",
                "",
                "",
                "{}",
                "AmazonBedrock",
            ]
        )
    folder = raw / "focus"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "bedrock_focus_1_2.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(out_rows)
    # Delivered by the cloud's data export after the month closed: the file's modification
    # time is its export date (FOCUS has no column for it), fixed so the demo is repeatable.
    stamp = datetime.fromisoformat(FOCUS_EXPORTED_AT).timestamp()
    os.utime(folder / "bedrock_focus_1_2.csv", (stamp, stamp))
    return {"tier_breakpoint": truth_tier, "tax_or_fee": truth_tax}
