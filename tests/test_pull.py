"""`recon pull` against a local HTTP server that replays documented responses (OpenAI
organization Costs and Usage APIs, Anthropic's cost and usage reports): pages, a 429 with
Retry-After, a 500, connections cut mid-body, an empty day, a changed earlier day. The landing
zone it writes is read by the load (no dbt); nothing here leaves the machine (the base URLs
point at 127.0.0.1 and a guard refuses any other address)."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from helpers import ROOT

from ai_spend_recon import pull
from ai_spend_recon.load import load_duckdb

OPENAI_KEY = "sk-admin-TESTKEYopenai0123456789abcdefABCDEF"
ANTHROPIC_KEY = "sk-ant-admin01-TESTKEYanthropic0123456789abcdef"
DAY = 86400
NOV_1 = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())


@pytest.fixture(autouse=True)
def _no_address_but_localhost(monkeypatch):
    """Nothing in this file may connect anywhere but this machine."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"refused: {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


# -- documented response bodies (shapes: README, "Every day: pull, load, build, check") ---


def openai_page(buckets, next_page):
    return {
        "object": "page",
        "data": buckets,
        "has_more": next_page is not None,
        "next_page": next_page,
    }


def openai_cost_bucket(start, amount, line_item="gpt-4.1-2025-04-14, input"):
    return {
        "object": "bucket",
        "start_time": start,
        "end_time": start + DAY,
        "results": [
            {
                "object": "organization.costs.result",
                "amount": {"value": amount, "currency": "usd"},
                "line_item": line_item,
                "project_id": "proj_Support01",
                "api_key_id": "key_9fQ2",
                "quantity": 6201550,
                "quantity_unit": "tokens",
            }
        ],
    }


def openai_completions_bucket(start):
    return {
        "object": "bucket",
        "start_time": start,
        "end_time": start + DAY,
        "results": [
            {
                "object": "organization.usage.completions.result",
                "input_tokens": 5000,
                "input_cached_tokens": 1800,
                "input_cache_write_tokens": 200,
                "input_uncached_tokens": 3000,
                "input_text_tokens": 2500,
                "input_cached_text_tokens": 1500,
                "input_audio_tokens": 300,
                "input_cached_audio_tokens": 100,
                "input_image_tokens": 200,
                "input_cached_image_tokens": 200,
                "output_tokens": 1000,
                "output_text_tokens": 800,
                "output_audio_tokens": 100,
                "output_image_tokens": 100,
                "num_model_requests": 240,
                "project_id": "proj_Support01",
                "user_id": None,
                "api_key_id": "key_9fQ2",
                "model": "gpt-4.1-2025-04-14",
                "batch": False,
                "service_tier": "default",
            }
        ],
    }


def empty_bucket(start):
    """A day without usage: the bucket is there, its results empty."""
    return {"object": "bucket", "start_time": start, "end_time": start + DAY, "results": []}


def anthropic_day(start):
    day = datetime.fromtimestamp(start, UTC)
    return day.strftime("%Y-%m-%dT%H:%M:%SZ"), datetime.fromtimestamp(start + DAY, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def anthropic_cost_bucket(start, cents="123.60"):
    starting, ending = anthropic_day(start)
    return {
        "starting_at": starting,
        "ending_at": ending,
        "results": [
            {
                "amount": cents,
                "currency": "USD",
                "cost_type": "tokens",
                "token_type": "uncached_input_tokens",
                "description": "Claude Sonnet 4.5 Usage - Input",
                "model": "claude-sonnet-4-5-20250929",
                "service_tier": "standard",
                "context_window": "0-200k",
                "workspace_id": "wrkspc_01Support",
            }
        ],
    }


def anthropic_usage_bucket(start):
    starting, ending = anthropic_day(start)
    return {
        "starting_at": starting,
        "ending_at": ending,
        "results": [
            {
                "api_key_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT",
                "workspace_id": "wrkspc_01Support",
                "model": "claude-sonnet-4-5-20250929",
                "service_tier": "standard",
                "context_window": "0-200k",
                "uncached_input_tokens": 1500,
                "cache_read_input_tokens": 200,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": 100,
                    "ephemeral_1h_input_tokens": 0,
                },
                "output_tokens": 500,
                "server_tool_use": {"web_search_requests": 0},
            }
        ],
    }


def anthropic_page(buckets, next_page):
    return {"data": buckets, "has_more": next_page is not None, "next_page": next_page}


# -- the server -----------------------------------------------------------------------------


class Replay:
    """What the server answers: per (path, page token) a list of steps taken in turn, the
    last one repeated. A step is ("json", body) | ("status", code, headers) | ("cut",)."""

    def __init__(self):
        self.routes: dict[tuple[str, str | None], list] = {}
        self.requests: list[tuple[str, dict, dict]] = []
        self.lock = threading.Lock()

    def add(self, path, page, *steps):
        self.routes[(path, page)] = list(steps)

    def next_step(self, path, page):
        with self.lock:
            steps = self.routes.get((path, page))
            if not steps:
                return ("status", 404, {})
            return steps.pop(0) if len(steps) > 1 else steps[0]


def serve(replay):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            replay.requests.append(
                (url.path, query, {k.lower(): v for k, v in self.headers.items()})
            )
            step = replay.next_step(url.path, (query.get("page") or [None])[0])
            if step[0] == "json":
                body = json.dumps(step[1]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif step[0] == "status":
                body = json.dumps({"error": {"type": "error", "message": "try later"}}).encode()
                self.send_response(step[1])
                for name, value in step[2].items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:  # the connection is cut in the middle of the body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b'{"object": "page", "data": [{"object": "bu')
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server


@pytest.fixture
def replay():
    replay = Replay()
    server = serve(replay)
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield replay
    server.shutdown()
    server.server_close()


def environment(replay):
    return {
        "OPENAI_ADMIN_KEY": OPENAI_KEY,
        "ANTHROPIC_ADMIN_KEY": ANTHROPIC_KEY,
        "RECON_OPENAI_BASE_URL": replay.base_url,
        "RECON_ANTHROPIC_BASE_URL": replay.base_url,
    }


def run(replay, raw, now, attempts=3):
    waits: list[float] = []
    client = pull.Client(attempts=attempts, base_wait=0.5, timeout=5, sleep=waits.append)
    results = pull.run_pulls(
        raw,
        list(pull.PROVIDERS.values()),
        3,
        environ=environment(replay),
        now=now,
        client=client,
        limit=2,
    )
    return {r.endpoint.folder: r for r in results}, waits


def first_pull_replay(replay):
    """Nov 2's run: the window Oct 30 - Nov 1 (three days)."""
    oct_30, oct_31 = NOV_1 - 2 * DAY, NOV_1 - DAY
    costs = "/v1/organization/costs"
    replay.add(costs, None, ("json", openai_page([openai_cost_bucket(oct_30, 12.4031)], "c2")))
    replay.add(
        costs,
        "c2",
        ("status", 429, {"Retry-After": "7"}),
        ("json", openai_page([openai_cost_bucket(oct_31, 1.5)], "c3")),
    )
    replay.add(costs, "c3", ("json", openai_page([openai_cost_bucket(NOV_1, 0.25)], None)))
    replay.add(
        "/v1/organization/usage/completions",
        None,
        ("status", 500, {}),
        (
            "json",
            openai_page([openai_completions_bucket(d) for d in (oct_30, oct_31, NOV_1)], None),
        ),
    )
    for endpoint in (
        "embeddings",
        "moderations",
        "images",
        "audio_speeches",
        "audio_transcriptions",
    ):
        replay.add(
            f"/v1/organization/usage/{endpoint}",
            None,
            ("json", openai_page([empty_bucket(d) for d in (oct_30, oct_31, NOV_1)], None)),
        )
    replay.add(
        "/v1/organizations/cost_report",
        None,
        ("json", anthropic_page([anthropic_cost_bucket(oct_30)], "a2")),
    )
    replay.add(
        "/v1/organizations/cost_report",
        "a2",
        ("cut",),
        (
            "json",
            anthropic_page([anthropic_cost_bucket(oct_31), anthropic_cost_bucket(NOV_1)], None),
        ),
    )
    messages = "/v1/organizations/usage_report/messages"
    replay.add(messages, None, ("json", anthropic_page([anthropic_usage_bucket(oct_30)], "m2")))
    replay.add(messages, "m2", ("cut",))  # never recovers: this pull cannot finish


def load(raw, db):
    load_duckdb(str(db), str(raw), str(ROOT / "config" / "demo"), str(db.parent / "close"))
    return duckdb.connect(str(db), read_only=True)


def test_a_pull_lands_every_page_as_served_and_marks_the_one_it_could_not_finish(
    replay, tmp_path, caplog
):
    raw = tmp_path / "raw"
    first_pull_replay(replay)
    caplog.set_level(logging.DEBUG)
    results, waits = run(replay, raw, datetime(2026, 11, 2, 6, tzinfo=UTC))

    # Pages in order, the bodies exactly as served.
    costs = raw / "openai/costs/pull_2026-11-02"
    assert sorted(p.name for p in costs.iterdir()) == [
        "page_0001.json",
        "page_0002.json",
        "page_0003.json",
    ]
    served = [
        json.dumps(openai_page([openai_cost_bucket(NOV_1 - 2 * DAY, 12.4031)], "c2")),
        json.dumps(openai_page([openai_cost_bucket(NOV_1 - DAY, 1.5)], "c3")),
        json.dumps(openai_page([openai_cost_bucket(NOV_1, 0.25)], None)),
    ]
    assert [(costs / f"page_000{n}.json").read_text() for n in (1, 2, 3)] == served
    assert results["openai/costs"].complete and results["openai/costs"].pages == 3
    # The 429 waited as long as Retry-After said; the 500 and the cut backed off.
    assert 7.0 in waits
    assert results["openai/usage_completions"].complete
    assert results["anthropic/cost_report"].complete
    assert results["openai/usage_embeddings"].complete
    # The cut that never recovered: attempts exhausted, page 1 kept, marked incomplete.
    messages = results["anthropic/usage_messages"]
    assert not messages.complete and messages.pages == 1
    assert "after 3 attempts" in messages.problem
    last = json.loads((raw / "anthropic/usage_messages/pull_2026-11-02/page_0001.json").read_text())
    assert last["has_more"] is True
    # No hidden partial file is left behind.
    assert not [p for p in raw.rglob(".*")]

    # The documented query: the window, daily buckets, the group-bys, the page cursor.
    first_costs = next(q for path, q, _ in replay.requests if path.endswith("/costs"))
    assert first_costs["start_time"] == [str(NOV_1 - 2 * DAY)]
    assert first_costs["end_time"] == [str(NOV_1 + DAY)]
    assert first_costs["bucket_width"] == ["1d"]
    assert first_costs["group_by"] == ["project_id", "line_item", "api_key_id"]
    assert any(q.get("page") == ["c3"] for path, q, _ in replay.requests)
    cost_report = next(q for path, q, _ in replay.requests if path.endswith("/cost_report"))
    assert cost_report["starting_at"] == ["2026-10-30T00:00:00Z"]
    assert cost_report["ending_at"] == ["2026-11-02T00:00:00Z"]
    assert cost_report["group_by[]"] == ["workspace_id", "description", "inference_geo"]
    # The documented headers.
    for path, _, headers in replay.requests:
        if path.startswith("/v1/organization/"):
            assert headers["authorization"] == f"Bearer {OPENAI_KEY}"
        else:
            assert headers["x-api-key"] == ANTHROPIC_KEY
            assert headers["anthropic-version"] == "2023-06-01"

    # The load reads what the pull wrote and quarantines the unfinished pull.
    with load(raw, tmp_path / "load.duckdb") as con:
        amounts = con.execute(
            "select amount__value from raw.openai__costs order by bucket__start_time"
        ).fetchall()
        assert amounts == [("12.4031",), ("1.5",), ("0.25",)]
        assert con.execute("select count(*) from raw.openai__usage_completions").fetchone() == (3,)
        assert con.execute("select count(*) from raw.openai__usage_embeddings").fetchone() == (0,)
        assert con.execute("select count(*) from raw.anthropic__cost_report").fetchone() == (3,)
        assert con.execute("select count(*) from raw.anthropic__usage_messages").fetchone() == (0,)
        rejects = con.execute(
            "select source_file, reject_reason from raw.load_rejects"
            " where raw_table = 'anthropic__usage_messages'"
        ).fetchall()
        assert rejects == [
            (
                f"{raw}/anthropic/usage_messages/pull_2026-11-02/page_0001.json",
                "page_sequence_incomplete",
            )
        ]
        statuses = con.execute("select distinct file_status from raw.landed_files").fetchall()
        assert statuses == [("read",)]

    # The keys are in no written file and no log line.
    for path in [*raw.rglob("*"), *tmp_path.glob("*.duckdb")]:
        if path.is_file():
            content = path.read_bytes()
            assert OPENAI_KEY.encode() not in content and ANTHROPIC_KEY.encode() not in content
    assert OPENAI_KEY not in caplog.text and ANTHROPIC_KEY not in caplog.text
    assert "retrying" in caplog.text and "INCOMPLETE" in caplog.text


def test_the_next_run_re_pulls_the_settle_window_and_nothing_older(replay, tmp_path):
    """Nov 3's run pulls Oct 31 - Nov 2 only; OpenAI restated Nov 1. Both pulls are
    landed; the newer one (a later pull folder) is the one the staging models keep."""
    raw = tmp_path / "raw"
    first_pull_replay(replay)
    run(replay, raw, datetime(2026, 11, 2, 6, tzinfo=UTC))

    replay.routes.clear()
    replay.requests.clear()
    oct_31, nov_2 = NOV_1 - DAY, NOV_1 + DAY
    replay.add(
        "/v1/organization/costs",
        None,
        (
            "json",
            openai_page(
                [
                    openai_cost_bucket(oct_31, 1.5),
                    openai_cost_bucket(NOV_1, 0.75),  # was 0.25: restated
                    openai_cost_bucket(nov_2, 2.0),
                ],
                None,
            ),
        ),
    )
    for path in [e.path for e in pull.ENDPOINTS if e.path != "/v1/organization/costs"]:
        page = openai_page if "/organization/" in path else anthropic_page
        replay.add(path, None, ("json", page([], None)))
    results, _ = run(replay, raw, datetime(2026, 11, 3, 6, tzinfo=UTC))
    assert all(r.complete for r in results.values())

    costs_query = next(q for p, q, _ in replay.requests if p.endswith("/costs"))
    assert costs_query["start_time"] == [str(oct_31)]  # Oct 30 is settled: not asked again
    assert costs_query["end_time"] == [str(nov_2 + DAY)]

    with load(raw, tmp_path / "load.duckdb") as con:
        nov_1 = con.execute(
            "select amount__value, source_file from raw.openai__costs"
            " where bucket__start_time = ? order by source_file",
            [str(NOV_1)],
        ).fetchall()
    assert [amount for amount, _ in nov_1] == ["0.25", "0.75"]
    assert "pull_2026-11-03" in nov_1[-1][1]

    # A second run the same day writes a folder that sorts after the first (supersedes it).
    replay.add("/v1/organization/costs", None, ("json", openai_page([], None)))
    run(replay, raw, datetime(2026, 11, 3, 18, 30, tzinfo=UTC))
    folders = sorted(p.name for p in (raw / "openai/costs").iterdir())
    assert folders == ["pull_2026-11-02", "pull_2026-11-03", "pull_2026-11-03T183000Z"]
    # The staging models rank pulls by the date their folder names (macros/pulled_at.sql),
    # then by file name: the same-day run comes first, the newest pull wins.
    pattern = re.search(r"'(pull_\(.*?\))'", (ROOT / "macros" / "pulled_at.sql").read_text())
    ranked = sorted(
        (f"{raw}/openai/costs/{name}/page_0001.json" for name in folders),
        key=lambda path: (re.search(pattern.group(1), path).group(1), path),
        reverse=True,
    )
    assert "pull_2026-11-03T183000Z" in ranked[0] and "pull_2026-11-03/" in ranked[1]


def test_a_server_that_keeps_failing_on_the_first_page_writes_nothing(replay, tmp_path, caplog):
    raw = tmp_path / "raw"
    for endpoint in pull.ENDPOINTS:
        replay.add(endpoint.path, None, ("status", 503, {"Retry-After": "1"}))
    results, waits = run(replay, raw, datetime(2026, 11, 2, tzinfo=UTC), attempts=2)
    assert not any(r.complete for r in results.values())
    assert waits == [1.0] * len(pull.ENDPOINTS)
    assert not raw.exists() or not [p for p in raw.rglob("*") if p.is_file()]
    assert OPENAI_KEY not in caplog.text and ANTHROPIC_KEY not in caplog.text


def test_a_refused_request_is_not_retried_and_its_message_holds_no_key(replay, tmp_path):
    """A 401 whose body echoes the key: the message names the status, never the key."""
    for endpoint in pull.ENDPOINTS:
        replay.add(endpoint.path, None, ("status", 401, {}))
    results, waits = run(replay, tmp_path / "raw", datetime(2026, 11, 2, tzinfo=UTC))
    assert waits == []
    assert len(replay.requests) == len(pull.ENDPOINTS)
    for result in results.values():
        assert "HTTP 401" in result.problem and "not retried" in result.problem
        assert OPENAI_KEY not in result.problem and ANTHROPIC_KEY not in result.problem
    leaky = pull.Client(secrets=[OPENAI_KEY])
    assert OPENAI_KEY not in pull.scrub(f"Incorrect API key provided: {OPENAI_KEY}", leaky.secrets)
    assert "sk-" not in pull.scrub("Incorrect API key provided: sk-proj-abcdef123456", [])


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("OPENAI_ADMIN_KEY", "sk-proj-abcdefghijklmnop0123456789", "does not start with sk-admin-"),
        ("OPENAI_ADMIN_KEY", OPENAI_KEY + "\n", "whitespace"),
        ("OPENAI_ADMIN_KEY", " " + OPENAI_KEY, "whitespace"),
        ("ANTHROPIC_ADMIN_KEY", "sk-ant-api03-abcdefghijklmnop0123", "sk-ant-admin"),
        ("ANTHROPIC_ADMIN_KEY", "", "is not set"),
        ("ANTHROPIC_ADMIN_KEY", "sk-ant-admin", "too short"),
    ],
)
def test_a_key_that_looks_wrong_is_refused_before_any_request(
    replay, tmp_path, variable, value, reason
):
    environ = environment(replay) | {variable: value}
    with pytest.raises(pull.KeyRefused) as refused:
        pull.run_pulls(tmp_path / "raw", list(pull.PROVIDERS.values()), 3, environ=environ)
    message = str(refused.value)
    assert reason in message and variable in message
    if value.strip():
        assert value.strip() not in message
    assert replay.requests == []
    assert not (tmp_path / "raw").exists()


def test_the_command_reads_keys_from_the_environment_only(replay, tmp_path, monkeypatch, capsys):
    """`recon pull`: exit 2 on a wrong key (nothing requested), 1 when a pull is incomplete."""
    monkeypatch.setenv("OPENAI_ADMIN_KEY", "sk-wrong-" + "x" * 20)
    monkeypatch.setenv("RECON_OPENAI_BASE_URL", replay.base_url)
    monkeypatch.delenv("ANTHROPIC_ADMIN_KEY", raising=False)
    assert pull.main(["--out", str(tmp_path / "raw"), "--days", "2"]) == 2
    assert "OPENAI_ADMIN_KEY does not look like" in capsys.readouterr().err
    assert replay.requests == []

    monkeypatch.setenv("OPENAI_ADMIN_KEY", OPENAI_KEY)
    for endpoint in pull.ENDPOINTS:
        replay.add(endpoint.path, None, ("json", openai_page([], None)))
    replay.add("/v1/organization/costs", None, ("json", openai_page([], "more")))
    replay.add("/v1/organization/costs", "more", ("status", 400, {}))
    args = ["--out", str(tmp_path / "raw"), "--days", "2", "--attempts", "1"]
    assert pull.main([*args, "--openai-costs-group-by", "project_id,line_item"]) == 1
    err = capsys.readouterr().err
    assert "1 of 7 pulls did not finish" in err and OPENAI_KEY not in err
    costs_query = next(q for p, q, _ in replay.requests if p.endswith("/costs"))
    assert costs_query["group_by"] == ["project_id", "line_item"]
    assert {path for path, _, _ in replay.requests} == {
        e.path for e in pull.ENDPOINTS if e.provider is pull.OPENAI
    }


def test_retry_after_as_an_http_date():
    later = datetime.now(UTC).timestamp() + 30
    from email.utils import formatdate

    assert 25 <= pull._retry_after(formatdate(later, usegmt=True)) <= 31
    assert pull._retry_after("3") == 3.0
    assert pull._retry_after("soon") is None


def test_every_endpoint_lands_where_a_reader_reads_it():
    from ai_spend_recon.load.sources import LANDED_SOURCES

    page_folders = {s.folder for s in LANDED_SOURCES if "json_pages" in s.readers.values()}
    assert {e.folder for e in pull.ENDPOINTS} == page_folders
    assert Path(pull.__file__).name == "pull.py"
