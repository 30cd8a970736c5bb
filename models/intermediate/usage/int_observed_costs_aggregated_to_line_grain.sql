-- One row per period x provider x billing account x project x model x usage type of
-- observed (telemetry, priced by this project) cost. Unpriced quantities are kept and
-- counted; their cost stays NULL in observed_usd only if nothing on the line is priced.
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
        requests.provider,
        requests.billing_account_id,
        coalesce(request_lines.project_id, '(none)') as project_key,
        coalesce(request_lines.model_id, request_lines.model_name, '(none)') as model_key,
        request_lines.usage_type,
        request_lines.quantity,
        request_lines.cost_usd,
        request_lines.is_priced,
        request_lines.request_key
    from request_lines
    inner join requests
        on request_lines.request_key = requests.request_key

),

aggregated as (

    select
        billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        usage_type,
        count(distinct request_key) as observed_request_count,
        sum(quantity) as observed_quantity,
        sum(quantity) filter (where not is_priced) as unpriced_quantity,
        {{ to_money('coalesce(sum(cost_usd), 0)') }} as observed_usd
    from joined
    group by billing_period, provider, billing_account_id, project_key, model_key, usage_type

)

select * from aggregated
