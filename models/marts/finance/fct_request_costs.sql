{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_days_to_rebuild(ref('int_telemetry_day_fingerprints')) }}"
) }}

-- Per-day incremental (macros/incremental_days.sql): a run rebuilds only the request
-- dates whose landed files or configuration changed; a full refresh builds every day.
{%- set days = telemetry_days_to_rebuild(ref('int_telemetry_day_fingerprints')) %}
with

requests as (

    select * from {{ ref('int_usage_requests_owned') }}
    where {{ in_days('requested_date', days) }}

),

request_lines as (

    select * from {{ ref('int_usage_request_lines_priced') }}
    where {{ in_days('requested_date', days) }}

),

day_fingerprints as (

    select * from {{ ref('int_telemetry_day_fingerprints') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

costs_per_request as (

    select
        request_key,
        max(model_id) as model_id,
        -- The price rows used, in usage-type order (written out: an ordered aggregate
        -- costs a sort per request).
        nullif(concat_ws(
            ',',
            max(price_id) filter (where usage_type = 'audio_seconds'),
            max(price_id) filter (where usage_type = 'cache_read'),
            max(price_id) filter (where usage_type = 'cache_write_1h'),
            max(price_id) filter (where usage_type = 'cache_write_5m'),
            max(price_id) filter (where usage_type = 'images'),
            max(price_id) filter (where usage_type = 'input_uncached'),
            max(price_id) filter (where usage_type = 'output'),
            max(price_id) filter (where usage_type = 'requests')
        ), '') as price_ids,
        max(price_id) filter (where usage_type = 'input_uncached') as input_price_id,
        max(context_threshold_tokens) as context_threshold_tokens,
        {{ to_money('sum(cost_usd) filter (where usage_type = \'input_uncached\')') }}
            as input_uncached_cost_usd,
        {{ to_money('sum(cost_usd) filter (where usage_type = \'cache_read\')') }}
            as cache_read_cost_usd,
        {{ to_money("sum(cost_usd) filter (where usage_type like 'cache_write%')") }}
            as cache_write_cost_usd,
        {{ to_money('sum(cost_usd) filter (where usage_type = \'output\')') }}
            as output_cost_usd,
        {{ to_money("sum(cost_usd) filter (where usage_type in ('images', 'audio_seconds', 'requests'))") }}
            as per_unit_cost_usd,
        -- NULL (never 0) when any quantity on the request has no price.
        case when bool_and(is_priced) then {{ to_money('sum(cost_usd)') }} end as cost_usd,
        bool_and(is_priced) as is_priced
    from request_lines
    group by request_key

),

final as (

    select
        ---------- ids
        requests.request_key,
        requests.request_id,
        requests.provider,
        requests.billing_account_id,
        requests.project_id,
        requests.api_key_id,
        requests.owner_mapping_id,
        costs_per_request.input_price_id,
        ---------- strings
        requests.telemetry_source,
        requests.model_name as reported_model,
        coalesce(costs_per_request.model_id, requests.model_name) as canonical_model,
        requests.endpoint_family,
        requests.service_tier,
        requests.status,
        requests.route,
        requests.fallback_from_model,
        requests.team,
        requests.cost_center,
        requests.environment,
        requests.workflow,
        requests.billing_period,
        costs_per_request.price_ids,
        '{{ var("reporting_currency") }}' as reporting_currency,
        {{ day_fingerprint('day_fingerprints.day_fingerprint') }} as day_fingerprint,
        ---------- numerics
        requests.input_uncached_tokens,
        requests.cache_read_tokens,
        requests.cache_write_5m_tokens,
        requests.cache_write_1h_tokens,
        requests.output_tokens,
        requests.reasoning_tokens,
        requests.total_input_tokens,
        requests.image_count,
        requests.audio_seconds,
        requests.request_units,
        requests.retry_count,
        costs_per_request.context_threshold_tokens,
        costs_per_request.input_uncached_cost_usd,
        costs_per_request.cache_read_cost_usd,
        costs_per_request.cache_write_cost_usd,
        costs_per_request.output_cost_usd,
        costs_per_request.per_unit_cost_usd,
        costs_per_request.cost_usd,
        -- Per-request amounts are fractions of a cent: converted exactly, not rounded.
        {{ to_money('costs_per_request.cost_usd * fx_reporting.reporting_units_per_usd') }}
            as cost_reporting,
        ---------- booleans
        coalesce(costs_per_request.is_priced, true) as is_priced,
        requests.is_failed,
        requests.is_unallocated,
        requests.route = 'fallback' as is_fallback,
        requests.retry_count > 0 as has_retries,
        ---------- dates
        cast(requests.requested_at as date) as requested_date,
        ---------- timestamps
        requests.requested_at
    from requests
    left join costs_per_request
        on requests.request_key = costs_per_request.request_key
    left join fx_reporting
        on requests.billing_period = fx_reporting.period
    inner join day_fingerprints
        on requests.requested_date = day_fingerprints.requested_date

)

select * from final
