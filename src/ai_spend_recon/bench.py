"""Benchmark at N requests: floor query, full build, daily increment, one inbox action.

In one run on the same landing zone (generated with `recon demo-data` if it is absent), it
measures wall time and peak memory (RSS) of:

  floor        one DuckDB query over the files in place: scan, dedup by request id, price
               at usage time, group to the line grain (the least work the build must do)
  full         `dbt build` from an empty database, the last day of telemetry held back
  incremental  the held-back day lands, then `dbt build` again on the same database
  decision     what the reviewer inbox does for one action on that database: write off the
               largest open line (a decision file), rebuild what depends on decisions,
               publish the marts and write the close packet (review_actions.py); the
               decision file is removed afterwards

and prints them with the ratios the targets are stated in (full / floor, incremental /
full). Each step runs in its own process so its peak RSS is its own.

With --engine spark the full and incremental steps run on the local spark target instead
(`recon load --engine spark`, `dbt build --target spark`, in a Spark home of the run's own);
the peak memory is then the largest process's, the JVM's.

Usage: recon bench --requests 1000000 [--steps floor,full,incremental,decision]
       recon bench --requests 1000000 --engine spark --steps full,incremental
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ai_spend_recon.paths import DEMO_CONFIG_DIR, PROJECT_DIR, SEEDS_DIR

TELEMETRY = ("litellm", "otel", "requests")
STEPS = ("floor", "full", "incremental", "decision")

FLOOR_SQL = """
with

price_rows as (
    select provider, model_id, usage_type, service_tier,
        cast(context_threshold_tokens as bigint) as context_threshold_tokens,
        cast(usd_per_unit as decimal(38, 18)) as usd_per_unit,
        cast(valid_from as date) as valid_from, cast(valid_to as date) as valid_to,
        1 as precedence
    from read_csv('{config}/price_overrides.csv', all_varchar = true)
    union all
    select provider, model_id, usage_type, service_tier,
        cast(context_threshold_tokens as bigint), cast(usd_per_unit as decimal(38, 18)),
        cast(valid_from as date), cast(valid_to as date), 2
    from read_csv('{seeds}/price_book.csv', all_varchar = true)
),

aliases as (
    select provider, alias, model_id, cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to
    from read_csv('{config}/model_aliases.csv', all_varchar = true)
),

gateway_mappings as (
    select telemetry_source, match_field, match_value, project_id, service_tier,
        cast(valid_from as date) as valid_from, cast(valid_to as date) as valid_to
    from read_csv('{config}/gateway_mappings.csv', all_varchar = true)
),

litellm_logs as (
    select request_id, model as model_name, model_id as deployment_id,
        metadata ->> '$.user_api_key_alias' as key_alias,
        cast("startTime" as timestamp) as requested_at,
        cast(prompt_tokens as bigint) as prompt_tokens,
        coalesce(cast(metadata ->> '$.usage_object.prompt_tokens_details.cached_tokens'
            as bigint), 0) as cache_read,
        cast(completion_tokens as bigint) as output
    from read_csv('{raw}/telemetry/litellm/*.csv', all_varchar = true, header = true)
),

litellm as (
    select 'litellm' as telemetry_source, request_id, 'openai' as provider, model_name,
        coalesce(by_deployment.project_id, by_alias.project_id) as project_id,
        'standard' as service_tier, requested_at, prompt_tokens, cache_read, output
    from litellm_logs
    left join gateway_mappings as by_deployment
        on by_deployment.telemetry_source = 'litellm'
        and by_deployment.match_field = 'deployment_id'
        and litellm_logs.deployment_id = by_deployment.match_value
        and cast(litellm_logs.requested_at as date) >= by_deployment.valid_from
        and cast(litellm_logs.requested_at as date) < by_deployment.valid_to
    left join gateway_mappings as by_alias
        on by_alias.telemetry_source = 'litellm'
        and by_alias.match_field = 'gateway_key_alias'
        and litellm_logs.key_alias = by_alias.match_value
        and cast(litellm_logs.requested_at as date) >= by_alias.valid_from
        and cast(litellm_logs.requested_at as date) < by_alias.valid_to
),

otel_spans as (
    -- Each export line parsed once, into the typed fields read (a resource per line).
    select
        resource['resource']['attributes'][1]['value']['stringValue'] as service_name,
        unnest(flatten(list_transform(resource['scopeSpans'], lambda s: s['spans']))) as span
    from (
        select unnest(from_json(line, '{{"resourceSpans": [{{"resource": {{"attributes":
            [{{"key": "VARCHAR", "value": {{"stringValue": "VARCHAR"}}}}]}}, "scopeSpans":
            [{{"spans": [{{"startTimeUnixNano": "VARCHAR", "attributes": [{{"key": "VARCHAR",
            "value": {{"stringValue": "VARCHAR", "intValue": "VARCHAR"}}}}]}}]}}]}}]}}'
        )['resourceSpans']) as resource
        from read_csv('{raw}/telemetry/otel/*.jsonl', columns = {{'line': 'VARCHAR'}},
            header = false, delim = chr(1), quote = '', escape = '')
    )
),

otel as (
    select 'otel' as telemetry_source, attributes['gen_ai.response.id'] as request_id,
        'anthropic' as provider,
        coalesce(attributes['gen_ai.response.model'], attributes['gen_ai.request.model'])
            as model_name,
        service_name,
        make_timestamp(cast(cast(span['startTimeUnixNano'] as hugeint) // 1000 as bigint))
            as requested_at,
        coalesce(cast(attributes['gen_ai.usage.input_tokens'] as bigint), 0) as input_tokens,
        coalesce(cast(attributes['gen_ai.usage.cache_read.input_tokens'] as bigint), 0)
            as cache_read,
        coalesce(cast(attributes['gen_ai.usage.cache_creation.input_tokens'] as bigint), 0)
            as cache_write,
        coalesce(cast(attributes['gen_ai.usage.output_tokens'] as bigint), 0) as output
    from (
        select span, service_name, map_from_entries(list_transform(
            span['attributes'],
            lambda a: {{'k': a['key'], 'v': coalesce(a['value']['stringValue'],
                a['value']['intValue'])}}
        )) as attributes
        from otel_spans
    )
),

otel_attributed as (
    select otel.* exclude (service_name), by_service.project_id,
        coalesce(by_service.service_tier, 'standard') as service_tier
    from otel
    left join gateway_mappings as by_service
        on by_service.telemetry_source = 'otel'
        and by_service.match_field = 'service_name'
        and otel.service_name = by_service.match_value
        and cast(otel.requested_at as date) >= by_service.valid_from
        and cast(otel.requested_at as date) < by_service.valid_to
),

gateway as (
    select 'requests' as telemetry_source, request_id, provider, model as model_name,
        project_id, service_tier, cast(occurred_at as timestamp) as requested_at,
        input_uncached_tokens, cache_read_tokens, cache_write_5m_tokens,
        cache_write_1h_tokens, output_tokens
    from read_parquet('{raw}/telemetry/requests/*.parquet')
),

unioned as (
    select telemetry_source, request_id, provider, model_name, project_id, service_tier,
        requested_at, prompt_tokens - cache_read as input_uncached, cache_read,
        0 as cache_write_5m, 0 as cache_write_1h, output
    from litellm
    union all
    select telemetry_source, request_id, provider, model_name, project_id, service_tier,
        requested_at, input_tokens - cache_read - cache_write, cache_read, cache_write, 0, output
    from otel_attributed
    union all
    select * from gateway
),

deduplicated as (
    select * from unioned
    qualify row_number() over (
        partition by telemetry_source, request_id order by requested_at
    ) = 1
),

reported_names as (
    select distinct provider, model_name from deduplicated
),

match_rules as (
    select provider, model_id, cast(model_rank as integer) as model_rank, alternative,
        match_kind, match_text
    from read_csv('{seeds}/model_match_rules.csv', all_varchar = true)
),

name_matches as (
    select reported_names.provider, reported_names.model_name, price_rows.model_id,
        0 as model_rank
    from reported_names
    join price_rows
        on reported_names.provider = price_rows.provider
        and lower(trim(reported_names.model_name)) = lower(price_rows.model_id)
    union all
    select reported_names.provider, reported_names.model_name, match_rules.model_id,
        match_rules.model_rank
    from reported_names
    join match_rules on reported_names.provider = match_rules.provider
    group by reported_names.provider, reported_names.model_name, match_rules.model_id,
        match_rules.model_rank, match_rules.alternative
    having bool_and(case match_rules.match_kind
        when 'equals' then lower(trim(model_name)) = match_text
        when 'starts_with' then starts_with(lower(trim(model_name)), match_text)
        when 'ends_with' then ends_with(lower(trim(model_name)), match_text)
        when 'contains' then contains(lower(trim(model_name)), match_text)
        else regexp_matches(lower(trim(model_name)), match_text) end)
),

model_names as (
    select provider, model_name, model_id from name_matches
    qualify row_number() over (partition by provider, model_name order by model_rank) = 1
),

with_model as (
    select deduplicated.*,
        coalesce(aliases.model_id, model_names.model_id, deduplicated.model_name) as model_id,
        input_uncached + cache_read + cache_write_5m + cache_write_1h as total_input
    from deduplicated
    left join aliases
        on deduplicated.provider = aliases.provider
        and deduplicated.model_name = aliases.alias
        and cast(deduplicated.requested_at as date) >= aliases.valid_from
        and cast(deduplicated.requested_at as date) < aliases.valid_to
    left join model_names
        on deduplicated.provider = model_names.provider
        and deduplicated.model_name = model_names.model_name
),

lines as (
    unpivot with_model
    on input_uncached, cache_read, cache_write_5m, cache_write_1h, output
    into name usage_type value quantity
),

priced as (
    select lines.*, price_rows.usd_per_unit
    from lines
    left join price_rows
        on lines.provider = price_rows.provider
        and lines.model_id = price_rows.model_id
        and lines.usage_type = price_rows.usage_type
        and price_rows.service_tier in (lines.service_tier, 'standard')
        and cast(lines.requested_at as date) >= price_rows.valid_from
        and cast(lines.requested_at as date) < price_rows.valid_to
        and (price_rows.context_threshold_tokens = 0
            or lines.total_input > price_rows.context_threshold_tokens)
    where lines.quantity > 0
    qualify row_number() over (
        partition by lines.telemetry_source, lines.request_id, lines.usage_type
        order by price_rows.precedence, (price_rows.service_tier = lines.service_tier) desc,
            price_rows.context_threshold_tokens desc
    ) = 1
)

select strftime(requested_at, '%Y-%m') as billing_period, provider,
    coalesce(project_id, '(none)') as project_key, model_id, usage_type,
    count(*) as request_lines, sum(quantity) as quantity,
    sum(quantity * usd_per_unit) as observed_usd
from priced
group by all
"""


def sql_text(value: str) -> str:
    """A path as a SQL string body (single quotes doubled)."""
    return value.replace("'", "''")


def duckdb_settings(memory_limit: str, temp_dir: Path) -> str:
    return (
        f"set memory_limit = '{memory_limit}'; set temp_directory = '{sql_text(str(temp_dir))}';"
        " set preserve_insertion_order = false; set threads = 2; set timezone = 'UTC';"
    )


def floor_query(raw: Path, memory_limit: str, temp_dir: Path) -> None:
    """Run the floor query in this process and print its result size and total."""
    import duckdb

    con = duckdb.connect()
    con.execute(duckdb_settings(memory_limit, temp_dir))
    floor_sql = FLOOR_SQL.format(
        raw=sql_text(str(raw)),
        seeds=sql_text(str(SEEDS_DIR)),
        config=sql_text(str(DEMO_CONFIG_DIR)),
    )
    rows = con.execute(
        f"select count(*), sum(request_lines), sum(observed_usd) from ({floor_sql})"
    ).fetchone()
    print(
        json.dumps(
            {"line_grain_rows": rows[0], "request_lines": rows[1], "observed_usd": str(rows[2])}
        )
    )


# The production command: the load, then the build (house style: prod runs exclude unit
# tests, which test logic on fixtures and cost the same at any volume); every data test
# runs. One process tree, so its peak RSS is the larger of the two.
DBT_BUILD = [
    "/bin/sh",
    "-c",
    '"$0" -m ai_spend_recon.load && "$1" build --target ci --exclude-resource-type unit_test',
    sys.executable,
    str(PROJECT_DIR / ".venv/bin/dbt"),
]
SPARK_BUILD = [
    "/bin/sh",
    "-c",
    '"$0" -m ai_spend_recon.load --engine spark'
    ' && "$1" build --target spark --exclude-resource-type unit_test',
    sys.executable,
    str(PROJECT_DIR / ".venv/bin/dbt"),
]


def dbt_env(raw: Path, database: Path, close_dir: Path, memory_limit: str) -> dict:
    """The environment of a dbt run on a landing zone, database and close-record folder."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "RECON_RAW_DIR": str(raw),
        "DBT_DUCKDB_PATH": str(database),
        "RECON_CLOSE_DIR": str(close_dir),
        "RECON_MEMORY_LIMIT": memory_limit,
    }


def run_measured(command: list[str], env: dict, log: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in GB and exit code of one child process."""
    start = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - start
    return elapsed, usage.ru_maxrss / 1024 / 1024, os.waitstatus_to_exitcode(status)


def decision_step(home: Path) -> None:
    """One inbox action on the benchmark's database, as the app runs it (its environment
    is the dbt runs' one, set by the parent)."""
    os.environ["RECON_MARTS_DB"] = str(home / "marts.duckdb")
    os.environ["RECON_PACKET_DIR"] = str(home / "close_packets")
    import duckdb

    from ai_spend_recon.review_actions import Line, Settings, rebuild, record_decision

    settings = Settings.from_env()
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        line = con.execute(
            "select reconciliation_line_id, billing_period, provider, status"
            " from fct_reconciliation_lines where status in ('unreconciled', 'suggested')"
            " order by abs(variance_usd) desc, reconciliation_line_id limit 1"
        ).fetchone()
    written = record_decision(settings, [Line(*line)], "WRITE_OFF", "bench", "benchmark")
    try:
        result = rebuild(settings, [line[1]])
    finally:
        written.unlink()
    if not result.ok:
        raise SystemExit(result.message)
    print(f"{Line(*line)} written off; rebuild, publish and packet {result.seconds} s")


def last_telemetry_day(raw: Path) -> str:
    """The newest day with a telemetry file (files are named <name>_YYYY-MM-DD.<ext>)."""
    days = {
        path.stem.rsplit("_", 1)[-1]
        for source in TELEMETRY
        for path in (raw / "telemetry" / source).glob("*_????-??-??.*")
    }
    if not days:
        raise SystemExit(f"no daily telemetry files under {raw}/telemetry")
    return max(days)


def move_day(raw: Path, held: Path, day: str, *, back: bool) -> int:
    """Hold a day's telemetry files back (or land them again); returns the file count."""
    moved = 0
    for source in TELEMETRY:
        landing, aside = raw / "telemetry" / source, held / source
        src, dst = (aside, landing) if back else (landing, aside)
        dst.mkdir(parents=True, exist_ok=True)
        for path in src.glob(f"*_{day}.*"):
            shutil.move(str(path), dst / path.name)
            moved += 1
    return moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument(
        "--steps", default=",".join(STEPS), help="comma list of " + ", ".join(STEPS)
    )
    parser.add_argument("--workdir", type=Path, default=PROJECT_DIR / "target" / "bench")
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("RECON_MEMORY_LIMIT", "3GB"),
        help="DuckDB memory_limit for every step (it spills to disk beyond it)",
    )
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="where the full and incremental steps build (floor and decision: DuckDB only)",
    )
    args = parser.parse_args(argv)
    steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    if args.engine == "spark" and set(steps) - {"full", "incremental"}:
        parser.error("on Spark the steps are full and incremental")

    home = (args.workdir / f"n{args.requests}").resolve()
    raw, held, temp_dir = home / "raw", home / "held_back", home / "floor_tmp"
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if not (raw / "telemetry").exists():
        print(f"generating {args.requests} requests into {raw} ...", flush=True)
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ai_spend_recon.demo.generate",
                "--out",
                str(raw),
                "--requests",
                str(args.requests),
            ],
            check=True,
        )
        print(f"generated in {time.monotonic() - started:.0f} s", flush=True)
    # A previous run may have stopped with the last day held back: land it again.
    for source in TELEMETRY:
        for path in (held / source).glob("*"):
            shutil.move(str(path), raw / "telemetry" / source / path.name)

    env = dbt_env(raw, home / "bench.duckdb", home / "close_records", args.memory_limit)
    dbt = DBT_BUILD
    built = home / "bench.duckdb"
    if args.engine == "spark":
        dbt, built = SPARK_BUILD, home / "spark"
        env["RECON_SPARK_HOME"] = str(built)
    results: dict[str, tuple[float, float]] = {}
    day = last_telemetry_day(raw)
    for step in steps:
        if step == "floor":
            command = [
                sys.executable,
                "-m",
                "ai_spend_recon.bench",
                "--floor",
                str(raw),
                args.memory_limit,
                str(temp_dir),
            ]
        elif step == "full":
            for stale in (home / "bench.duckdb", home / "bench.duckdb.wal"):
                stale.unlink(missing_ok=True)
            shutil.rmtree(home / "spark", ignore_errors=True)
            shutil.rmtree(home / "close_records", ignore_errors=True)
            move_day(raw, held, day, back=False)
            command = dbt
        elif step == "incremental":
            if not built.exists():
                parser.error("the incremental step needs the full step first")
            move_day(raw, held, day, back=True)
            command = dbt
        else:
            if not (home / "bench.duckdb").exists():
                parser.error("the decision step needs the full step first")
            command = [sys.executable, "-m", "ai_spend_recon.bench", "--decision", str(home)]
        print(f"{step} ...", flush=True)
        elapsed, rss, code = run_measured(command, env, logs / f"{step}.log")
        if code != 0:
            print((logs / f"{step}.log").read_text()[-4000:])
            print(f"{step} failed (exit {code}); log: {logs / f'{step}.log'}")
            return 1
        results[step] = (elapsed, rss)
        if step in ("full", "incremental"):
            shutil.copy(
                PROJECT_DIR / "target/run_results.json",
                logs / f"{args.engine}_{step}_run_results.json",
            )
        print(f"{step}: {elapsed:.1f} s, peak RSS {rss:.2f} GB", flush=True)
    move_day(raw, held, day, back=True)

    # The generator adds the demo's other workloads to the N asked for: say how many it wrote.
    truth = home / "ground_truth.json"
    generated = json.loads(truth.read_text())["requests"] if truth.exists() else None
    print(
        f"\nrequests: {args.requests:,} asked"
        + (f", {generated:,} generated" if generated else "")
        + f" on {args.engine} (last telemetry day {day} held back for the increment)"
    )
    print(f"{'step':<12} {'wall s':>8} {'peak GB':>8}")
    for step, (elapsed, rss) in results.items():
        print(f"{step:<12} {elapsed:>8.1f} {rss:>8.2f}")
    if "floor" in results and "full" in results:
        print(f"full / floor: {results['full'][0] / results['floor'][0]:.2f}x")
    if "full" in results and "incremental" in results:
        print(f"incremental / full: {results['incremental'][0] / results['full'][0]:.1%}")
    summary = home / f"bench_results_{args.engine}.json"
    summary.write_text(
        json.dumps(
            {
                "requests": args.requests,
                "generated_requests": generated,
                "engine": args.engine,
                "results": results,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--decision":
        decision_step(Path(sys.argv[2]))
        raise SystemExit(0)
    if len(sys.argv) == 5 and sys.argv[1] == "--floor":
        floor_query(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
        raise SystemExit(0)
    raise SystemExit(main())
