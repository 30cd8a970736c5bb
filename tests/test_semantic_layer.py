"""The semantic layer answers with the marts' own figures: `mf query` (MetricFlow's CLI, as a
BI developer runs it) on the CI build returns, per month and provider, the billed, observed,
written-off and residual amounts fct_period_summary holds, and per month and team the
chargeback fct_chargeback_ledger posts.

mf reads the semantic manifest from <project root>/target/semantic_manifest.json and
queries the profile's database. The test parses the project for the ci target into a
folder of its own (a project root holding dbt_project.yml and that target/), and points
the profile at a copy of the CI build: the build itself stays read-only for the other
tests."""

import csv
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from helpers import ROOT

BIN = ROOT / ".venv" / "bin"
EXACT = Decimal("1e-8")  # mf returns the decimals as floats: 8 places survive exactly


@pytest.fixture(scope="module")
def mf_env(ci_build, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("semantic")
    project = work / "project"
    project.mkdir()
    shutil.copy(ROOT / "dbt_project.yml", project / "dbt_project.yml")
    db = work / "ci.duckdb"  # same file name: the relations keep resolving to catalog "ci"
    shutil.copy(ci_build, db)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET": "ci",
        "DBT_DUCKDB_PATH": str(db),
        "RECON_CLOSE_DIR": str(work / "close_records"),
    }
    parsed = subprocess.run(
        [str(BIN / "dbt"), "parse", "--target", "ci", "--target-path", str(project / "target")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert parsed.returncode == 0, parsed.stdout[-4000:]
    assert (project / "target" / "semantic_manifest.json").exists()
    return project, env


def mf_query(mf_env, metrics: str, group_by: str, tmp_path: Path) -> list[dict]:
    project, env = mf_env
    out = tmp_path / f"{metrics.replace(',', '_')}.csv"
    done = subprocess.run(
        [str(BIN / "mf"), "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and out.exists(), done.stdout[-4000:] + done.stderr[-4000:]
    with out.open(newline="") as fh:
        return list(csv.DictReader(fh))


def mart_rows(ci_build, sql: str) -> list[tuple]:
    with duckdb.connect(str(ci_build), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_mf_query_returns_the_residual_fct_period_summary_holds(mf_env, ci_build, tmp_path):
    rows = mf_query(
        mf_env,
        "residual,billed,observed,written_off",
        "metric_time__month,period_provider__provider",
        tmp_path,
    )
    summary = {
        (period, provider): figures
        for period, provider, *figures in mart_rows(
            ci_build,
            "select billing_period, provider, residual_usd, billed_usd, observed_usd,"
            " written_off_usd from main.fct_period_summary where provider != 'all'",
        )
    }
    assert summary and len(rows) == len(summary)
    for row in rows:
        key = (row["metric_time__month"][:7], row["period_provider__provider"])
        for metric, expected in zip(
            ("residual", "billed", "observed", "written_off"), summary[key], strict=True
        ):
            assert abs(Decimal(row[metric]) - expected) < EXACT, (key, metric)
    # The demo leaves a residual to explain (else the comparison would prove little).
    assert any(abs(Decimal(row["residual"])) > 1 for row in rows)


def test_mf_query_returns_the_chargeback_by_team_the_ledger_posts(mf_env, ci_build, tmp_path):
    rows = mf_query(mf_env, "chargeback", "metric_time__month,chargeback_line__team", tmp_path)
    posted = {
        (period, team): amount
        for period, team, amount in mart_rows(
            ci_build,
            "select billing_period, team, sum(posted_amount) from main.fct_chargeback_ledger"
            " group by all",
        )
    }
    assert posted and len(rows) == len(posted)
    for row in rows:
        key = (row["metric_time__month"][:7], row["chargeback_line__team"])
        assert abs(Decimal(row["chargeback"]) - posted[key]) < EXACT, key


def test_exposures_name_the_marts_their_code_reads(mf_env):
    """The inbox, the dashboard and the close packet are dbt exposures; each lists exactly
    the marts its code reads (the inbox and the dashboard share app/inbox.py)."""
    project, _ = mf_env
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    exposures = {
        exposure["name"]: {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
        for exposure in manifest["exposures"].values()
    }
    assert set(exposures) == {"reviewer_inbox", "close_dashboard", "close_packet"}

    def marts_read(path: Path) -> set[str]:
        return set(re.findall(r"\b(fct_[a-z_]+)\b", path.read_text())) - {"fct_"}

    app = marts_read(ROOT / "app" / "inbox.py")
    assert exposures["reviewer_inbox"] | exposures["close_dashboard"] == app
    assert exposures["close_packet"] == marts_read(
        ROOT / "src" / "ai_spend_recon" / "close_packet.py"
    )


def test_mf_ratios_divide_the_marts_own_sums(mf_env, ci_build, tmp_path):
    """cost_per_request (fct_daily_request_costs) per month and team, and the cost per 1M
    output tokens (fct_monthly_report) per model: the marts' sums divided, unpriced rows
    never counted as free."""
    per_request = mf_query(
        mf_env, "cost_per_request", "metric_time__month,daily_request_cost__team", tmp_path
    )
    expected = {
        (period, team): cost / count
        for period, team, cost, count in mart_rows(
            ci_build,
            "select strftime(requested_date, '%Y-%m'), team, sum(cost_usd),"
            " sum(priced_request_count) from main.fct_daily_request_costs group by all"
            " having sum(priced_request_count) > 0",
        )
    }
    assert expected and len([r for r in per_request if r["cost_per_request"]]) == len(expected)
    for row in per_request:
        if row["cost_per_request"]:
            key = (row["metric_time__month"][:7], row["daily_request_cost__team"])
            assert abs(Decimal(row["cost_per_request"]) - expected[key]) < EXACT, key
    per_token = mf_query(
        mf_env, "cost_per_million_output_tokens", "monthly_report_line__model", tmp_path
    )
    rates = {
        model: (cost, tokens)
        for model, cost, tokens in mart_rows(
            ci_build,
            "select model, sum(output_cost_usd), sum(output_tokens)"
            " filter (where output_rate_per_million_usd is not null)"
            " from main.fct_monthly_report where line_kind = 'observed_usage' group by all",
        )
    }
    # The billed-minus-observed rows have no model (and no tokens): their group has no rate.
    no_model = [row for row in per_token if row["monthly_report_line__model"] == ""]
    assert [row["cost_per_million_output_tokens"] for row in no_model] == [""]
    per_token = [row for row in per_token if row not in no_model]
    assert {row["monthly_report_line__model"] for row in per_token} == set(rates)
    for row in per_token:
        cost, tokens = rates[row["monthly_report_line__model"]]
        if not tokens:  # an unpriced model, or no output tokens: no rate, never 0
            assert row["cost_per_million_output_tokens"] == "", row
        else:
            expected_rate = cost * 1_000_000 / tokens
            assert abs(Decimal(row["cost_per_million_output_tokens"]) - expected_rate) < EXACT


def test_mf_cost_per_video_second_divides_the_reports_own_sums(mf_env, ci_build, tmp_path):
    """cost_per_video_second (fct_monthly_report) per model: the video seconds' cost over
    the priced seconds; the demo's Sora workflow has a rate, token models have none."""
    per_second = mf_query(mf_env, "cost_per_video_second", "monthly_report_line__model", tmp_path)
    rates = {
        model: cost / seconds
        for model, cost, seconds in mart_rows(
            ci_build,
            "select model, sum(video_cost_usd), sum(video_seconds)"
            " filter (where video_rate_per_second_usd is not null)"
            " from main.fct_monthly_report where line_kind = 'observed_usage'"
            " group by all having sum(video_seconds)"
            " filter (where video_rate_per_second_usd is not null) > 0",
        )
    }
    assert set(rates) == {"sora-2"}
    shown = {
        row["monthly_report_line__model"]: row["cost_per_video_second"]
        for row in per_second
        if row["cost_per_video_second"]
    }
    assert set(shown) == set(rates)
    for model, rate in shown.items():
        assert abs(Decimal(rate) - rates[model]) < EXACT, model
