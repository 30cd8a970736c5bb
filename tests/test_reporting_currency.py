"""The reporting currency is a var: rebuilding the marts in KZT (on a copy of the CI build)
converts every reporting amount at the period's one fixed rate from the FX seed, keeps the
chargeback cent-exact, and leaves every USD figure and budget state unchanged."""

import csv
import shutil
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest
from helpers import CI_DB, DEMO_RAW, ROOT, run_dbt

from ai_spend_recon import close_packet

CENT = Decimal("0.01")

pytestmark = pytest.mark.usefixtures("ci_build")


def kzt_rates() -> dict[str, Decimal]:
    with open(ROOT / "config" / "demo" / "fx_rates.csv", newline="") as seed:
        return {
            row["period"]: Decimal(row["units_per_usd"])
            for row in csv.DictReader(seed)
            if row["currency_code"] == "KZT"
        }


def query(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def kzt_db(ci_build, tmp_path_factory):
    work = tmp_path_factory.mktemp("kzt")
    db = work / "ci.duckdb"  # same file name: the views keep resolving to catalog "ci"
    shutil.copy(CI_DB, db)
    result = run_dbt(
        [
            "build",
            "--select",
            "int_fx_rates_reporting_currency+",
            "--vars",
            "{reporting_currency: KZT}",
        ],
        raw_dir=DEMO_RAW,
        db=db,
        close_dir=work / "close_records",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return db


def test_period_summary_converts_once_at_the_period_rate(kzt_db):
    rates = kzt_rates()
    usd = {
        (period, provider): billed
        for period, provider, billed in query(
            CI_DB, "select billing_period, provider, billed_usd from main.fct_period_summary"
        )
    }
    kzt = query(
        kzt_db,
        "select billing_period, provider, reporting_currency, billed_usd, billed_reporting"
        " from main.fct_period_summary",
    )
    assert len(kzt) == len(usd) > 0
    for period, provider, currency, billed_usd, billed_reporting in kzt:
        assert currency == "KZT"
        assert billed_usd == usd[(period, provider)]
        expected = (billed_usd * rates[period]).quantize(CENT, rounding=ROUND_HALF_UP)
        assert billed_reporting == expected, (period, provider)


def test_chargeback_posts_the_kzt_billed_total_to_the_cent(kzt_db):
    summary = dict(
        ((period, provider), billed)
        for period, provider, billed in query(
            kzt_db,
            "select billing_period, provider, billed_reporting from main.fct_period_summary"
            " where provider != 'all'",
        )
    )
    posted = query(
        kzt_db,
        "select billing_period, provider, sum(posted_amount), bool_and(reporting_currency = 'KZT')"
        " from main.fct_chargeback_ledger group by all",
    )
    assert posted
    for period, provider, amount, all_kzt in posted:
        assert all_kzt
        assert amount == summary[(period, provider)], (period, provider)


def test_request_costs_convert_exactly(kzt_db):
    rates = kzt_rates()
    rows = query(
        kzt_db,
        "select billing_period, cost_usd, cost_reporting from main.fct_request_costs"
        " where cost_usd is not null using sample 500 rows (reservoir, 7)",
    )
    assert rows
    for period, cost_usd, cost_reporting in rows:
        assert cost_reporting == (cost_usd * rates[period]).quantize(
            Decimal("1e-10"), ROUND_HALF_UP
        )


def test_budget_states_do_not_depend_on_the_reporting_currency(kzt_db):
    sql = (
        "select billing_period, team, limit_state, budget_amount from main.fct_budget_status"
        " order by billing_period, team"
    )
    usd, kzt = query(CI_DB, sql), query(kzt_db, sql)
    assert [row[:3] for row in kzt] == [row[:3] for row in usd]
    assert any(row[2] != "within_budget" for row in usd), "demo should exceed a budget"
    rates = kzt_rates()
    for (period, _, _, budget_usd), (_, _, _, budget_kzt) in zip(usd, kzt, strict=True):
        if budget_usd is not None:
            assert budget_kzt == (budget_usd * rates[period]).quantize(CENT, ROUND_HALF_UP)


def csv_totals(path, column="total_amount") -> tuple[dict[str, Decimal], set[str]]:
    totals: dict[str, Decimal] = {}
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        totals[row["provider"]] = totals.get(row["provider"], Decimal(0)) + Decimal(row[column])
    return totals, {row["currency"] for row in rows}


def test_the_monthly_report_sums_to_the_billed_total_in_kzt_and_in_usd(kzt_db, tmp_path):
    """One mart, two currencies: the close packet's monthly report in KZT (the reporting
    currency, to the cent) and in USD, each summing per provider to fct_period_summary."""
    folder = close_packet.write_packet(kzt_db, tmp_path, "2026-10")
    summary = {
        provider: (billed_usd, billed_reporting)
        for provider, billed_usd, billed_reporting in query(
            kzt_db,
            "select provider, billed_usd, billed_reporting from main.fct_period_summary"
            " where billing_period = '2026-10' and provider != 'all'",
        )
    }
    kzt, kzt_currencies = csv_totals(folder / "monthly_report_kzt.csv")
    usd, usd_currencies = csv_totals(folder / "monthly_report_usd.csv")
    assert kzt_currencies == {"KZT"} and usd_currencies == {"USD"}
    assert set(kzt) == set(usd) == set(summary)
    for provider, (billed_usd, billed_kzt) in summary.items():
        assert kzt[provider] == billed_kzt, provider
        assert abs(usd[provider] - billed_usd) < CENT / 2, provider
    # The same rows in both, the KZT rate the USD one at the period's rate.
    rate = kzt_rates()["2026-10"]
    with (
        (folder / "monthly_report_usd.csv").open(newline="") as u,
        (folder / "monthly_report_kzt.csv").open(newline="") as k,
    ):
        pairs = list(zip(csv.DictReader(u), csv.DictReader(k), strict=True))
    for usd_row, kzt_row in pairs:
        assert usd_row["model"] == kzt_row["model"] and usd_row["team"] == kzt_row["team"]
        if usd_row["output_rate_per_million"]:
            usd_rate = Decimal(usd_row["output_rate_per_million"])
            assert Decimal(kzt_row["output_rate_per_million"]) == (usd_rate * rate).quantize(
                Decimal("0.000001")
            )
