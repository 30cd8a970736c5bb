-- One row per period x provider x billing account x project x model x usage type x
-- service tier of observed (telemetry, priced by this project) cost. Each measure comes
-- twice: in the billing period the telemetry logged it, and in the period it falls in once
-- the measured telemetry clock offset is applied (the timing-window counterfactual; only
-- requests at an edge minute can move, see int_usage_request_lines_aggregated_to_day).
-- Unpriced quantities are kept and counted; their cost is not in observed_usd.
with

daily_lines as (

    select * from {{ ref('int_usage_request_lines_aggregated_to_day') }}

),

clock_offsets as (

    select * from {{ ref('int_telemetry_clock_offsets') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

joined as (

    select
        daily_lines.*,
        case
            when daily_lines.edge_minute_at is null then daily_lines.billing_period
            else {{ billing_period_in_timezone(
                'daily_lines.edge_minute_at'
                ~ ' + coalesce(clock_offsets.clock_offset_minutes, 0) * interval 1 minute',
                'billing_policy.billing_timezone'
            ) }}
        end as clock_corrected_billing_period
    from daily_lines
    left join clock_offsets
        on
            daily_lines.provider = clock_offsets.provider
            and daily_lines.telemetry_source = clock_offsets.telemetry_source
    left join billing_policy
        on daily_lines.provider = billing_policy.provider

),

as_logged_and_corrected as (

    select
        billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        usage_type,
        service_tier,
        request_count,
        case when is_failed then request_count else 0 end as failed_request_count,
        case when is_billable_failure then request_count else 0 end
            as billable_failed_request_count,
        quantity,
        cost_usd,
        unpriced_quantity,
        0 as corrected_quantity,
        0 as corrected_cost_usd,
        0 as corrected_unpriced_quantity,
        0 as corrected_inference_geo_uplift_usd,
        0 as moved_in_cost_usd,
        -- logged in this period, in another once the clock offset is applied
        case
            when coalesce(clock_corrected_billing_period, '') != billing_period
                then cost_usd
            else 0
        end as moved_out_cost_usd
    from joined

    union all

    select
        clock_corrected_billing_period as billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        usage_type,
        service_tier,
        0 as request_count,
        0 as failed_request_count,
        0 as billable_failed_request_count,
        0 as quantity,
        0 as cost_usd,
        0 as unpriced_quantity,
        quantity as corrected_quantity,
        cost_usd as corrected_cost_usd,
        unpriced_quantity as corrected_unpriced_quantity,
        inference_geo_uplift_usd as corrected_inference_geo_uplift_usd,
        -- in this period once the clock offset is applied, logged in another
        case
            when coalesce(clock_corrected_billing_period, '') != billing_period
                then cost_usd
            else 0
        end as moved_in_cost_usd,
        0 as moved_out_cost_usd
    from joined

),

aggregated as (

    select
        {{ line_grain_columns(['service_tier']) | join(',\n        ') }},
        cast(sum(request_count) as bigint) as observed_request_count,
        cast(sum(failed_request_count) as bigint) as failed_request_count,
        cast(sum(billable_failed_request_count) as bigint) as billable_failed_request_count,
        sum(quantity) as observed_quantity,
        sum(unpriced_quantity) as unpriced_quantity,
        {{ to_money('coalesce(sum(cost_usd), 0)') }} as observed_usd,
        sum(corrected_quantity) as clock_corrected_quantity,
        sum(corrected_unpriced_quantity) as clock_corrected_unpriced_quantity,
        {{ to_money('coalesce(sum(corrected_cost_usd), 0)') }} as clock_corrected_observed_usd,
        -- the part of it an inference geography's multiplier added (priced where named)
        {{ to_money('coalesce(sum(corrected_inference_geo_uplift_usd), 0)') }}
            as clock_corrected_inference_geo_uplift_usd,
        {{ to_money('coalesce(sum(moved_in_cost_usd), 0)') }} as clock_moved_in_usd,
        {{ to_money('coalesce(sum(moved_out_cost_usd), 0)') }} as clock_moved_out_usd
    from as_logged_and_corrected
    group by all

)

select * from aggregated
