-- One row per period x provider x billing account x project x model x usage type x
-- service tier of observed (telemetry, priced by this project) cost. Each measure comes
-- twice: in the billing period the telemetry logged it, and in the period it falls in once
-- the measured telemetry clock offset is applied (the timing-window counterfactual).
-- Unpriced quantities are kept and counted; their cost is not in observed_usd.
with

request_lines as (

    select * from {{ ref('int_usage_request_lines_priced') }}

),

requests as (

    select * from {{ ref('int_usage_requests_owned') }}

),

joined as (

    select
        requests.billing_period,
        requests.clock_corrected_billing_period,
        requests.provider,
        requests.billing_account_id,
        coalesce(request_lines.project_id, '(none)') as project_key,
        coalesce(request_lines.model_id, request_lines.model_name, '(none)') as model_key,
        request_lines.usage_type,
        request_lines.service_tier,
        request_lines.request_key,
        request_lines.quantity,
        request_lines.cost_usd,
        case when request_lines.is_priced then 0 else request_lines.quantity end
            as unpriced_quantity,
        requests.is_failed,
        requests.is_billable_failure
    from request_lines
    inner join requests
        on request_lines.request_key = requests.request_key

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
        request_key,
        is_failed,
        is_billable_failure,
        quantity,
        cost_usd,
        unpriced_quantity,
        0 as corrected_quantity,
        0 as corrected_cost_usd,
        0 as corrected_unpriced_quantity
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
        null as request_key,
        false as is_failed,
        false as is_billable_failure,
        0 as quantity,
        0 as cost_usd,
        0 as unpriced_quantity,
        quantity as corrected_quantity,
        cost_usd as corrected_cost_usd,
        unpriced_quantity as corrected_unpriced_quantity
    from joined

),

aggregated as (

    select
        {{ line_grain_columns(['service_tier']) | join(',\n        ') }},
        count(distinct request_key) as observed_request_count,
        count(distinct request_key) filter (where is_failed) as failed_request_count,
        count(distinct request_key) filter (where is_billable_failure)
            as billable_failed_request_count,
        sum(quantity) as observed_quantity,
        sum(unpriced_quantity) as unpriced_quantity,
        {{ to_money('coalesce(sum(cost_usd), 0)') }} as observed_usd,
        sum(corrected_quantity) as clock_corrected_quantity,
        sum(corrected_unpriced_quantity) as clock_corrected_unpriced_quantity,
        {{ to_money('coalesce(sum(corrected_cost_usd), 0)') }} as clock_corrected_observed_usd
    from as_logged_and_corrected
    group by all

)

select * from aggregated
