"""OpenTelemetry GenAI spans as OTLP/JSON lines, one file per day.

Each line is one export of up to 50 spans of one service, int64 values as strings, with
only the attributes the GenAI semantic conventions define. Interrupted streams report no
usage (failed_request_billing).

One file per day, as gateways export it, written by DuckDB: a month of tens of millions
of requests is written in minutes and bounded memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ai_spend_recon.demo.files import copy_per_day


def write_otel_spans(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """Write telemetry/otel/spans_<day>.jsonl."""
    con.execute(
        """
        create or replace macro otlp_attribute(attribute_key, attribute_value) as
            json_object('key', attribute_key, 'value', case
                when typeof(attribute_value) in ('BIGINT', 'INTEGER')
                    then json_object('intValue', attribute_value::varchar)
                else json_object('stringValue', attribute_value::varchar) end)
        """
    )
    # The spans in export order once (a table), their JSON a day at a time (a view).
    con.execute(
        """
        create or replace table otel_spans as
        select t.*, w.reported_model, g.service_name,
            cast(t.used_at as date) as used_date,
            row_number() over (
                partition by cast(t.used_at as date), g.service_name
                order by t.used_at, t.request_id
            ) - 1 as day_index
        from truth as t join workloads as w using (workload)
        join gateway_identities as g using (workload)
        where w.telemetry = 'otel'
        order by used_date
        """
    )
    # Only attributes the GenAI semantic conventions define: no provider workspace, key or
    # (for Anthropic) service tier; each service exports its own resource.
    con.execute(
        """
        create or replace view otel_lines as
        with spans as (
            select t.request_id, t.used_at, t.reported_model as model, t.used_date,
                t.service_name, t.is_interrupted as broken, epoch_ns(t.used_at) as begin_ns,
                t.day_index,
                to_json(
                    [
                        otlp_attribute('gen_ai.provider.name', 'anthropic'),
                        otlp_attribute('gen_ai.operation.name', 'chat'),
                        otlp_attribute('gen_ai.request.model', t.reported_model),
                        otlp_attribute('gen_ai.response.id', t.request_id),
                        otlp_attribute('server.address', 'api.anthropic.com'),
                        otlp_attribute('server.port', 443)
                    ]
                    || case when t.retry_count > 0 then [
                        otlp_attribute('http.request.resend_count', t.retry_count::bigint)
                    ] else [] end
                    -- interrupted streams never report usage
                    || case when not t.is_interrupted then [
                        otlp_attribute('gen_ai.usage.input_tokens',
                            t.input_uncached_tokens + t.cache_read_tokens
                            + t.cache_write_5m_tokens),
                        otlp_attribute('gen_ai.usage.cache_read.input_tokens',
                            t.cache_read_tokens),
                        otlp_attribute('gen_ai.usage.cache_creation.input_tokens',
                            t.cache_write_5m_tokens),
                        otlp_attribute('gen_ai.usage.output_tokens', t.output_tokens)
                    ] else [] end
                    || case when not t.is_interrupted
                        and t.reported_model != 'claude-sonnet-latest'
                        then [otlp_attribute('gen_ai.response.model', t.reported_model)]
                        else [] end
                ) as attributes
            from otel_spans as t
        ),
        span_json as (
            select used_date, service_name, day_index,
                json_object(
                    'traceId', sha256(request_id)[1:32],
                    'spanId', sha256(request_id || 's')[1:16],
                    'name', 'chat ' || model,
                    'kind', 3,
                    'startTimeUnixNano', begin_ns::varchar,
                    'endTimeUnixNano', (begin_ns + 2500000000)::varchar,
                    'attributes', attributes,
                    'status', case when broken
                        then json_object('code', 2, 'message', 'stream_interrupted')
                        else json_object('code', 1) end
                ) as span
            from spans
        ),
        exports as (
            select
                used_date,
                service_name,
                day_index // 50 as chunk,
                json_object('resourceSpans', json_array(json_object(
                    'resource', json_object('attributes', json_array(
                        otlp_attribute('service.name', service_name))),
                    'scopeSpans', json_array(json_object(
                        'scope', json_object('name', 'opentelemetry.instrumentation.anthropic'),
                        'spans', to_json(list(span order by day_index))
                    ))
                )))::varchar as line
            from span_json
            group by used_date, service_name, day_index // 50
        )
        select
            used_date,
            row_number() over (partition by used_date order by service_name, chunk)
                as export_index,
            line
        from exports
        """
    )
    copy_per_day(
        con,
        "otel_lines",
        "used_date",
        "export_index",
        raw / "telemetry/otel/spans_{day}.jsonl",
        # One JSON document per line, written as is (no CSV quoting; \x01 never occurs).
        f"format csv, header false, quote '', escape '', delimiter '{chr(1)}'",
        days=con.execute("select distinct used_date from otel_spans order by 1").fetchall(),
    )
