"""The company's configuration lives in a folder of its own (RECON_CONFIG_DIR), apart from
the demo org's (config/demo). Any file may be missing, empty or a header alone; a value
that does not parse, or a missing column, stops the build naming file, line and column."""

import json
import shutil
from decimal import Decimal

import duckdb
import pytest
from helpers import DEMO_RAW, ROOT, run_dbt

DEMO_CONFIG = ROOT / "config" / "demo"

pytestmark = pytest.mark.usefixtures("demo_raw")


def header_only(path):
    path.write_text(path.read_text().splitlines()[0] + "\n")


def build_with_config(tmp_path, config):
    """The demo landing zone built (unit tests aside) with this configuration folder; the
    build must pass. Returns the database."""
    db = tmp_path / "ci.duckdb"
    result = run_dbt(
        ["build", "--exclude-resource-type", "unit_test"],
        raw_dir=DEMO_RAW,
        db=db,
        close_dir=tmp_path / "close_records",
        config_dir=config,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return db


def test_missing_empty_and_header_only_files_build(tmp_path):
    config = tmp_path / "company config [eu]"
    shutil.copytree(DEMO_CONFIG, config)
    header_only(config / "chargeback_key_splits.csv")  # an organization without shared keys
    (config / "chargeback_rules.csv").write_text("")
    (config / "budgets.csv").unlink()
    header_only(config / "fx_rates.csv")  # billed and reporting in USD: USD needs no rate
    db = build_with_config(tmp_path, config)
    with duckdb.connect(str(db), read_only=True) as con:
        splits, rules, budgets = (
            con.execute(f"select count(*) from main.stg_config__{name}").fetchone()[0]
            for name in ("chargeback_key_splits", "chargeback_rules", "budgets")
        )
        assert (splits, rules, budgets) == (0, 0, 0)
        # Every billed dollar is still charged back (assert_chargeback_sums_to_billed ran
        # in the build): without splits the shared key goes to its one mapped owner.
        ledger = con.execute("select count(*) from fct_chargeback_ledger").fetchone()[0]
        assert ledger > 0
        summary = con.execute("select count(*) from fct_period_summary").fetchone()[0]
        assert summary > 0
        variances = con.execute(
            "select billing_period, provider, variance_category, amount_usd from fct_variances"
        ).fetchall()
    # The landing zone is written the way real tools write it (only real gateway fields,
    # dated model names with no alias, a second telemetry source and a key outside the
    # gateway on the support project): every injected category to the cent, none other,
    # nothing unexplained.
    truth = json.loads((DEMO_RAW.parent / "ground_truth.json").read_text())
    expected = {
        (period, provider, category): Decimal(amount)
        for period, providers in truth["variance_ground_truth"].items()
        for provider, categories in providers.items()
        for category, amount in categories.items()
    }
    attributed = {(p, prov, cat): amount for p, prov, cat, amount in variances}
    off = {
        key: (attributed.get(key, Decimal(0)), amount)
        for key, amount in expected.items()
        if abs(attributed.get(key, Decimal(0)) - amount) >= Decimal("0.01")
    }
    extra = {
        key: amount
        for key, amount in attributed.items()
        if key not in expected and abs(amount) >= Decimal("0.01")
    }
    assert off == {}
    assert extra == {}


def test_every_configuration_file_a_header_alone_lists_what_it_cannot_map(tmp_path):
    """Every file a header alone but billing_policy.csv (without which no request has a
    billing period: see the next test): the build passes and what no mapping covers is
    listed as exceptions (unmapped telemetry, missing owners)."""
    config = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, config)
    for path in config.glob("*.csv"):
        if path.name != "billing_policy.csv":
            header_only(path)
    db = build_with_config(tmp_path, config)
    with duckdb.connect(str(db), read_only=True) as con:
        kinds = dict(con.execute("select kind, count(*) from fct_exceptions group by 1").fetchall())
        requests = con.execute("select count(*) from fct_request_costs").fetchone()[0]
    assert kinds.get("unmapped_telemetry", 0) > 0 and kinds.get("missing_owner", 0) > 0
    assert requests > 0


def run_config_models(tmp_path, config):
    return run_dbt(
        ["run", "--select", "path:models/staging/config"],
        raw_dir=DEMO_RAW,
        db=tmp_path / "ci.duckdb",
        close_dir=tmp_path / "close_records",
        config_dir=config,
    )


def test_a_value_that_does_not_parse_names_file_line_and_column(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, config)
    path = config / "owner_mappings.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("9999-12-31", "2026-13-45", 1)
    path.write_text("".join(lines))
    result = run_config_models(tmp_path, config)
    assert result.returncode != 0
    assert f"Configuration file {path} has values that do not parse" in result.stdout
    assert "line 3, column valid_to: 2026-13-45 is not a date" in result.stdout


def test_a_missing_column_is_named(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, config)
    path = config / "model_aliases.csv"
    rows = [line.split(",") for line in path.read_text().splitlines()]
    note = rows[0].index("note")
    path.write_text("\n".join(",".join(r[:note] + r[note + 1 :]) for r in rows) + "\n")
    result = run_config_models(tmp_path, config)
    assert result.returncode != 0
    assert f"Configuration file {path} has no column note" in result.stdout


def test_a_billed_currency_without_an_fx_rate_stops_the_build_naming_it(tmp_path):
    """A GBP fee in a month fx_rates.csv has no GBP rate for: the build stops naming the
    provider, the period, the currency and the row to add."""
    raw = tmp_path / "raw"
    shutil.copytree(DEMO_RAW, raw)
    with open(raw / "invoices" / "openai_invoices.csv", "a") as invoices:
        invoices.write(
            "INV-OAI-202609-GBP,openai,org-demo01,2026-09-30,2026-09,INV-OAI-202609-GBP-001,"
            "fee,Support fee billed in pounds,,,,,12.50,GBP,\r\n"
        )
    result = run_dbt(
        [
            "build",
            "--select",
            "+assert_billed_currencies_have_fx_rates",
            "--exclude-resource-type",
            "unit_test",
        ],
        raw_dir=raw,
        db=tmp_path / "ci.duckdb",
        close_dir=tmp_path / "close_records",
    )
    assert result.returncode != 0
    output = " ".join(result.stdout.split())
    assert (
        "openai billed 1 lines in GBP in 2026-09 (12.50" in output
        and "fx_rates.csv has no rate for GBP in 2026-09: add the row 2026-09,GBP," in output
    ), output[-3000:]


def test_a_provider_without_a_billing_account_stops_the_build_naming_it(tmp_path):
    """The request log names aws_bedrock and billing_policy.csv has no Bedrock account (as
    LiteLLM's custom_llm_provider azure in an organization without Azure): the build stops
    naming the provider, its requests and files, and the row to add."""
    config = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, config)
    policy = config / "billing_policy.csv"
    policy.write_text(
        "".join(
            line
            for line in policy.read_text().splitlines(keepends=True)
            if not line.startswith("aws_bedrock,")
        )
    )
    result = run_dbt(
        [
            "build",
            "--select",
            "+assert_telemetry_providers_have_billing_accounts",
            "--exclude-resource-type",
            "unit_test",
        ],
        raw_dir=DEMO_RAW,
        db=tmp_path / "ci.duckdb",
        close_dir=tmp_path / "close_records",
        config_dir=config,
    )
    assert result.returncode != 0
    output = " ".join(result.stdout.split())
    assert (
        "gateway_mappings.csv name provider aws_bedrock (" in output
        and "billing_policy.csv has no billing account for it: add the row aws_bedrock," in output
    ), output[-3000:]
