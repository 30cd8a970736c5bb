{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_days_to_rebuild(ref('int_telemetry_day_fingerprints')) }}",
    **replace_by_partition_config('requested_date')
) }}

-- Per-day incremental (macros/days_to_rebuild.sql): a run rebuilds only the request
-- dates whose landed files or configuration changed; a full refresh builds every day.
with

requests as (

    select * from {{ ref('int_usage_requests_priced') }}
    where {{ in_days_to_rebuild('requested_date', ref('int_telemetry_day_fingerprints')) }}

),

day_fingerprints as (

    select * from {{ ref('int_telemetry_day_fingerprints') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

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
        requests.gateway_mapping_id,
        requests.input_uncached_price_id as input_price_id,
        ---------- strings
        requests.telemetry_source,
        requests.gateway_identity,
        requests.model_name as reported_model,
        coalesce(requests.model_id, requests.model_name) as canonical_model,
        requests.endpoint_family,
        requests.service_tier,
        requests.inference_geo,
        requests.speed,
        requests.status,
        requests.failure_kind,
        requests.route,
        requests.fallback_from_model,
        requests.team,
        requests.cost_center,
        requests.environment,
        requests.workflow,
        requests.billing_period,
        requests.price_ids,
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
        requests.video_seconds,
        requests.request_units,
        requests.retry_count,
        requests.context_threshold_tokens,
        requests.inference_geo_multiplier,
        requests.speed_multiplier,
        requests.input_uncached_cost_usd,
        requests.cache_read_cost_usd,
        case
            when
                coalesce(requests.cache_write_5m_cost_usd, requests.cache_write_1h_cost_usd)
                is not null
                then {{ to_money(
                    'coalesce(requests.cache_write_5m_cost_usd, 0)'
                    ~ ' + coalesce(requests.cache_write_1h_cost_usd, 0)'
                ) }}
        end as cache_write_cost_usd,
        requests.output_cost_usd,
        case
            when
                coalesce(
                    requests.images_cost_usd,
                    requests.audio_seconds_cost_usd,
                    requests.video_seconds_cost_usd,
                    requests.requests_cost_usd
                ) is not null
                then {{ to_money(
                    'coalesce(requests.images_cost_usd, 0)'
                    ~ ' + coalesce(requests.audio_seconds_cost_usd, 0)'
                    ~ ' + coalesce(requests.video_seconds_cost_usd, 0)'
                    ~ ' + coalesce(requests.requests_cost_usd, 0)'
                ) }}
        end as per_unit_cost_usd,
        -- The video seconds' part of per_unit_cost_usd (the monthly report shows it apart).
        requests.video_seconds_cost_usd,
        requests.cost_usd,
        -- Per-request amounts are fractions of a cent: converted exactly, not rounded.
        {{ to_money(
            reporting_amount('requests.cost_usd', 'fx_reporting.reporting_units_per_usd')
        ) }}
            as cost_reporting,
        ---------- booleans
        requests.is_priced,
        requests.is_failed,
        requests.is_unallocated,
        requests.route = 'fallback' as is_fallback,
        requests.retry_count > 0 as has_retries,
        ---------- dates
        cast(requests.requested_at as date) as requested_date,
        ---------- timestamps
        requests.requested_at
    from requests
    left join fx_reporting
        on requests.billing_period = fx_reporting.period
    inner join day_fingerprints
        on requests.requested_date = day_fingerprints.requested_date

)

select * from final
