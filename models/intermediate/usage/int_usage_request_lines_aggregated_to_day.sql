{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_days_to_rebuild(ref('int_telemetry_day_fingerprints')) }}",
    **replace_by_partition_config('requested_date')
) }}

-- One row per request date x telemetry source x billing period x provider x billing
-- account x project x model x usage type x service tier x API key x owner (team, cost
-- center, environment) x failure flags x edge minute: priced telemetry aggregated once per
-- day, so the line grain, the clock-offset fit and the chargeback never reread requests.
-- edge_minute_at keeps the minute of requests within the billing policy's
-- clock_skew_minutes of a UTC day edge or of a billing-period edge (in the billing
-- timezone), the only requests a measured clock offset can move to another day or
-- period; it is NULL elsewhere. Per-day incremental like fct_request_costs.
with

request_lines as (

    select * from {{ ref('int_usage_request_lines_priced') }}
    where {{ in_days_to_rebuild('requested_date', ref('int_telemetry_day_fingerprints')) }}

),

day_fingerprints as (

    select * from {{ ref('int_telemetry_day_fingerprints') }}

),

lines_with_local_time as (

    -- Wall-clock time in the billing time zone, for the period-edge test below (the period
    -- itself, billing_period, is macros/billing_period_in_timezone.sql's, from
    -- int_usage_requests_owned).
    select
        *,
        {{ timestamp_in_timezone('requested_at', 'billing_timezone') }}
            as requested_at_billing_local
    from request_lines

),

with_edge_minute as (

    select
        requested_date,
        case
            when
                requested_at
                < date_trunc('day', requested_at) + clock_skew_minutes * interval 1 minute
                or requested_at
                >= date_trunc('day', requested_at) + interval 1 day
                - clock_skew_minutes * interval 1 minute
                or requested_at_billing_local
                < date_trunc('month', requested_at_billing_local)
                + clock_skew_minutes * interval 1 minute
                or requested_at_billing_local
                >= date_trunc('month', requested_at_billing_local) + interval 1 month
                - clock_skew_minutes * interval 1 minute
                then date_trunc('minute', requested_at)
        end as edge_minute_at,
        telemetry_source,
        billing_period,
        provider,
        billing_account_id,
        coalesce(project_id, '(none)') as project_key,
        coalesce(model_id, model_name, '(none)') as model_key,
        usage_type,
        service_tier,
        api_key_id,
        team,
        cost_center,
        environment,
        is_failed,
        is_billable_failure,
        quantity,
        cost_usd,
        inference_geo_uplift_usd,
        case when is_priced then 0 else quantity end as unpriced_quantity
    from lines_with_local_time

),

aggregated as (

    -- Grouped by every column of with_edge_minute but the measures.
    select
        {{ star_except(none, [
            'quantity', 'cost_usd', 'inference_geo_uplift_usd', 'unpriced_quantity'
        ]) }},
        -- Each request has one line per usage type, so lines counted are requests.
        count(*) as request_count,
        sum(quantity) as quantity,
        sum(unpriced_quantity) as unpriced_quantity,
        {{ to_money('coalesce(sum(cost_usd), 0)') }} as cost_usd,
        {{ to_money('coalesce(sum(inference_geo_uplift_usd), 0)') }} as inference_geo_uplift_usd
    from with_edge_minute
    group by all

),

final as (

    select
        aggregated.*,
        {{ day_fingerprint('day_fingerprints.day_fingerprint') }} as day_fingerprint
    from aggregated
    inner join day_fingerprints
        on aggregated.requested_date = day_fingerprints.requested_date

)

select * from final
