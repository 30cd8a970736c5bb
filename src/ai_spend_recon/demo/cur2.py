"""The AWS Cost and Usage Report 2.0 (Data Exports) of the member account AWS_MEMBER_ACCOUNT.

As AWS Data Exports deliver it: gzipped CSV per billing period under
aws/cur2/<export>/data/BILLING_PERIOD=YYYY-MM/, with the columns the export's query selects
(names from the CUR 2.0 data dictionary), one usage line item per day, usage type, inference
profile and IAM principal: the usage type as Bedrock writes it (USE1-NovaPro-input-tokens;
a batch inference job's with the service tier after the token type,
USE1-NovaLite-input-tokens-batch), the usage amount in its pricing unit (1K tokens), the
inference profile's ARN in line_item_resource_id, the caller's role in
line_item_iam_principal; and one tax line item per billing period (tax_or_fee). The account
runs Nova Pro evaluations (request log), Claude Haiku 4.5 through LiteLLM and nightly Nova
Lite batch jobs billed at the batch rate that the request log records without the batch
flag (service_tier_or_batch, computed in ground_truth.py from the requests billed).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ai_spend_recon.demo.amounts import cents, money
from ai_spend_recon.demo.files import sha
from ai_spend_recon.demo.focus import AWS_TOKEN_TYPES, AWS_USAGE_TYPE_MODELS
from ai_spend_recon.demo.traffic import AWS_ACCOUNT, AWS_MEMBER_ACCOUNT

EXPORT = "bedrock-member-cur2"
COLUMNS = [
    "identity_line_item_id",
    "identity_time_interval",
    "bill_bill_type",
    "bill_billing_entity",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "bill_invoice_id",
    "bill_payer_account_id",
    "line_item_usage_account_id",
    "line_item_line_item_type",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_product_code",
    "line_item_usage_type",
    "line_item_operation",
    "line_item_resource_id",
    "line_item_usage_amount",
    "line_item_unblended_rate",
    "line_item_unblended_cost",
    "line_item_currency_code",
    "line_item_line_item_description",
    "line_item_iam_principal",
    "pricing_unit",
    "pricing_public_on_demand_cost",
    "product",
    "product_region_code",
    "product_servicecode",
    "resource_tags",
]


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def write_bedrock_cur2(con: duckdb.DuckDBPyConnection, raw: Path) -> dict:
    """Write the member account's CUR 2.0 files; return the variance amounts they inject."""
    rows = con.execute(
        """
        select cast(used_at as date) as day, strftime(used_at, '%Y-%m') as period,
            api_key_id, reported_model, usage_type, service_tier, sum(quantity), sum(cost_usd),
            min(usd_per_unit)
        from billed_priced where provider = 'aws_bedrock' and project_id = ?
        group by all order by all
        """,
        [AWS_MEMBER_ACCOUNT],
    ).fetchall()
    by_period: dict = {}
    for day, period, principal, model, usage_type, tier, qty, cost, rate in rows:
        cost = money(cost)
        model_token, model_words = AWS_USAGE_TYPE_MODELS[model]
        suffix, meter_words = AWS_TOKEN_TYPES[usage_type]
        per_1k = money(rate) * 1000
        interval = f"{_stamp(day)}/{_stamp(day + timedelta(days=1))}"
        # The service tier follows the token type; standard writes none.
        tier_suffix = "" if tier == "standard" else f"-{tier}"
        tier_words = "" if tier == "standard" else f" ({tier})"
        usage_type_text = f"USE1-{model_token}-{suffix}{tier_suffix}"
        by_period.setdefault(period, []).append(
            {
                "identity_line_item_id": sha(f"{interval}{usage_type_text}{principal}", 52),
                "identity_time_interval": interval,
                "line_item_line_item_type": "Usage",
                "line_item_usage_start_date": _stamp(day),
                "line_item_usage_end_date": _stamp(day + timedelta(days=1)),
                "line_item_product_code": "AmazonBedrock",
                "line_item_usage_type": usage_type_text,
                "line_item_resource_id": (
                    f"arn:aws:bedrock:us-east-1:{AWS_MEMBER_ACCOUNT}:inference-profile/{model}"
                ),
                "line_item_usage_amount": f"{Decimal(int(qty)) / 1000:f}",
                "line_item_unblended_rate": f"{per_1k.normalize():f}",
                "line_item_unblended_cost": f"{cost:f}",
                "line_item_line_item_description": (
                    f"${per_1k.normalize():f} per 1K {meter_words} for {model_words}"
                    f"{tier_words} in US East (N. Virginia)"
                ),
                "line_item_iam_principal": principal,
                "pricing_unit": "1K tokens",
                "pricing_public_on_demand_cost": f"{cost:f}",
                "product": json.dumps({"product_name": "Amazon Bedrock"}),
                "product_region_code": "us-east-1",
                "resource_tags": json.dumps({"user_team": "analytics"}),
            }
        )
    truth_tax: dict = {}
    for period, items in sorted(by_period.items()):
        year, month = map(int, period.split("-"))
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1)
        tax = cents(sum(Decimal(i["line_item_unblended_cost"]) for i in items) * Decimal("0.08"))
        truth_tax[period] = tax
        items.append(
            {
                "identity_line_item_id": sha(f"tax{period}", 52),
                "identity_time_interval": f"{_stamp(start)}/{_stamp(end)}",
                "line_item_line_item_type": "Tax",
                "line_item_usage_start_date": _stamp(start),
                "line_item_usage_end_date": _stamp(end),
                "line_item_product_code": "AmazonBedrock",
                "line_item_unblended_cost": f"{tax:f}",
                "line_item_line_item_description": "Tax for product code AmazonBedrock",
                "product": json.dumps({"product_name": "Amazon Bedrock"}),
            }
        )
        for item in items:
            item.update(
                {
                    "bill_bill_type": "Anniversary",
                    "bill_billing_entity": "AWS",
                    "bill_billing_period_start_date": _stamp(start),
                    "bill_billing_period_end_date": _stamp(end),
                    "bill_invoice_id": f"EUINGB{period.replace('-', '')[2:]}-{sha(period, 6)}",
                    "bill_payer_account_id": AWS_ACCOUNT,
                    "line_item_usage_account_id": AWS_MEMBER_ACCOUNT,
                    "line_item_currency_code": "USD",
                    "product_servicecode": "AmazonBedrock",
                }
            )
        folder = raw / "aws" / "cur2" / EXPORT / "data" / f"BILLING_PERIOD={period}"
        folder.mkdir(parents=True, exist_ok=True)
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(items)
        # mtime=0: the same data gives byte-identical files.
        with gzip.GzipFile(folder / f"{EXPORT}-00001.csv.gz", "wb", mtime=0) as fh:
            fh.write(text.getvalue().encode("utf-8"))
    return {"tax_or_fee": truth_tax}
