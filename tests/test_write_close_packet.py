"""The close packet: four documents plus a manifest, deterministic, consistent with the marts."""

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
