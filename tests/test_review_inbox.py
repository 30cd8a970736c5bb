"""The reviewer inbox (app/inbox.py) on a demo warehouse of its own, through Streamlit's
AppTest: each action writes a decision record in the documented format, rebuilds what
depends on decisions and re-renders the row and the period summary with the mart's new
figures; a write-off without a note is refused; two reviewers acting at once lose nothing;
a closed period is read-only; no data, a failed rebuild and a busy database each say so.

The warehouse is set up once (the CI build of the demo landing zone, with copies of that
landing zone and its close records; the marts published) and restored before each test, at
the same paths, so each test starts from the demo as `make demo` leaves it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from helpers import CI_CLOSE_RECORDS, DBT, DEMO_RAW, PYTHON, ROOT
from streamlit.testing.v1 import AppTest

from ai_spend_recon.publish import publish
from ai_spend_recon.review_actions import Settings

APP = str(ROOT / "app" / "inbox.py")
REVIEWER = "mia.chen@example.com"
DECISION_HEADER = "decision_id,period,provider,line_key,action,note,actor,decided_at"


class Warehouse:
    def __init__(self, root: Path):
        self.root = root
        self.raw = root / "raw"
        self.db = root / "ci.duckdb"  # the CI build's file name: its views name catalog "ci"
        self.close = root / "close_records"
        self.marts = root / "marts.duckdb"
        self.packets = root / "close_packets"

    def env(self) -> dict[str, str]:
        """The app's environment on this warehouse."""
        return {
            "RECON_RAW_DIR": str(self.raw),
            "DBT_DUCKDB_PATH": str(self.db),
            "RECON_CLOSE_DIR": str(self.close),
            "RECON_MARTS_DB": str(self.marts),
            "RECON_PACKET_DIR": str(self.packets),
        }

    def lines(self, where: str, params: list | None = None) -> list[tuple]:
        """(reconciliation_line_id, status, reconciled_in_period) of the published lines."""
        with duckdb.connect(str(self.marts), read_only=True) as con:
            return con.execute(
                "select reconciliation_line_id, status, reconciled_in_period"
                f" from fct_reconciliation_lines where {where} order by 1",
                params or [],
            ).fetchall()

    def summary(self, period: str) -> tuple:
        """Published written-off and residual amounts of a period (all providers), to the cent."""
        with duckdb.connect(str(self.marts), read_only=True) as con:
            return con.execute(
                "select round(written_off_usd, 2), round(residual_usd, 2) from fct_period_summary"
                " where billing_period = ? and provider = 'all'",
                [period],
            ).fetchone()

    def summary_within_tolerance(self, period: str) -> bool:
        with duckdb.connect(str(self.marts), read_only=True) as con:
            return con.execute(
                "select is_within_tolerance from fct_period_summary"
                " where billing_period = ? and provider = 'all'",
                [period],
            ).fetchone()[0]

    def decision_files(self) -> list[Path]:
        return sorted((self.raw / "decisions").glob("inbox-*.csv"))


@pytest.fixture(scope="module")
def built(ci_build, tmp_path_factory) -> tuple[Warehouse, Path]:
    """The demo warehouse set up once in work/, kept pristine in pristine/. The CI build is
    the full build of the demo landing zone from an empty database (what this module once
    built for itself): it is copied with that landing zone and the close records it wrote,
    the copy of the landing zone is loaded into it (its raw tables then name the copy's
    files, as the app's own loads will), and the marts are published. The project is parsed
    for the app's rebuilds (dbt's partial-parse state in their target folder, at the same
    paths), as the app's first rebuild would do, so that each test's first rebuild does not
    parse it again."""
    base = tmp_path_factory.mktemp("inbox")
    work = Warehouse(base / "work")
    shutil.copytree(DEMO_RAW, work.raw)
    shutil.copy(ci_build, work.db)
    shutil.copytree(CI_CLOSE_RECORDS, work.close)
    env = {**os.environ, **work.env(), "DBT_PROFILES_DIR": str(ROOT)}
    for step in (
        [str(PYTHON), "-m", "ai_spend_recon.load"],
        [str(DBT), "parse", "--target", "dev", "--target-path", str(rebuild_target_dir(work))],
    ):
        done = subprocess.run(step, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    publish(work.db, work.marts)
    pristine = base / "pristine"
    shutil.copytree(work.root, pristine)
    return work, pristine


def rebuild_target_dir(work: Warehouse) -> Path:
    """The dbt target folder of the app's rebuilds on this warehouse."""
    return Settings(ROOT, work.raw, work.db, work.marts, work.packets).rebuild_target_dir


@pytest.fixture
def warehouse(built, monkeypatch) -> Warehouse:
    """The demo warehouse as `make demo` leaves it, and the app's environment on it."""
    work, pristine = built
    shutil.rmtree(work.root)
    shutil.copytree(pristine, work.root)
    for name, value in work.env().items():
        monkeypatch.setenv(name, value)
    return work


def open_app() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    return app


def act(app: AppTest, line_ids: list[str], action: str, note: str = "") -> AppTest:
    """What a reviewer does: names themself, picks lines, writes a note, clicks the action."""
    app.sidebar.text_input(key="reviewer").input(REVIEWER)
    selected = app.multiselect(key="selected_lines")
    for line_id in line_ids:
        selected.select(line_id)
    app.text_area(key="note").input(note)
    app.run()
    app.button(key=f"action_{action}").click()
    app.run()
    assert not app.exception, app.exception
    return app


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label.startswith(label))


def test_the_inbox_opens_on_the_open_period_filtered_to_unreconciled(warehouse):
    app = open_app()
    assert app.selectbox(key="period").value == "2026-10"
    assert app.pills(key="statuses").value == ["unreconciled"]
    unreconciled = warehouse.lines("billing_period = '2026-10' and status = 'unreconciled'")
    options = app.multiselect(key="selected_lines").options  # one label per line
    assert len(options) == len(unreconciled) and all("unreconciled" in o for o in options)
    written_off, residual = warehouse.summary("2026-10")
    assert metric(app, "Residual") == f"${residual:,.2f}"
    assert metric(app, "Written off") == f"${written_off:,.2f}"


def test_a_write_off_without_a_note_is_refused_and_records_nothing(warehouse):
    fee = warehouse.lines("billing_period = '2026-10' and line_type = 'fee'")[0][0]
    app = act(open_app(), [fee], "WRITE_OFF", note="   ")
    assert any("A write-off needs a note" in e.value for e in app.error)
    assert warehouse.decision_files() == []
    assert warehouse.lines("reconciliation_line_id = ?", [fee])[0][1] == "unreconciled"


def test_a_write_off_with_a_note_is_recorded_rebuilt_and_shown(warehouse):
    fee = warehouse.lines("billing_period = '2026-10' and line_type = 'fee'")[0][0]
    written_off, residual = warehouse.summary("2026-10")
    app = act(open_app(), [fee], "WRITE_OFF", note="Monthly platform fee, not usage")

    assert any("Write off: 1 line(s) recorded" in s.value for s in app.success), app.success
    [record] = warehouse.decision_files()
    text = record.read_text()
    assert text.splitlines()[0] == DECISION_HEADER
    [row] = list(csv.DictReader(text.splitlines()))
    assert (row["period"], row["provider"], row["line_key"], row["action"]) == (
        "2026-10",
        "openai",
        fee,
        "WRITE_OFF",
    )
    assert (row["note"], row["actor"]) == ("Monthly platform fee, not usage", REVIEWER)

    assert warehouse.lines("reconciliation_line_id = ?", [fee])[0][1] == "written_off"
    new_written_off, new_residual = warehouse.summary("2026-10")
    assert new_written_off == written_off + 25 and new_residual == residual - 25
    assert metric(app, "Residual") == f"${new_residual:,.2f}"
    assert metric(app, "Written off") == f"${new_written_off:,.2f}"
    assert not any(" fee " in o for o in app.multiselect(key="selected_lines").options)
    memo = (warehouse.packets / "2026-10" / "variance_memo.md").read_text()
    assert f"| ${new_written_off:,.2f} | $0.00 | ${new_residual:,.2f} |" in memo  # rewritten


def test_confirm_defer_and_reopen_each_change_the_line(warehouse):
    suggested = warehouse.lines("billing_period = '2026-10' and status = 'suggested'")
    confirm_id, defer_id = suggested[0][0], suggested[1][0]
    app = open_app()
    app.pills(key="statuses").set_value(["suggested"]).run()

    act(app, [confirm_id], "CONFIRM")
    assert warehouse.lines("reconciliation_line_id = ?", [confirm_id])[0][1] == "confirmed"

    act(app, [defer_id], "DEFER")
    assert warehouse.lines("reconciliation_line_id = ?", [defer_id])[0][1:] == (
        "deferred",
        "2026-11",
    )

    app.pills(key="statuses").set_value(["confirmed"]).run()
    act(app, [confirm_id], "REOPEN")
    assert warehouse.lines("reconciliation_line_id = ?", [confirm_id])[0][1] == "suggested"
    actions = [
        row["action"] for f in warehouse.decision_files() for row in csv.DictReader(f.open())
    ]
    assert sorted(actions) == ["CONFIRM", "DEFER", "REOPEN"]


def test_two_reviewers_acting_at_once_lose_nothing(warehouse):
    """Two reviewers, each in an inbox session of their own process, write off a line at
    the same moment: both decision files are written, the rebuilds run one after the
    other, and both lines end written off."""
    fee = warehouse.lines("billing_period = '2026-10' and line_type = 'fee'")[0][0]
    tax = warehouse.lines("billing_period = '2026-10' and line_type = 'tax'")[0][0]
    sessions = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "inbox_session.py"), line_id]
            + [reviewer, "Not usage: fee or tax"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for line_id, reviewer in [(fee, REVIEWER), (tax, "sam.okafor@example.com")]
    ]
    for session in sessions:  # each has loaded the page and filled in the form
        while (line := session.stdout.readline()) != "ready\n":
            assert line, "the session ended before it was ready"
    for session in sessions:  # then both click Write off at once
        session.stdin.write("go\n")
        session.stdin.flush()
    pages = [
        json.loads(session.communicate(timeout=600)[0].splitlines()[-1]) for session in sessions
    ]

    for page in pages:
        assert page["exception"] == [] and page["error"] == [], page
        assert any(
            "Write off: 1 line(s) recorded" in s and "rebuilt in" in s for s in page["success"]
        )
    records = [row for f in warehouse.decision_files() for row in csv.DictReader(f.open())]
    assert sorted((r["line_key"], r["actor"]) for r in records) == sorted(
        [(fee, REVIEWER), (tax, "sam.okafor@example.com")]
    )
    moments = sorted(datetime.fromisoformat(r["decided_at"]) for r in records)
    assert (moments[1] - moments[0]).total_seconds() < 5  # acted at once, not in turn
    statuses = {line_id: status for line_id, status, _ in warehouse.lines("true")}
    assert statuses[fee] == statuses[tax] == "written_off"


def test_clearing_the_october_queue_reaches_tolerance(warehouse):
    """The README's walk-through: write off the unreconciled lines with a note, write off
    the contract-discount and billable-failure lines the evidence explains, confirm the
    rest; the queue is cleared and every provider's residual is within tolerance."""
    assert not warehouse.summary_within_tolerance("2026-10")
    app = open_app()
    app.button(key="select_all").click().run()
    act(app, [], "WRITE_OFF", note="Fees, tax, rounding and cache reads: not usage or explained")
    assert any("queue is cleared" in s.value for s in app.success)

    app.pills(key="statuses").set_value(["suggested"]).run()
    explained = warehouse.lines(
        "billing_period = '2026-10' and status = 'suggested'"
        " and variance_category in ('tier_breakpoint', 'failed_request_billing')"
    )
    act(
        app,
        [line_id for line_id, *_ in explained],
        "WRITE_OFF",
        note="Contract tier; billable streams",
    )
    app.pills(key="statuses").set_value(["suggested", "auto_matched"]).run()
    app.button(key="select_all").click().run()
    act(app, [], "CONFIRM")

    assert warehouse.summary_within_tolerance("2026-10")
    assert metric(app, "Tolerance") == "within"
    open_lines = warehouse.lines(
        "billing_period = '2026-10' and status in ('unreconciled', 'suggested')"
    )
    assert open_lines == []


CREDIT_HEADER = (
    "invoice_id,provider,billing_account_id,invoice_date,billing_period,line_id,line_type,"
    "description,project_id,model,quantity,unit,amount,currency,corrects_period"
)


def exact_residual(warehouse: Warehouse, period: str):
    with duckdb.connect(str(warehouse.marts), read_only=True) as con:
        return con.execute(
            "select residual_usd from fct_period_summary"
            " where billing_period = ? and provider = 'all'",
            [period],
        ).fetchone()[0]


def test_a_disputed_line_travels_to_the_memo_and_back_when_the_credit_lands(warehouse):
    """A reviewer disputes October's OpenAI cache-read line (cached tokens charged twice):
    refused without a note; with one, the line is disputed, held apart from the residual
    as a claim with its evidence, and the memo says so. Then OpenAI's November invoice
    lands with a credit of the claimed amount: after the daily build the claim is settled
    by that credit, in the claims table, the period summary and both periods' memo."""
    [(line_id, *_)] = warehouse.lines(
        "billing_period = '2026-10' and provider = 'openai' and usage_type = 'cache_read'"
        " and line_type = 'usage' and status = 'unreconciled'"
    )
    app = act(open_app(), [line_id], "DISPUTE", note=" ")
    assert any("A dispute needs a note" in e.value for e in app.error)
    assert warehouse.decision_files() == []

    residual_before = exact_residual(warehouse, "2026-10")
    app = act(open_app(), [line_id], "DISPUTE", note="Cached tokens charged twice")
    assert any("Dispute: 1 line(s) recorded" in s.value for s in app.success), app.success
    assert warehouse.lines("reconciliation_line_id = ?", [line_id])[0][1] == "disputed"
    with duckdb.connect(str(warehouse.marts), read_only=True) as con:
        claimed, quantity, rate, status = con.execute(
            "select claimed_usd, provider_quantity, provider_unit_rate, claim_status"
            " from fct_provider_claims where claim_line_id = ?",
            [line_id],
        ).fetchone()
        disputed = con.execute(
            "select disputed_usd from fct_period_summary"
            " where billing_period = '2026-10' and provider = 'all'"
        ).fetchone()[0]
    assert status == "open" and claimed > 0 and quantity > 0 and rate > 0
    assert disputed == claimed
    assert exact_residual(warehouse, "2026-10") == residual_before - claimed
    assert metric(app, "Disputed") == f"${claimed:,.2f}"
    claims_table = next(df.value for df in app.dataframe if "claimed_usd" in df.value.columns)
    assert list(claims_table.claim_status) == ["open"]
    memo = (warehouse.packets / "2026-10" / "variance_memo.md").read_text()
    assert "held as a claim against the provider (open, no credit yet)" in memo
    assert "Claims against providers" in memo and "Cached tokens charged twice" in memo

    credit = round(claimed, 2)
    (warehouse.raw / "invoices" / "openai_2026-11.csv").write_text(
        CREDIT_HEADER + "\nINV-OAI-202611,openai,org-demo01,2026-11-28,2026-11,"
        f"INV-OAI-202611-001,credit,Credit: cached tokens billed twice in October,,,,,"
        f"-{credit},USD,\n"
    )
    env = {**os.environ, **warehouse.env(), "DBT_PROFILES_DIR": str(ROOT)}
    for step in (
        [str(PYTHON), "-m", "ai_spend_recon.load"],
        [
            str(DBT),
            "build",
            "--target",
            "dev",
            # the daily build's models; its data tests are the CI build's
            "--exclude-resource-type",
            "unit_test",
            "test",
            "--target-path",
            str(rebuild_target_dir(warehouse)),
        ],
    ):
        done = subprocess.run(step, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    publish(warehouse.db, warehouse.marts)

    with duckdb.connect(str(warehouse.marts), read_only=True) as con:
        status, credit_period, credit_usd = con.execute(
            "select claim_status, credit_period, credit_usd from fct_provider_claims"
            " where claim_line_id = ?",
            [line_id],
        ).fetchone()
        november = con.execute(
            "select disputed_usd, residual_usd from fct_period_summary"
            " where billing_period = '2026-11' and provider = 'openai'"
        ).fetchone()
        memo_lines = dict(
            con.execute(
                "select billing_period, memo_line from fct_variances where provider = 'openai'"
                " and variance_category in ('cache_pricing', 'credit_or_promo')"
                " and billing_period in ('2026-10', '2026-11')"
            ).fetchall()
        )
    assert (status, credit_period, credit_usd) == ("settled", "2026-11", -credit)
    assert november == (-credit, 0)  # the credit settles the claim: no new difference
    assert (
        "held as a claim against the provider (settled by a provider credit)"
        in (memo_lines["2026-10"])
    )
    assert "settles a claim against the provider" in memo_lines["2026-11"]
    app = open_app()
    claims_table = next(df.value for df in app.dataframe if "claimed_usd" in df.value.columns)
    assert list(claims_table.claim_status) == ["settled"]


def test_telemetry_landed_since_the_last_build_does_not_block_a_decision(warehouse):
    """A day of telemetry lands after the build; a reviewer acts before the next build.
    The rebuild reads only decisions (the new day waits for the daily build), so the
    landing zone's conservation balance is left to that build and the action goes through."""
    litellm = warehouse.raw / "telemetry" / "litellm"
    newest = sorted(litellm.glob("*.csv"))[-1]
    shutil.copy(newest, litellm / newest.name.replace("2026", "2027"))
    tax = warehouse.lines("billing_period = '2026-10' and line_type = 'tax'")[0][0]
    app = act(open_app(), [tax], "DEFER")
    assert any("rebuilt in" in s.value for s in app.success), [e.value for e in app.error]
    assert warehouse.lines("reconciliation_line_id = ?", [tax])[0][1] == "deferred"


def test_the_close_dashboard_shows_the_marts_of_the_period(warehouse):
    """Sign-off state, memo lines, exceptions and chargeback on the dashboard are the
    period's rows of their marts."""
    with duckdb.connect(str(warehouse.marts), read_only=True) as con:
        missing = con.execute(
            "select string_agg(signoff_role, ', ' order by signoff_role) from fct_period_signoffs"
            " where billing_period = '2026-10' and not is_signed"
        ).fetchone()[0]
        memo_lines = con.execute(
            "select memo_line from fct_variances where billing_period = '2026-10'"
        ).fetchall()
        counts = {
            mart: con.execute(
                f"select count(*) from {mart} where billing_period = '2026-10'"
                + (" or billing_period is null" if mart == "fct_exceptions" else "")
            ).fetchone()[0]
            for mart in ["fct_exceptions", "fct_chargeback_ledger", "fct_budget_status"]
        }
    app = open_app()
    assert missing and f"Missing sign-off: {missing}" in [w.value for w in app.warning]
    memo = "\n".join(m.value for m in app.markdown).replace("\\", "")
    assert memo_lines and all(line.split(" (")[0] in memo for (line,) in memo_lines)
    shown = [len(frame.value) for frame in app.dataframe]
    assert all(count in shown for count in counts.values()), (counts, shown)


def test_a_signers_name_is_shown_as_text_not_markup(warehouse):
    """A signer's name with HTML or Markdown in it (as a sign-off file may carry it; put in
    the published mart here) is shown literally in the dashboard's warning: no bold, no
    link, no tag."""
    name = "**Eve** <b>x</b> [click](javascript:alert(1))"
    os.chmod(warehouse.marts, 0o644)
    with duckdb.connect(str(warehouse.marts)) as con:
        con.execute(
            "update fct_period_signoffs set signer = ?, is_signer_on_another_role = true"
            " where billing_period = '2026-10' and signoff_role in ("
            " select min(signoff_role) from fct_period_signoffs"
            " where billing_period = '2026-10' union all"
            " select max(signoff_role) from fct_period_signoffs where billing_period = '2026-10')",
            [name],
        )
    app = open_app()
    shown = [w.value for w in app.warning if "signed more than one role" in w.value]
    assert shown == [
        r"\*\*Eve\*\* \<b\>x\</b\> \[click\](javascript:alert(1)) signed more than one"
        " role: the roles need three different people."
    ]


def test_a_closed_period_is_read_only(warehouse):
    app = open_app()
    app.selectbox(key="period").set_value("2026-09").run()
    assert any("2026-09 is closed" in i.value for i in app.info)
    assert not app.multiselect and not [
        b for b in app.button if (b.key or "").startswith("action_")
    ]


def test_no_marts_yet_says_what_to_run(warehouse, monkeypatch):
    monkeypatch.setenv("RECON_MARTS_DB", str(warehouse.root / "absent.duckdb"))
    app = open_app()
    assert any("No data yet" in i.value and "make demo" in i.value for i in app.info)


def test_a_failed_rebuild_shows_dbts_message_and_keeps_the_decision(warehouse, monkeypatch):
    broken = warehouse.root / "not_a_database"
    broken.mkdir()
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(broken))
    fee = warehouse.lines("billing_period = '2026-10' and line_type = 'fee'")[0][0]
    app = act(open_app(), [fee], "WRITE_OFF", note="Monthly platform fee")
    assert any("The last rebuild failed" in e.value for e in app.error)
    assert any(str(broken) in c.value for c in app.code), [c.value for c in app.code]
    assert len(warehouse.decision_files()) == 1  # saved for the next build
    publish(warehouse.db, warehouse.marts)  # a later build publishes again (make demo)
    assert not any("The last rebuild failed" in e.value for e in open_app().error)


def test_a_busy_database_says_so_and_keeps_the_decision(warehouse):
    fee = warehouse.lines("billing_period = '2026-10' and line_type = 'fee'")[0][0]
    app = open_app()
    with duckdb.connect(str(warehouse.db)):  # another writer holds the build database
        act(app, [fee], "WRITE_OFF", note="Monthly platform fee")
    assert any("The warehouse is busy" in w.value for w in app.warning)
    assert len(warehouse.decision_files()) == 1
    assert warehouse.lines("reconciliation_line_id = ?", [fee])[0][1] == "unreconciled"


@pytest.fixture
def served_app(warehouse):
    """`streamlit run app/inbox.py` on a free port, on the test's warehouse."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "streamlit"),
            "run",
            APP,
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_reviewer_writes_off_a_line_in_a_real_browser(warehouse, served_app):
    """Headless Chromium (Debian's chromium and chromium-driver, `make browser`) loads the
    inbox, writes off the October fee with a note, and reads the new status count and
    residual on the page; the screenshot is saved to target/inbox_browser_test.png."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    written_off, residual = warehouse.summary("2026-10")
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    options.add_argument("--window-size=1500,1900")
    driver = webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options
    )
    wait = WebDriverWait(driver, 120)

    def page_text() -> str:
        return driver.find_element(By.TAG_NAME, "body").text

    try:
        driver.get(served_app)
        # The page renders in parts: wait for the period summary at the bottom too.
        wait.until(lambda d: "Close 2026-10" in page_text() and "Residual\n$" in page_text())
        assert "Act on lines" in page_text()
        assert f"Residual\n${residual:,.2f}" in page_text()

        reviewer = driver.find_element(
            By.CSS_SELECTOR, 'input[aria-label="Reviewer (name or email)"]'
        )
        reviewer.send_keys(REVIEWER, Keys.TAB)
        lines = driver.find_element(By.CSS_SELECTOR, '[data-testid="stMultiSelect"] input')
        lines.click()
        # the whole label's start: the filter matches loosely ("· fee ·" also matched other
        # providers' lines, and Enter selected every match)
        lines.send_keys("openai · (none) · (none) · fee ·", Keys.ENTER)
        wait.until(lambda d: "variance $25.00" in page_text())
        note = driver.find_element(By.CSS_SELECTOR, "textarea")
        note.send_keys("Monthly platform fee, not usage", Keys.TAB)
        write_off = wait.until(
            ready.element_to_be_clickable((By.XPATH, "//button[.//p[text()='Write off']]"))
        )
        time.sleep(1)  # let the note's rerun settle before clicking
        write_off.click()
        wait.until(lambda d: "Write off: 1 line(s) recorded" in page_text())

        new_written_off, new_residual = warehouse.summary("2026-10")
        assert new_residual == residual - 25
        text = page_text()
        assert f"Residual\n${new_residual:,.2f}" in text
        assert f"Written off\n${new_written_off:,.2f}" in text
        written_off_lines = warehouse.lines(
            "reconciled_in_period = '2026-10' and status = 'written_off'"
        )
        assert f"written_off {len(written_off_lines)}" in text
        driver.save_screenshot(str(ROOT / "target" / "inbox_browser_test.png"))
    finally:
        driver.quit()
