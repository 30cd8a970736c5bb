"""`recon check` on the demo's October (the CI build, ci_build): one line per finding from
the marts, the capture drop the demo has (OpenAI, 1 October: the gateway's clock runs
behind, so the first minutes of the month are logged on 30 September), JSON for an
alerting tool, findings new since the last run, and the exit code config/check.yml sets."""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest
import yaml
from helpers import ROOT

from ai_spend_recon import check

PERIOD = "2026-10"


def run(capsys, db, state, *more):
    code = check.main(["--db", str(db), "--period", PERIOD, "--state", str(state), *more])
    return code, capsys.readouterr().out


def vars_of_project():
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]


def test_the_capture_drops_are_the_days_telemetry_missed_half_the_bill(ci_build):
    """Each capture_drop finding is a day whose observed / billed is under the threshold
    (recomputed here from the mart's two amounts), and every other day of the month that
    billed at least the minimum is not; the demo's one such day is OpenAI's 1 October."""
    variables = vars_of_project()
    alert_pct, min_billed = variables["capture_alert_pct"], variables["capture_min_billed_usd"]
    with duckdb.connect(str(ci_build), read_only=True) as con:
        findings = check.collect(con, PERIOD)
        days = con.execute(
            "select provider, cast(usage_date as varchar), billed_usd, observed_usd"
            " from fct_daily_capture where billing_period = ?",
            [PERIOD],
        ).fetchall()
    expected = {
        (provider, day)
        for provider, day, billed, observed in days
        if billed >= Decimal(str(min_billed)) and observed * 100 / billed < alert_pct
    }
    drops = {(f.provider, f.subject) for f in findings if f.kind == "capture_drop"}
    assert drops == expected
    assert ("openai", "2026-10-01") in drops
    drop = next(f for f in findings if f.kind == "capture_drop")
    billed, observed = next((b, o) for p, d, b, o in days if (p, d) == ("openai", "2026-10-01"))
    assert drop.amount == billed - observed
    assert drop.line().startswith("2026-10  openai")
    assert "capture_drop: 2026-10-01" in drop.line()


def test_month_to_date_per_provider_is_the_sum_of_its_days(ci_build):
    with duckdb.connect(str(ci_build), read_only=True) as con:
        findings = check.collect(con, PERIOD)
        sums = dict(
            con.execute(
                "select provider, sum(billed_usd) from fct_daily_capture"
                " where billing_period = ? group by provider",
                [PERIOD],
            ).fetchall()
        )
    month = {f.provider: f.amount for f in findings if f.kind == "month_to_date"}
    assert month == sums
    assert set(month) == {"openai", "anthropic", "aws_bedrock", "azure_openai", "google"}


def test_budgets_prepaid_and_exceptions_come_from_their_marts(ci_build):
    with duckdb.connect(str(ci_build), read_only=True) as con:
        findings = check.collect(con, PERIOD)
        over = con.execute(
            "select team, limit_state from fct_budget_status where billing_period = ?"
            " and limit_state like '%_exceeded'",
            [PERIOD],
        ).fetchall()
        crossed = con.execute(
            "select count(*) from fct_recharge_ledger where billing_period = ?"
            " and is_threshold_crossed",
            [PERIOD],
        ).fetchone()[0]
        exceptions = con.execute(
            "select kind, subject from fct_exceptions where billing_period in (?, 'unknown')"
            " and kind in ('unmapped_telemetry', 'unpriced_model', 'quarantined_row')",
            [PERIOD],
        ).fetchall()
    budget = {
        (f.subject.removeprefix("team "), f.kind) for f in findings if f.kind.startswith("budget")
    }
    assert budget == {(t, "budget_" + s.removesuffix("_exceeded")) for t, s in over}
    assert budget, "the demo's October has teams over their hard limit"
    assert len([f for f in findings if f.kind == "prepaid_under_threshold"]) == crossed == 1
    listed = {(f.kind, f.subject) for f in findings if f.kind in dict(exceptions)}
    assert listed == set(exceptions) and ("unpriced_model", "gpt-5.9-preview") in listed


def test_new_findings_since_the_last_run_and_the_exit_code(ci_build, tmp_path, capsys):
    state = tmp_path / "check_state.json"
    code, first = run(capsys, ci_build, state)
    assert code == 1
    lines = first.splitlines()
    assert any("openai       ALERT new capture_drop: 2026-10-01" in line for line in lines)
    assert lines[-1].startswith("2026-10: ")

    # The next run: nothing is new; `always` kinds still alert, `new` kinds no longer do.
    code, second = run(capsys, ci_build, state, "--json")
    report = json.loads(second)
    assert code == 1 and report["period"] == PERIOD
    assert not any(f["new"] for f in report["findings"])
    alerting = {f["kind"] for f in report["findings"] if f["alert"]}
    assert alerting == {"capture_drop", "budget_hard_limit"}
    assert report["alert_count"] == sum(f["alert"] for f in report["findings"])

    # A finding the previous run did not list is new again (and alerts once).
    saved = json.loads(state.read_text())
    saved["periods"][PERIOD]["keys"] = [
        k for k in saved["periods"][PERIOD]["keys"] if not k.startswith("unpriced_model|")
    ]
    state.write_text(json.dumps(saved))
    _, third = run(capsys, ci_build, state, "--json")
    new = [(f["kind"], f["alert"]) for f in json.loads(third)["findings"] if f["new"]]
    assert new == [("unpriced_model", True)]

    # Nothing alerts when the configuration says never.
    quiet = tmp_path / "quiet.yml"
    quiet.write_text("alert_on:\n  capture_drop: never\n  budget_hard_limit: never\n")
    code, _ = run(capsys, ci_build, state, "--config", str(quiet))
    assert code == 0


def test_a_month_without_figures_and_a_missing_warehouse(ci_build, tmp_path, capsys):
    code = check.main(
        ["--db", str(ci_build), "--period", "2031-01", "--state", str(tmp_path / "s.json")]
    )
    assert code == 0
    assert "no figures in the marts for this month" in capsys.readouterr().out
    assert check.main(["--db", str(tmp_path / "absent.duckdb")]) == 2


def test_a_wrong_alert_mode_or_kind_is_refused(tmp_path):
    config = tmp_path / "check.yml"
    config.write_text("alert_on:\n  capture_drop: sometimes\n")
    with pytest.raises(SystemExit, match="sometimes"):
        check.load_config(config)
    config.write_text("alert_on:\n  capture_drops: always\n")  # a typo never alerts silently
    with pytest.raises(SystemExit, match="no such finding kind: capture_drops"):
        check.load_config(config)


def test_every_kind_reported_is_configured(ci_build):
    with duckdb.connect(str(ci_build), read_only=True) as con:
        reported = {f.kind for f in check.collect(con, PERIOD)}
    assert reported <= set(check.KINDS)
    assert set(check.load_config(check.DEFAULT_CONFIG)) == set(check.KINDS)
