"""The close packet: its documents plus a manifest, deterministic, consistent with the marts."""

import csv
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ai_spend_recon import close_packet

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "target" / "ci.duckdb"
DEMO_RAW = ROOT / "demo" / "raw"

pytestmark = pytest.mark.usefixtures("ci_build")


@pytest.fixture(scope="module")
def packet(ci_build, tmp_path_factory) -> Path:
    return close_packet.write_packet(DB, tmp_path_factory.mktemp("packets"))


def test_packet_holds_the_four_documents_and_a_manifest_of_their_hashes(packet):
    manifest = json.loads((packet / "manifest.json").read_text())
    assert manifest["period"] == packet.name == "2026-10"  # the latest ended demo month
    assert set(manifest["documents"]) == {
        "provider_cost_export.csv",
        "telemetry_rollup.csv",
        "chargeback_ledger.csv",
        "variance_memo.md",
        "monthly_report_usd.csv",  # the reporting currency is USD: no second copy
    }
    for name, entry in manifest["documents"].items():
        assert hashlib.sha256((packet / name).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["rows"] > 0, name


def test_packet_is_deterministic(packet, tmp_path):
    again = close_packet.write_packet(DB, tmp_path, packet.name)
    assert (again / "manifest.json").read_bytes() == (packet / "manifest.json").read_bytes()


def test_packet_ledger_posts_the_billed_total(packet):
    with (packet / "chargeback_ledger.csv").open() as fh:
        posted = sum(Decimal(row["posted_amount"]) for row in csv.DictReader(fh))
    with duckdb.connect(str(DB), read_only=True) as con:
        billed = con.execute(
            "select sum(round(billed_usd, 2)) from (select provider, sum(billed_usd) as billed_usd"
            " from fct_reconciliation_lines where reconciled_in_period = ? group by provider)",
            [packet.name],
        ).fetchone()[0]
    assert posted == billed


def read_monthly_report(path: Path) -> list[dict]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_monthly_report_sums_to_each_providers_billed_total(packet):
    """The one-format report (domain article 004): per provider its rows, observed usage
    plus the explicit billed-minus-observed rows, add up to what the provider billed in
    fct_period_summary; per team to the team's actual in fct_budget_status."""
    rows = read_monthly_report(packet / "monthly_report_usd.csv")
    with duckdb.connect(str(DB), read_only=True) as con:
        billed = dict(
            con.execute(
                "select provider, billed_usd from fct_period_summary"
                " where billing_period = ? and provider != 'all'",
                [packet.name],
            ).fetchall()
        )
        actuals = dict(
            con.execute(
                "select team, actual_usd from fct_budget_status where billing_period = ?",
                [packet.name],
            ).fetchall()
        )
    totals: dict[str, Decimal] = {}
    team_totals: dict[str, Decimal] = {}
    for row in rows:
        assert row["reporting_month"] == packet.name and row["currency"] == "USD"
        assert row["data_exported_on"] >= "2026-11-01", row  # exported after the month
        amount = Decimal(row["total_amount"])
        totals[row["provider"]] = totals.get(row["provider"], Decimal(0)) + amount
        team_totals[row["team"]] = team_totals.get(row["team"], Decimal(0)) + amount
        assert Decimal(row["team_actual"]) == actuals[row["team"]]
        assert "E" not in row["total_amount"]
    assert set(totals) == set(billed)
    for provider, total in totals.items():
        assert abs(total - billed[provider]) < Decimal("0.005"), provider
    assert team_totals == {team: actual for team, actual in actuals.items() if team in team_totals}
    # The difference is a row of its own, never spread over the usage rows.
    gaps = [row for row in rows if row["line_kind"] == "billed_minus_observed"]
    assert gaps and all(row["model"] == "" and row["request_count"] == "0" for row in gaps)
    observed = sum(Decimal(row["observed_amount"]) for row in rows)
    gap = sum(Decimal(row["billed_minus_observed_amount"]) for row in gaps)
    assert abs(observed + gap - sum(billed.values())) < Decimal("0.005")


def test_monthly_report_rows_show_the_actual_model_rates_and_token_amounts(packet):
    rows = read_monthly_report(packet / "monthly_report_usd.csv")
    usage = [row for row in rows if row["line_kind"] == "observed_usage"]
    # The alias chain resolved: the gateway alias is kept as reported, the row is the model.
    sonnet = [row for row in usage if row["reported_models"] == "claude-sonnet-latest"]
    assert sonnet and all(row["model"].startswith("claude-sonnet-4-") for row in sonnet)
    assert {row["request_type"] for row in usage} >= {"chat", "embeddings"}
    for row in usage:
        parts = ("input", "cached", "cache_write", "output", "video", "per_unit")
        assert Decimal(row["observed_amount"]) == sum(Decimal(row[f"{p}_amount"]) for p in parts)
        for part in ("input", "cached", "cache_write", "output"):
            tokens, rate = int(row[f"{part}_tokens"]), row[f"{part}_rate_per_million"]
            if tokens and rate:  # the amount is the tokens at the row's one rate
                expected = Decimal(tokens) * Decimal(rate) / 1_000_000
                assert abs(Decimal(row[f"{part}_amount"]) - expected) < Decimal("0.000001"), row
    # An unpriced model has no rate and no amount (never 0 per 1M): its billed cost is in
    # its team's billed-minus-observed row.
    unpriced = [row for row in usage if row["model"] == "gpt-5.9-preview"]
    assert unpriced and all(row["input_rate_per_million"] == "" for row in unpriced)
    assert all(row["unpriced_request_count"] == row["request_count"] for row in unpriced)
    with duckdb.connect(str(DB), read_only=True) as con:
        over = con.execute(
            "select team, variance_pct from fct_budget_status"
            " where billing_period = ? and limit_state = 'hard_limit_exceeded'",
            [packet.name],
        ).fetchall()
    assert over, "the demo should exceed a budget"
    comments = {row["team"]: row["team_comment"] for row in rows}
    for team, variance_pct in over:
        assert comments[team].startswith(f"Over budget by {variance_pct:.2f}% (hard limit"), team


def test_the_sora_workflow_is_reported_per_second_and_reconciles_to_what_openai_billed(
    tmp_path,
):
    """The demo's Sora workflow (video generations through LiteLLM until the Videos API shut
    down on 2026-09-24): September's report shows its seconds at the rate per second the
    price book holds, and its reconciliation lines are what OpenAI's cost pages billed, to
    the second and the cent, with no variance (the generator injects none)."""
    september = close_packet.write_packet(DB, tmp_path, "2026-09")
    rows = read_monthly_report(september / "monthly_report_usd.csv")
    video = [row for row in rows if row["request_type"] == "video"]
    assert video and {(r["model"], r["team"], r["workflow"]) for r in video} == {
        ("sora-2", "marketing", "product-videos")
    }
    for row in video:
        seconds, rate = Decimal(row["video_seconds"]), Decimal(row["video_rate_per_second"])
        assert seconds > 0 and rate == Decimal("0.1"), row
        assert Decimal(row["video_amount"]) == seconds * rate, row
        assert Decimal(row["observed_amount"]) == Decimal(row["video_amount"]), row
        assert int(row["input_tokens"]) == int(row["output_tokens"]) == 0
    billed_seconds, billed_usd = Decimal(0), Decimal(0)
    for page in sorted((DEMO_RAW / "openai/costs/pull_2026-11-02").glob("page_*.json")):
        for bucket in json.loads(page.read_text())["data"]:
            for result in bucket["results"]:
                day = bucket["start_time"]
                if result["line_item"].startswith("sora-2,") and 1788220800 <= day < 1790812800:
                    billed_seconds += Decimal(result["quantity"])
                    billed_usd += Decimal(str(result["amount"]["value"]))
    with duckdb.connect(str(DB), read_only=True) as con:
        lines = con.execute(
            "select billed_usd, observed_usd, variance_usd, status from fct_reconciliation_lines"
            " where usage_type = 'video_seconds' and billing_period = '2026-09'"
        ).fetchall()
        observed_seconds = con.execute(
            "select sum(video_seconds) from fct_request_costs"
            " where billing_period = '2026-09' and endpoint_family = 'video'"
        ).fetchone()[0]
    assert lines and all(
        variance == 0 and billed == observed for billed, observed, variance, _ in lines
    )
    assert sum(line[0] for line in lines) == billed_usd > 0
    assert observed_seconds == billed_seconds == sum(Decimal(r["video_seconds"]) for r in video)


def test_memo_states_every_variance_with_its_sentence(packet):
    memo = (packet / "variance_memo.md").read_text()
    assert "Period 2026-10 is not closed." in memo
    assert "**tax_or_fee**: Provider billed $25.00 for tax and fees (openai, 2026-10)" in memo
    assert memo.count("Variance: ") >= 10
    # Where and when, with the evidence (the domain article's memo): the project carrying
    # the amount, the measured clock offset and its window, the keys outside the gateway,
    # the contract tier crossed; a category with nothing to explain is left out. (The memo
    # escapes warehouse text as Markdown.)
    for sentence in (
        "Provider billed $0.96 for usage in the clock-skew window at the period edges on"
        " proj_support (openai, 2026-10); internal record shows $0.00",
        "(litellm clock measured 20 minutes behind the provider's: calls in the first 20"
        " minutes of a month UTC were logged in the month before)",
        "(keys no telemetry named: key_orphan_legacy, key_support_script)",
        "on bedrock-dataplat (aws_bedrock, 2026-10)",
        "(above 20,000,000 input_uncached per month, 10% off)",
    ):
        assert close_packet.markdown_text(sentence) in memo
    assert "Variance: $0.00" not in memo and "Nothing to explain" not in memo


def dollars(text):
    return Decimal(text.replace("$", "").replace(",", ""))


def test_every_memo_sentence_can_be_checked_with_a_calculator(packet):
    """What each side said for the category, minus the other, is the variance stated."""
    memo = (packet / "variance_memo.md").read_text()
    sentence = re.compile(
        r"Provider billed (-?\$[\d,]+\.\d\d) for .*?; internal record shows"
        r" (-?\$[\d,]+\.\d\d) because .* Variance: (-?\$[\d,]+\.\d\d)\."
    )
    checked = 0
    for line in memo.splitlines():
        if "Variance: " not in line:
            continue
        billed, observed, variance = (dollars(x) for x in sentence.search(line).groups())
        assert billed - observed == variance, line
        checked += 1
    assert checked >= 10


def test_the_period_to_close_is_the_latest_ended_one_never_the_current_head():
    con = duckdb.connect()
    con.execute(
        "create table fct_period_summary as select * from (values"
        " ('all', '2026-09', 10.0), ('all', '2026-10', 10.0), ('openai', '2026-10', 10.0),"
        " ('all', strftime(current_date, '%Y-%m'), 5.0), ('all', '2099-01', 1.0))"
        " as t(provider, billing_period, billed_usd)"
    )
    assert close_packet.period_to_close(con) == "2026-10"


def test_text_cells_cannot_run_as_spreadsheet_formulas(tmp_path):
    con = duckdb.connect()
    cursor = con.execute(
        "select * from (values ('=HYPERLINK(\"http://x\")', -5.25, '@SUM(A1)'),"
        " ('+1', 3.0, 'plain'), ('-2+3', 0.0, 'a=b')) as t(note, amount, other)"
    )
    path = tmp_path / "out.csv"
    assert close_packet.write_csv(path, cursor) == 3
    rows = list(csv.reader(path.open()))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "-5.25", "'@SUM(A1)"]
    assert rows[2] == ["'+1", "3.00", "plain"]
    assert rows[3] == ["'-2+3", "0.00", "a=b"]


def test_memo_text_is_literal_markdown():
    text = close_packet.markdown_text("x | y **bold** [link](http://x)\n# title <b>")
    assert text == "x \\| y \\*\\*bold\\*\\* \\[link\\](http://x) \\# title \\<b\\>"
