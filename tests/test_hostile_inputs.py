"""The hostile landing zone (tests/fixtures/hostile_landing): the bad inputs real exports
contain, each of which must land in the right place with a clear reason while the build
still passes. One dbt build into a temporary database serves every test here."""

import shutil
from decimal import Decimal

import duckdb
import pytest
from helpers import ROOT, columns_with_rows_where, run_dbt

FIXTURE = ROOT / "tests" / "fixtures" / "hostile_landing"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    raw = work / "raw"
    shutil.copytree(FIXTURE, raw)
    db = work / "ci.duckdb"
    result = run_dbt(
        # Unit tests read no landing zone: the CI build runs them.
        ["build", "--exclude-resource-type", "unit_test"],
        raw_dir=raw,
        db=db,
        close_dir=work / "close_records",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return result, db


@pytest.fixture(scope="module")
def con(build):
    with duckdb.connect(str(build[1]), read_only=True) as connection:
        yield connection


def test_a_decision_that_matches_no_line_is_reported(build, con):
    # d_h3 names a misspelt category: it would be ignored without a word. It is an
    # exception to act on, and a warning (an error when its period is being closed).
    assert "WARN 1 assert_decisions_match_a_line" in build[0].stdout
    exceptions = con.execute(
        "select subject, suggested_action from fct_exceptions where kind = 'unmatched_decision'"
    ).fetchall()
    assert [(subject.split(" (")[0], action) for subject, action in exceptions] == [
        ("decision d_h3", "correct decision")
    ]


def test_one_decision_id_with_conflicting_actions_is_for_the_reviewer_to_settle(con):
    # d_h4 is written twice, a CONFIRM and a WRITE_OFF of the same lines: neither is applied
    # by file order; both are listed (their period stays open: quarantined rows block it).
    listed = quarantine(con, "stg_finance_inputs__decisions")
    assert ("hostile.csv", 5, "conflicting_decision_id") in listed
    assert ("hostile.csv", 6, "conflicting_decision_id") in listed
    rows = con.execute(
        "select decision_action, record_status, quarantine_reason "
        "from stg_finance_inputs__decisions where decision_id = 'd_h4' order by 1"
    ).fetchall()
    assert rows == [
        ("CONFIRM", "quarantined", "conflicting_decision_id"),
        ("WRITE_OFF", "quarantined", "conflicting_decision_id"),
    ]
    listed_as_exceptions = con.execute(
        "select item_count from fct_exceptions where kind = 'quarantined_row' "
        "and billing_period = '2026-09' "
        "and subject = 'stg_finance_inputs__decisions: conflicting_decision_id'"
    ).fetchall()
    assert listed_as_exceptions == [(2,)]


def quarantine(con, model):
    """(file name, position, reason) of a staging model's quarantined records, a whole file
    (position None) first."""
    return sorted(
        (
            (source_file.rsplit("/", 1)[-1], position, reason)
            for source_file, position, reason in con.execute(
                "select source_file, record_position, quarantine_reason "
                "from int_quarantined_rows_unioned where staging_model = ?",
                [model],
            ).fetchall()
        ),
        key=lambda row: (row[0], row[1] is not None, row[1] or 0, row[2]),
    )


def test_bad_csv_lines_and_rows_are_quarantined_with_file_line_and_reason(con):
    assert quarantine(con, "stg_invoices__invoice_lines") == [
        ("azure_style_double_bom.csv", 4, "credit_with_positive_amount"),
        ("azure_style_double_bom.csv", 5, "amount_not_numeric"),  # N/A
        ("azure_style_double_bom.csv", 6, "amount_not_numeric"),  # "1,234.50"
        ("azure_style_double_bom.csv", 7, "unknown_currency"),
        ("azure_style_double_bom.csv", 8, "missing_required_id"),
        ("azure_style_double_bom.csv", 9, "csv_too_many_columns"),
        ("azure_style_double_bom.csv", 10, "csv_missing_columns"),
        ("mixed_line_endings.csv", None, "csv_mixed_line_endings"),  # a line appended by hand
        # A sign that contradicts the charge type, by the same rule as FOCUS (test_focus_rows);
        # an adjustment may have either sign.
        ("signs.csv", 2, "usage_with_negative_amount"),
        ("signs.csv", 3, "credit_with_positive_amount"),
        ("signs.csv", 5, "unknown_provider"),  # open-ai: not a provider of its own
        ("unterminated_quote.csv", None, "csv_unterminated_quote"),
    ]


def test_boms_embedded_quotes_and_column_drift_still_parse(con):
    rows = dict(
        con.execute(
            "select invoice_id || '/' || invoice_line_id, description "
            "from stg_invoices__invoice_lines where record_status = 'valid'"
        ).fetchall()
    )
    # Double BOM (file start and first data row), quoted comma and doubled quotes.
    assert rows["INV-H-1/L-001"] == 'API usage, gpt-4.1 ("priority" lane)'
    assert "INV-H-2/L-001" in rows  # two BOMs before the header
    assert "INV-H-3/L-001" in rows  # older layout: missing corrects_period, extra column


def test_signed_lines_keep_their_sign_and_a_correction_keeps_its_period(con):
    rows = con.execute(
        "select invoice_line_id, line_type, amount, corrects_period "
        "from stg_invoices__invoice_lines "
        "where invoice_id = 'INV-H-1' and record_status = 'valid' order by invoice_line_id"
    ).fetchall()
    assert rows == [
        ("L-001", "usage", Decimal("1.5"), None),
        ("L-002", "credit", Decimal("-5"), None),
        ("L-010", "adjustment", Decimal("-0.4"), "2026-08"),
    ]


def test_provider_pages_duplicated_cut_short_or_corrupt(con):
    assert quarantine(con, "stg_openai__costs") == [
        # pull_2026-09-08: a truncated download, rejected whole by the load
        ("page_0001.json", None, "invalid_json"),
        # positions are results in document order: the first bucket holds six
        ("page_0001.json", 1, "page_sequence_incomplete"),  # pull_2026-09-07
        ("page_0001.json", 3, "amount_not_numeric"),  # pull 09-05
        ("page_0001.json", 3, "amount_not_numeric"),  # its re-pull 09-06
        ("page_0001.json", 4, "unknown_currency"),
        ("page_0001.json", 4, "unknown_currency"),
        ("page_0001.json", 6, "negative_usage"),
        ("page_0001.json", 6, "negative_usage"),
        ("page_0001.json", 7, "bad_bucket_timestamp"),  # start_time in milliseconds
    ]
    # The identical re-pull supersedes the first pull; the cut-short pull supersedes nothing.
    valid = con.execute(
        "select regexp_extract(source_file, 'pull_[0-9-]+'), coalesce(project_id, 'NULL'), amount "
        "from stg_openai__costs where record_status = 'valid' order by all"
    ).fetchall()
    assert valid == [
        ("pull_2026-09-06", "NULL", Decimal("0.3")),  # null project and key: kept
        ("pull_2026-09-06", "proj_research", Decimal("0.06")),
        ("pull_2026-09-06", "proj_research", Decimal("0.5")),  # amount sent as a string
    ]
    superseded = con.execute(
        "select count(*) from stg_openai__costs where record_status = 'superseded'"
    ).fetchone()[0]
    assert superseded == 3


def test_anthropic_cents_strings_and_currency_case(con):
    rows = con.execute(
        "select coalesce(workspace_id, 'default'), amount, currency_code, record_status, "
        "quarantine_reason from stg_anthropic__cost_report order by all"
    ).fetchall()
    assert rows == [
        ("default", Decimal("0.1"), "USD", "valid", None),  # "10.00" cents, null workspace
        ("wrkspc_legal", Decimal("0.99"), "USD", "quarantined", "bad_bucket_timestamp"),
        ("wrkspc_legal", Decimal("1"), "USD", "valid", None),  # inference_geo us (pull 09-07)
        ("wrkspc_legal", Decimal("1.2345"), "USD", "valid", None),  # "123.45" cents
        ("wrkspc_legal", Decimal("2.5"), "USD", "valid", None),  # "usd" upper-cased
        ("wrkspc_legal", Decimal("3"), "USD", "valid", None),  # the same row, inference_geo global
        ("wrkspc_legal", None, "USD", "quarantined", "amount_not_numeric"),
    ]


def test_anthropic_rows_grouped_by_inference_geo_are_each_billed(con):
    # A pull grouped by inference_geo: two rows differing only there are two lines (the
    # US-only uplift next to global), both billed, neither superseded.
    rows = con.execute(
        "select inference_geo, amount, record_status from stg_anthropic__cost_report"
        " where usage_date = '2026-09-03' order by 1"
    ).fetchall()
    assert rows == [("global", Decimal("3"), "valid"), ("us", Decimal("1"), "valid")]
    billed = con.execute(
        "select sum(amount) from int_billed_lines_unioned"
        " where provider = 'anthropic' and usage_date = '2026-09-03'"
    ).fetchone()[0]
    assert billed == Decimal("4")
    # The us row was billed at 1.1x the list price: (1.1 - 1) / 1.1 of it is the uplift.
    uplift = con.execute(
        "select sum(billed_inference_geo_uplift_usd) from"
        " int_billed_lines_aggregated_to_line_tier_grain"
        " where provider = 'anthropic' and billing_period = '2026-09'"
    ).fetchone()[0]
    assert uplift == Decimal("0.0909090909")


def test_focus_rows(con):
    assert quarantine(con, "stg_focus__cost_and_usage") == [
        ("azure_focus_hostile.csv", 4, "unknown_pricing_unit"),  # Characters on a token meter
        ("azure_focus_hostile.csv", 5, "unknown_meter"),  # Finetune Hosting: no token kind
        ("azure_focus_hostile.csv", 6, "quantity_units_disagree"),  # 1 token, 1 block of 1K
        ("bedrock_export.parquet", 3, "unknown_currency"),  # Parquet: row 3, no header line
        ("bedrock_hostile.csv", 5, "amount_not_numeric"),
        ("bedrock_hostile.csv", 7, "unknown_currency"),
        ("bedrock_hostile.csv", 8, "bad_charge_period"),
        ("bedrock_hostile.csv", 9, "usage_with_negative_amount"),
        ("bedrock_hostile.csv", 10, "credit_with_positive_amount"),
        ("bedrock_hostile.csv", 11, "unknown_pricing_unit"),  # 1K characters
        ("bedrock_hostile.csv", 12, "quantity_units_disagree"),  # tokens written as 1K tokens
        ("bedrock_hostile.csv", 13, "unknown_usage_type"),  # a usage type with no token type
        ("google_focus_hostile.jsonl", 4, "unknown_pricing_unit"),  # priced per 1,000 characters
        ("google_focus_hostile.jsonl", 5, "unknown_sku"),  # Caching Storage, per hour
        # LiteLLM's FOCUS export (litellm/integrations/focus/transform.py): its own spend
        # estimate, the model in a sentence, prompt and completion tokens in one quantity
        ("litellm_focus_export.csv", 2, "unknown_focus_publisher"),
        ("litellm_focus_export.csv", 3, "unknown_focus_publisher"),
    ]
    credit = con.execute(
        "select billed_cost from stg_focus__cost_and_usage "
        "where charge_category = 'Credit' and record_status = 'valid'"
    ).fetchone()[0]
    assert credit == Decimal("-0.5")


def test_a_focus_row_split_by_geography_is_billed_twice(con):
    # AWS splits one day's usage by region into rows that differ only there: each is billed.
    rows = con.execute(
        "select region_id, billed_cost, record_status from stg_focus__cost_and_usage "
        "where sku_id = 'SKU-h14' order by region_id"
    ).fetchall()
    assert rows == [
        ("us-east-1", Decimal("0.6"), "valid"),
        ("us-west-2", Decimal("0.4"), "valid"),
    ]
    billed = con.execute(
        "select sum(amount) from fct_billed_lines where billed_line_id in "
        "(select focus_line_id from stg_focus__cost_and_usage where sku_id = 'SKU-h14')"
    ).fetchone()[0]
    assert billed == Decimal("1.0")


def test_cur2_bedrock_line_items(con):
    # AWS CUR 2.0, gzipped CSV as AWS delivers it: bad Bedrock line items are quarantined
    # with a reason and their line number (the header counts in a .csv.gz too); another
    # service's line items are read and left alone; usage split by geography is billed twice.
    assert quarantine(con, "stg_aws__cur2_cost_and_usage") == [
        ("hostile-cur2-00001.csv.gz", 3, "unknown_pricing_unit"),  # 1K characters
        ("hostile-cur2-00001.csv.gz", 4, "unknown_usage_type"),  # names no token type
        ("hostile-cur2-00001.csv.gz", 9, "unknown_line_item_type"),  # SavingsPlanNegation
    ]
    rows = con.execute(
        "select file_row_number, provider, usage_type, model_name, api_key_id, quantity,"
        " record_status from stg_aws__cur2_cost_and_usage as cur"
        " left join (select billed_line_id, api_key_id from fct_billed_lines) as billed"
        " on cur.cur_line_id = billed.billed_line_id"
        " where cur.record_status = 'valid' order by file_row_number"
    ).fetchall()
    principal = "arn:aws:iam::210987654321:role/hostile"
    assert rows == [
        (1, "aws_bedrock", "input_uncached", "us.amazon.nova-pro-v1:0", principal, 1000, "valid"),
        (4, "aws_bedrock", "output", "us.amazon.nova-pro-v1:0", principal, 187500, "valid"),
        (5, "aws_bedrock", "output", "us.amazon.nova-pro-v1:0", principal, 125000, "valid"),
        (6, None, None, None, None, None, "valid"),  # EC2: not billed as AI
        (7, "aws_bedrock", "output", "Claude Haiku 4.5 (global)", principal, 2000, "valid"),
    ]
    # The inference profile the bill names (us.amazon.nova-pro-v1:0, from the ARN) and the
    # model the telemetry logged (amazon.nova-pro-v1:0) are one price-book model.
    billed_models = con.execute(
        "select distinct model_key from fct_billed_lines where billed_source = 'aws_cur2'"
        " and model_name = 'us.amazon.nova-pro-v1:0'"
    ).fetchall()
    observed_models = con.execute(
        "select distinct canonical_model from fct_request_costs where request_id = 'req_h_rl_chat'"
    ).fetchall()
    assert billed_models == observed_models == [("amazon.nova-pro-v1:0",)]


def test_azure_cost_details_rows(con):
    # An EA cost-details export (PascalCase columns, MM/DD/YYYY dates, BillingCurrencyCode):
    # a token meter in a unit that counts no tokens and a meter naming no token kind are
    # quarantined with their line number; one model's usage split by deployment type
    # (Global, Data Zone) is two rows, each billed; a Refund is a credit; another service's
    # rows are read and left alone.
    assert quarantine(con, "stg_azure__cost_details") == [
        ("part_0_0001.csv", 4, "unknown_pricing_unit"),  # 1K Characters on a token meter
        ("part_0_0001.csv", 5, "unknown_meter"),  # Finetune Hosting: no token kind
    ]
    rows = con.execute(
        "select azure.file_row_number, azure.provider, azure.usage_type, azure.deployment_type,"
        " azure.model_name, azure.quantity, billed.amount, billed.project_id"
        " from stg_azure__cost_details as azure"
        " left join fct_billed_lines as billed"
        " on azure.cost_detail_line_id = billed.billed_line_id"
        " and billed.billed_source = 'azure_cost_details'"
        " where azure.record_status = 'valid' order by azure.file_row_number"
    ).fetchall()
    resource = (
        "/subscriptions/5c1a7e2b-0000-4000-8000-00000000aa01/resourcegroups/rg-ai"
        "/providers/microsoft.cognitiveservices/accounts/aoai-hostile"
    )
    assert rows == [
        (
            1,
            "azure_openai",
            "input_uncached",
            "global",
            "gpt-4o-0806",
            10000,
            Decimal("0.025"),
            resource,
        ),
        (
            2,
            "azure_openai",
            "input_uncached",
            "data_zone",
            "gpt 4o 0806",
            5000,
            Decimal("0.01375"),
            resource,
        ),
        (5, None, None, None, None, None, None, None),  # Storage: not billed as AI
        (6, "azure_openai", "credit", "global", "gpt-4o-0806", -2000, Decimal("-0.005"), resource),
    ]


def test_google_billing_export_rows(con):
    # A Google Cloud Billing export extracted from BigQuery as JSON lines: a SKU naming no
    # token kind (cache storage, per hour), a token SKU in a unit that counts no tokens and a
    # Veo video SKU are quarantined with their line number; a line cut short is rejected by
    # the load with its line number; a Compute Engine row is read and left alone; a row's
    # credits[] become credit lines; a row billed in euros is converted at the period's rate;
    # a tax row is billed as tax; a Parquet extract of the same table reads alike.
    assert quarantine(con, "stg_google__billing_export") == [
        ("000000000000.json", 3, "unknown_sku"),  # ... Text Input Caching Storage, per hour
        ("000000000000.json", 4, "unknown_pricing_unit"),  # 1,000 characters on a token SKU
        ("000000000000.json", 6, "invalid_json"),  # a line cut short
        ("000000000000.json", 9, "video_sku_not_read"),  # Veo: per second of video
    ]
    rows = con.execute(
        "select google.line_number, google.provider, google.usage_type, google.model_name,"
        " google.quantity, google.currency_code, google.cost, google.project_id"
        " from stg_google__billing_export as google"
        " where google.record_status = 'valid' order by google.line_number"
    ).fetchall()
    assert rows == [
        (
            1,
            "google",
            "input_uncached",
            "gemini-2.5-flash",
            Decimal("100000"),
            "USD",
            Decimal("0.03"),
            "hostile-vertex",
        ),
        (
            2,
            "google",
            "output",
            "gemini-2.5-flash",
            Decimal("8000"),
            "USD",
            Decimal("0.02"),
            "hostile-vertex",
        ),
        (5, None, None, None, None, "USD", Decimal("0.031611"), "hostile-vertex"),  # Compute Engine
        (
            7,
            "google",
            "input_uncached",
            "gemini-2.5-flash",
            Decimal("50000"),
            "EUR",
            Decimal("0.0138"),
            "hostile-vertex-eu",
        ),
        (8, "google", "tax", None, None, "USD", Decimal("0.005"), "hostile-vertex"),
        (
            None,  # the Parquet extract: structs and lists read as JSON, as JSON lines are
            "google",
            "output",
            "gemini-2.5-flash",
            Decimal("2000"),
            "USD",
            Decimal("0.005"),
            "hostile-vertex-pq",
        ),
    ]
    billed = con.execute(
        "select line_type, usage_type, currency_code, amount, project_id"
        " from fct_billed_lines where billed_source = 'google_billing_export'"
        " order by line_type, amount"
    ).fetchall()
    assert billed == [
        ("credit", "credit", "USD", Decimal("-0.01"), "hostile-vertex"),
        ("credit", "credit", "USD", Decimal("-0.002"), "hostile-vertex"),
        ("credit", "credit", "USD", Decimal("-0.0005"), "hostile-vertex-pq"),
        ("tax", "tax", "USD", Decimal("0.005"), "hostile-vertex"),
        ("usage", "output", "USD", Decimal("0.005"), "hostile-vertex-pq"),
        ("usage", "input_uncached", "EUR", Decimal("0.0138"), "hostile-vertex-eu"),  # in euros
        ("usage", "output", "USD", Decimal("0.02"), "hostile-vertex"),
        ("usage", "input_uncached", "USD", Decimal("0.03"), "hostile-vertex"),
    ]


def focus_rows_billed(con, file_name):
    """(row, provider, usage type, tier, deployment type, model, quantity, billed amount,
    project) of a FOCUS file's valid rows, the billed side joined where they are billed."""
    return con.execute(
        "select focus.file_row_number, focus.provider, focus.usage_type, focus.service_tier,"
        " focus.deployment_type, focus.model_name, focus.quantity, billed.amount,"
        " billed.project_id"
        " from stg_focus__cost_and_usage as focus"
        " left join fct_billed_lines as billed"
        " on focus.focus_line_id = billed.billed_line_id and billed.billed_source = 'focus'"
        " where focus.record_status = 'valid' and focus.source_file like ?"
        " order by focus.file_row_number",
        ["%" + file_name],
    ).fetchall()


def test_azure_focus_export_rows(con):
    # Microsoft's FOCUS export (Cost Management "FOCUS cost"): the meter in SkuMeter and
    # x_SkuMeterName read by azure_meter_part as the cost-details reader reads it, Units in
    # blocks of x_PricingBlockSize; one model's usage split by deployment type (Global, Data
    # Zone) is two rows, each billed, to the Azure OpenAI resource; a storage row is read
    # and left alone. Bad rows are in test_focus_rows.
    resource = (
        "/subscriptions/5c1a7e2b-0000-4000-8000-00000000aa01/resourcegroups/rg-ai"
        "/providers/microsoft.cognitiveservices/accounts/aoai-hostile"
    )
    assert focus_rows_billed(con, "azure_focus_hostile.csv") == [
        (
            1,
            "azure_openai",
            "input_uncached",
            "standard",
            "global",
            "gpt-4o-0806",
            Decimal("10000"),
            Decimal("0.025"),
            resource,
        ),
        (
            2,
            "azure_openai",
            "input_uncached",
            "standard",
            "data_zone",
            "gpt 4o 0806",
            Decimal("5000"),
            Decimal("0.01375"),
            resource,
        ),
        (6, None, None, "standard", None, None, None, None, None),  # storage: not AI
    ]


def test_google_focus_export_rows(con):
    # Google's FOCUS data as BigQuery extracts it to JSON lines: the SKU's description in
    # ChargeDescription read by google_sku_part as the billing-export reader reads it,
    # ChargeCategory in lower case, ConsumedQuantity in count; an hour's late usage appended
    # with a later x_ExportTime and the same hour in another region are each billed, to the
    # project in x_ProjectId; Compute Engine is read and left alone.
    assert focus_rows_billed(con, "google_focus_hostile.jsonl") == [
        (
            1,
            "google",
            "input_uncached",
            "standard",
            None,
            "gemini-2.5-flash",
            Decimal("100000"),
            Decimal("0.03"),
            "hostile-vertex",
        ),
        (
            2,
            "google",
            "input_uncached",
            "standard",
            None,
            "gemini-2.5-flash",
            Decimal("20000"),
            Decimal("0.006"),
            "hostile-vertex",
        ),
        (
            3,
            "google",
            "input_uncached",
            "standard",
            None,
            "gemini-2.5-flash",
            Decimal("50000"),
            Decimal("0.015"),
            "hostile-vertex",
        ),
        (6, None, None, "standard", None, None, Decimal("3600"), None, None),  # Compute Engine
    ]


def test_focus_1_3_as_json_lines_is_read_with_its_units_converted(con):
    # A FOCUS 1.3 bill published as JSON lines: ServiceProviderName for 1.2's ProviderName,
    # PricingQuantity in 1M tokens agreeing with ConsumedQuantity in tokens.
    rows = con.execute(
        "select provider, provider_name, host_provider_name, usage_type, model_name, quantity,"
        " record_status from stg_focus__cost_and_usage"
        " where source_file like '%bedrock_focus_1_3.jsonl'"
    ).fetchall()
    assert rows == [
        (
            "aws_bedrock",
            "AWS",
            "AWS",
            "input_uncached",
            "us.amazon.nova-pro-v1:0",
            Decimal("42000"),
            "valid",
        )
    ]


def test_gateway_timestamps_in_every_shape_become_utc(con):
    rows = dict(
        con.execute(
            "select request_id, coalesce(strftime(requested_at, '%Y-%m-%d %H:%M:%S'), "
            "quarantine_reason) from stg_telemetry__litellm_spend_logs "
            "where request_id like 'req_h_%' and record_status != 'superseded'"
        ).fetchall()
    )
    assert rows["req_h_iso"] == "2026-09-01 10:00:00"
    assert rows["req_h_offset"] == "2026-09-01 10:00:00"  # +02:00 converted to UTC
    assert rows["req_h_seconds"] == "2026-09-01 11:00:00"
    assert rows["req_h_millis"] == "2026-09-01 11:00:00"
    assert rows["req_h_garbage"] == "bad_timestamp"
    assert quarantine(con, "stg_telemetry__litellm_spend_logs") == [
        ("spend_logs_export.jsonl", 3, "invalid_json"),  # a line cut short: line 3
        # Two different requests both logged with the placeholder id "None" (records 3 and
        # 4, lines 5 and 6): each listed, never merged.
        ("spend_logs_export.jsonl", 3, "missing_required_id"),
        ("spend_logs_export.jsonl", 4, "missing_required_id"),
        ("spend_logs_export.parquet", 2, "negative_usage"),
        ("spend_logs_hostile.csv", 6, "bad_timestamp"),
        ("spend_logs_hostile.csv", 7, "negative_usage"),
        ("spend_logs_hostile.csv", 11, "missing_required_id"),
    ]
    assert quarantine(con, "stg_telemetry__otel_spans") == [
        ("spans_hostile.jsonl", 2, "invalid_json")
    ]


def test_an_unknown_model_is_kept_unpriced_never_zero(con):
    rows = con.execute(
        "select request_id, cost_usd is null, not is_priced from fct_request_costs "
        "where request_id in ('req_h_unknown_model', 'req_h_otel_unknown', 'req_h_iso')"
        " order by request_id"
    ).fetchall()
    assert rows == [
        ("req_h_iso", False, False),
        ("req_h_otel_unknown", True, True),
        ("req_h_unknown_model", True, True),
    ]
    kinds = {kind for (kind,) in con.execute("select distinct kind from fct_exceptions").fetchall()}
    assert {"unpriced_model", "quarantined_row"} <= kinds


def test_the_canary_key_and_payloads_are_never_stored(con):
    # Not in the raw tables the load writes either: the key is redacted as it is read, and
    # payload columns are not loaded.
    assert con.execute(
        "select count(*) from stg_telemetry__litellm_spend_logs where request_id = 'req_h_canary'"
    ).fetchone() == (1,)
    tables = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR'"
    ).fetchall()
    assert {schema for schema, _, _ in tables} >= {"raw", "main"}
    leaks = columns_with_rows_where(con, tables, "{0} like '%CANARY%' or {0} like '%never stored%'")
    assert leaks == []


def test_a_failure_takes_its_kind_from_what_the_gateway_wrote_never_its_message(con):
    # LiteLLM's error_information (class, then code) and the span's error.type decide the
    # kind; an error class no rule knows, or no error information at all, is `error`.
    kinds = dict(
        con.execute(
            "select request_id, failure_kind from fct_request_costs"
            " where request_id like 'req_h_fail%' or request_id = 'req_h_otel_timeout'"
        ).fetchall()
    )
    assert kinds == {
        "req_h_fail_disconnect": "stream_interrupted",
        "req_h_fail_rate_limit": "rate_limited",
        "req_h_fail_unknown_class": "error",
        "req_h_fail_unknown_class_504": "timeout",
        "req_h_fail_no_information": "error",
        # error.type (a namespaced APITimeoutError) before the message's "interrupted"
        "req_h_otel_timeout": "timeout",
    }
    # The error message and traceback (which can quote the prompt) are withheld as the
    # file is loaded: in no raw table, model or mart; the class and code are kept.
    tables = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR'"
    ).fetchall()
    assert columns_with_rows_where(con, tables, "{0} like '%hostile prompt text%'") == []
    assert con.execute(
        "select count(*) from raw.telemetry__litellm_spend_logs"
        " where metadata like '%QuantumFluxError%'"
    ).fetchone() == (1,)


def test_the_quarantine_blocks_the_close_of_its_period(con):
    # September's own quarantined rows plus those without a period (unreadable files).
    expected_count, expected_amount = con.execute(
        "select count(*), sum(amount) from int_quarantined_rows_unioned "
        "where billing_period = '2026-09' or billing_period is null"
    ).fetchone()
    rows = con.execute(
        "select distinct quarantined_row_count, quarantined_amount, is_closed"
        " from fct_period_summary where billing_period = '2026-09'"
    ).fetchall()
    assert expected_amount is not None  # e.g. the FOCUS row in an unknown currency
    assert rows == [(expected_count, expected_amount, False)]
    assert expected_count > 10


@pytest.mark.parametrize(
    ("endpoint", "usage_type", "unit"),
    [
        ("embeddings", "input_uncached", "tokens"),
        ("moderations", "input_uncached", "tokens"),
        ("images", "images", "images"),
        ("audio_speeches", "input_characters", "characters"),
        ("audio_transcriptions", "audio_seconds", "seconds"),
    ],
)
def test_openai_usage_endpoints_normalize_quarantine_and_supersede(con, endpoint, usage_type, unit):
    model = f"stg_openai__usage_{endpoint}"
    assert [(position, reason) for _, position, reason in quarantine(con, model)] == [
        # positions are results in document order: the first bucket holds six (images: seven)
        (3, "quantity_not_a_whole_number"),  # "lots"
        (4, "negative_usage"),
        (6, "quantity_not_a_whole_number"),  # 7260.5: never rounded
        (8 if endpoint == "images" else 7, "bad_bucket_timestamp"),  # start_time in ms
    ]
    other_size = " and image_size != '1024x1024'" if endpoint == "images" else ""  # own test
    valid = con.execute(
        "select regexp_extract(source_file, 'pull_[0-9-]+'), strftime(usage_date, '%d'),"
        " coalesce(api_key_id, 'NULL'), quantity, usage_type, quantity_unit"
        f" from {model} where record_status = 'valid'{other_size} order by all"
    ).fetchall()
    # The newer pull's figure for the overlapping day wins; keys only the older pull had
    # stay; a null project and key are kept; a number sent as a string is read.
    assert valid == [
        ("pull_2026-09-05", "01", "NULL", 40, usage_type, unit),
        ("pull_2026-09-05", "01", "key_str", 250, usage_type, unit),
        ("pull_2026-09-06", "01", "key_V2", 1100, usage_type, unit),
        ("pull_2026-09-06", "02", "key_V2", 900, usage_type, unit),
    ]
    superseded = con.execute(
        f"select quantity from {model} where record_status = 'superseded'"
    ).fetchall()
    assert superseded == [(1000,)]


def test_image_sizes_are_separate_rows(con):
    rows = con.execute(
        "select image_size, image_source, quantity from stg_openai__usage_images"
        " where record_status = 'valid' and api_key_id = 'key_V2' and usage_date = '2026-09-01'"
        " order by image_size"
    ).fetchall()
    assert rows == [("1024x1024", "image.generation", 3), ("1024x1536", "image.generation", 1100)]


def test_completions_follow_the_spec_sum_rules(con):
    rows = con.execute(
        "select api_key_id, record_status, quarantine_reason, input_tokens_inclusive,"
        " input_uncached_tokens, cache_read_tokens, cache_write_5m_tokens, output_tokens,"
        " service_tier from stg_openai__usage_completions order by api_key_id"
    ).fetchall()
    assert rows == [
        # The spec's example: 5000 inclusive = 3000 uncached + 1800 cached + 200 written.
        ("key_a", "valid", None, 5000, 3000, 1800, 200, 1000, "standard"),
        # An older export without the split: uncached derived as 1200 - 200; batch flag kept.
        ("key_old", "valid", None, 1200, 1000, 200, 0, 50, "batch"),
        # 3100 uncached + 1800 + 200 != 5000: quarantined, not silently re-split.
        ("key_sum", "quarantined", "token_sum_mismatch", 5000, 3100, 1800, 200, 1000, "standard"),
    ]


def test_anthropic_usage_report_buckets_layouts_and_supersession(con):
    rows = con.execute(
        "select api_key_id, coalesce(workspace_id, 'default'), service_tier,"
        " input_uncached_tokens, cache_read_tokens, cache_write_5m_tokens,"
        " cache_write_1h_tokens, output_tokens, web_search_requests"
        " from stg_anthropic__usage_messages where record_status = 'valid' order by all"
    ).fetchall()
    assert rows == [
        ("apikey_a", "default", "priority", 1000, 4000, 500, 250, 300, 2),  # null workspace
        ("apikey_a", "wrkspc_legal", "batch", 1200, 4000, 500, 250, 300, 2),  # "1200" read
        ("apikey_a", "wrkspc_legal", "standard", 1000, 4000, 500, 250, 350, 2),  # re-pull wins
        ("apikey_flat", "wrkspc_legal", "standard", 1000, 4000, 70, 30, 300, 0),  # flat layout
    ]
    assert [
        (position, reason)
        for _, position, reason in quarantine(con, "stg_anthropic__usage_messages")
    ] == [
        (3, "negative_usage"),  # negative 5m cache write
        (4, "missing_required_quantity"),  # output_tokens "N/A"
        (7, "bad_bucket_timestamp"),  # starting_at "not a date": the second bucket
    ]


def test_parquet_and_json_lines_exports_read_like_their_csv(con):
    # FOCUS as a cloud export writes it: typed decimals and timestamps, Tags as a map.
    focus = con.execute(
        "select charge_category, billed_cost, currency_code, charge_period_start_at, tags_json"
        " from stg_focus__cost_and_usage where source_file like '%.parquet'"
        " and record_status = 'valid' order by all"
    ).fetchall()
    tags = '{"team":"data-platform","env":"production"}'
    assert [(row[0], row[1], row[2], str(row[3]), row[4]) for row in focus] == [
        ("Tax", Decimal("0.25"), "USD", "2026-09-03 00:00:00", tags),
        ("Usage", Decimal("2.5"), "USD", "2026-09-03 00:00:00", tags),
    ]
    # LiteLLM's table as Parquet: metadata is a struct, read through the same allow-list.
    litellm = con.execute(
        "select request_id, strftime(requested_at, '%Y-%m-%d %H:%M'), input_uncached_tokens,"
        " cache_read_tokens, gateway_key_alias, deployment_id, coalesce(quarantine_reason, 'valid')"
        " from stg_telemetry__litellm_spend_logs where request_id like 'req_h_pq%' order by 1"
    ).fetchall()
    assert litellm == [
        (
            "req_h_pq_negative",
            "2026-09-02 09:00",
            -510,
            500,
            "research-eval",
            "research-gpt-4.1",
            "negative_usage",
        ),
        (
            "req_h_pq_ok",
            "2026-09-02 08:00",
            1500,
            500,
            "research-eval",
            "research-gpt-4.1",
            "valid",
        ),
    ]
    # And as JSON lines: nested metadata kept as JSON, unix-second times, numbers as strings.
    jsonl = con.execute(
        "select request_id, strftime(requested_at, '%Y-%m-%d %H:%M'), input_uncached_tokens,"
        " cache_read_tokens, output_tokens from stg_telemetry__litellm_spend_logs"
        " where request_id like 'req_h_jl%' and record_status = 'valid' order by 1, 2"
    ).fetchall()
    assert jsonl == [
        ("req_h_jl_ok", "2026-09-03 08:00", 2000, 1000, 30),
        ("req_h_jl_ok", "2026-09-05 08:00", 900, 0, 9),  # the id reused two days later
        ("req_h_jl_seconds", "2026-09-03 09:00", 200, 0, 20),
    ]


def test_a_request_id_reused_on_another_day_is_another_request(con):
    # LiteLLM users report request ids reused by different requests: one id on two days
    # is two requests (the per-day deduplication keeps both), each costed once.
    rows = con.execute(
        "select cast(requested_at as date), input_uncached_tokens, output_tokens "
        "from fct_request_costs where request_id = 'req_h_jl_ok' order by 1"
    ).fetchall()
    assert [(str(day), tokens, output) for day, tokens, output in rows] == [
        ("2026-09-03", 2000, 30),
        ("2026-09-05", 900, 9),
    ]


def test_request_log_csv_and_parquet_are_priced_per_unit(con):
    assert [(p, r) for _, p, r in quarantine(con, "stg_telemetry__requests")] == [
        (5, "quantity_not_numeric"),  # "12a" input tokens
        (6, "negative_usage"),  # -1 images
        (7, "missing_required_id"),
    ]
    rows = con.execute(
        "select request_id, provider, strftime(requested_at, '%Y-%m-%d %H:%M'), endpoint_family,"
        " per_unit_cost_usd, cost_usd from fct_request_costs"
        " where request_id like 'req_h_rl%' order by 1"
    ).fetchall()
    assert rows == [
        # 90.5 s at whisper-1's $0.006 a minute.
        (
            "req_h_rl_audio",
            "openai",
            "2026-09-01 12:00",
            "audio",
            Decimal("0.00905"),
            Decimal("0.00905"),
        ),
        ("req_h_rl_chat", "aws_bedrock", "2026-09-01 10:00", "chat", None, Decimal("0.00112")),
        # The price book has no per-image price for gpt-image-1: unpriced, never 0.
        ("req_h_rl_image", "openai", "2026-09-01 10:00", "image", None, None),
        ("req_h_rl_parquet", "aws_bedrock", "2026-09-02 10:00", "chat", None, Decimal("0.00176")),
    ]


def test_every_reader_speaks_one_service_tier_vocabulary(con):
    # The request log wrote OpenAI's own words (default, Auto) and a blank: all standard.
    tiers = con.execute(
        "select request_id, service_tier from stg_telemetry__requests"
        " where request_id in ('req_h_rl_audio', 'req_h_rl_image', 'req_h_rl_chat') order by 1"
    ).fetchall()
    assert tiers == [
        ("req_h_rl_audio", "standard"),
        ("req_h_rl_chat", "standard"),
        ("req_h_rl_image", "standard"),
    ]


def test_signoffs_need_three_people_after_the_period_ended(con):
    # One person signing all three roles does not sign a period off; a sign-off dated
    # before the period ended is quarantined with its reason, not counted.
    assert quarantine(con, "stg_finance_inputs__signoffs") == [
        ("hostile.csv", 3, "unknown_signoff_role"),
        ("hostile.csv", 7, "signed_before_period_end"),
    ]
    rows = con.execute(
        "select billing_period, signoff_count, signer_count, has_all_signoffs"
        " from fct_period_summary where provider = 'all' and billing_period in"
        " ('2026-08', '2026-09') order by 1"
    ).fetchall()
    assert rows == [("2026-08", 3, 1, False), ("2026-09", 1, 1, False)]


# Names that are SQL, glob patterns (each matching another name here), or unusual text.
PATH_NAMES = (
    "mia's invoices.csv",
    "x' || '.csv",
    "inv[1].csv",
    "inv1.csv",
    "inv*.csv",
    "inv?.csv",
    "счёт ünïcode.csv",
    "two  spaces .csv",
    "line\nbreak.csv",
)


def test_paths_are_data_never_sql_or_globs(tmp_path):
    # A landing zone under a folder with a quote and a glob bracket, files named with a
    # quote, glob characters, SQL, unicode, spaces and a newline: each is read as itself,
    # once, its rows balance (the landed_records_conserved tests), and nothing is executed.
    raw = tmp_path / "o'neil exports [2026]" / "raw"
    shutil.copytree(FIXTURE, raw)
    invoices = raw / "invoices"
    original = invoices / "azure_style_double_bom.csv"
    for name in PATH_NAMES:
        shutil.copy(original, invoices / name)
    db = tmp_path / "ci.duckdb"
    result = run_dbt(
        ["build", "--exclude-resource-type", "unit_test"],
        raw_dir=raw,
        db=db,
        close_dir=tmp_path / "o'neil exports [2026]" / "close_records",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = dict(
            connection.execute(
                "select regexp_extract(source_file, '[^/]*$'), count(*)"
                " from stg_invoices__invoice_lines group by 1"
            ).fetchall()
        )
        inventory = dict(
            connection.execute(
                "select relative_path, file_status from stg_landing__inventory"
            ).fetchall()
        )
    assert {name: rows.get(name) for name in PATH_NAMES} == {
        name: rows["azure_style_double_bom.csv"] for name in PATH_NAMES
    }
    # The inventory names each file by its path under the landing folder.
    assert {f"invoices/{name}": "read" for name in PATH_NAMES}.items() <= inventory.items()
    assert rows["azure_style_double_bom.csv"] > 0
