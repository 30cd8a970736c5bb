-- One row per period x provider x billing account x project/workspace x model x usage type
-- x line type x service tier as billed or observed: the billed lines, the observed costs
-- and the provider's own reported quantities side by side, each tier as its side labelled
-- it (int_reconciliation_line_tiers_relabelled then matches a tier telemetry mislabelled).
-- What the provider billed or reported for keys no telemetry named (int_api_keys_unobserved)
-- is carried separately, so the attribution can take it out of the rate and volume steps.
{%- set line_tier = line_grain_columns(['service_tier']) %}
{%- set project = ['billing_period', 'provider', 'billing_account_id', 'project_key'] %}
with

billed_by_key as (

    select * from {{ ref('int_billed_lines_aggregated_to_line_tier_grain') }}

),

observed as (

    select * from {{ ref('int_observed_costs_aggregated_to_line_tier_grain') }}

),

reported_usage as (

    select * from {{ ref('int_provider_usage_reported_daily') }}

),

unobserved_keys as (

    select * from {{ ref('int_api_keys_unobserved') }}

),

billed_keys as (

    select
        billed_by_key.*,
        billed_by_key.line_type = 'usage' and unobserved_keys.api_key_id is not null
            as is_unobserved_key
    from billed_by_key
    left join unobserved_keys
        on
            {{ join_on_columns('billed_by_key', 'unobserved_keys', project) }}
            and billed_by_key.api_key_id = unobserved_keys.api_key_id

),

billed as (

    select
        {{ line_tier | join(',\n        ') }},
        line_type,
        max(corrects_period) as corrects_period,
        sum(billed_quantity) as billed_quantity,
        sum(billed_usd) as billed_usd,
        sum(billed_inference_geo_uplift_usd) as billed_inference_geo_uplift_usd,
        coalesce(sum(billed_usd) filter (where is_unobserved_key), 0) as unobserved_key_usd,
        coalesce(sum(billed_quantity) filter (where is_unobserved_key), 0)
            as unobserved_key_billed_quantity,
        {{ ordered_string_agg('api_key_id', "', '", filter='is_unobserved_key') }}
            as unobserved_billed_api_keys
    from billed_keys
    group by all

),

reported_keys as (

    -- The provider's own quantities by key (OpenAI costs, the Anthropic usage report).
    select
        reported_usage.*,
        unobserved_keys.api_key_id is not null as is_unobserved_key
    from reported_usage
    left join unobserved_keys
        on
            {{ join_on_columns('reported_usage', 'unobserved_keys', project) }}
            and reported_usage.api_key_id = unobserved_keys.api_key_id

),

reported_by_line_tier as (

    select
        {{ line_tier | join(',\n        ') }},
        sum(reported_quantity) as reported_quantity,
        coalesce(sum(reported_quantity) filter (where is_unobserved_key), 0)
            as unobserved_key_quantity,
        {{ ordered_string_agg('api_key_id', "', '", filter='is_unobserved_key') }}
            as unobserved_api_keys
    from reported_keys
    group by all

),

sides as (

    select
        {% for column in line_tier -%}
            coalesce(billed.{{ column }}, observed.{{ column }}) as {{ column }},
        {% endfor -%}
        coalesce(billed.line_type, 'usage') as line_type,
        billed.corrects_period,
        coalesce(billed.billed_usd, 0) as billed_usd,
        coalesce(billed.billed_inference_geo_uplift_usd, 0) as billed_inference_geo_uplift_usd,
        billed.billed_quantity,
        coalesce(billed.unobserved_key_usd, 0) as unobserved_key_usd,
        coalesce(billed.unobserved_key_billed_quantity, 0) as unobserved_key_billed_quantity,
        billed.unobserved_billed_api_keys,
        coalesce(observed.observed_usd, 0) as observed_usd,
        coalesce(observed.observed_quantity, 0) as observed_quantity,
        coalesce(observed.clock_corrected_observed_usd, 0) as clock_corrected_observed_usd,
        coalesce(observed.clock_corrected_inference_geo_uplift_usd, 0)
            as clock_corrected_inference_geo_uplift_usd,
        coalesce(observed.clock_moved_in_usd, 0) as clock_moved_in_usd,
        coalesce(observed.clock_moved_out_usd, 0) as clock_moved_out_usd,
        coalesce(observed.clock_corrected_quantity, 0) as clock_corrected_quantity,
        coalesce(observed.clock_corrected_unpriced_quantity, 0)
            as clock_corrected_unpriced_quantity,
        coalesce(observed.unpriced_quantity, 0) as unpriced_quantity,
        coalesce(observed.observed_request_count, 0) as observed_request_count,
        coalesce(observed.failed_request_count, 0) as failed_request_count,
        coalesce(observed.billable_failed_request_count, 0) as billable_failed_request_count,
        billed.billing_period is not null as has_billed,
        coalesce(observed.observed_quantity + observed.clock_corrected_quantity, 0) > 0
            as has_observed
    from billed
    full outer join observed
        on
            {{ join_on_columns('billed', 'observed', line_tier) }}
            and billed.line_type = 'usage'

),

joined as (

    select
        {% for column in line_tier -%}
            sides.{{ column }},
        {% endfor -%}
        sides.line_type,
        sides.corrects_period,
        sides.billed_usd,
        sides.billed_inference_geo_uplift_usd,
        coalesce(reported_by_line_tier.reported_quantity, sides.billed_quantity)
            as provider_quantity,
        sides.unobserved_key_usd,
        -- Like provider_quantity: the provider's reported quantities by key, else the
        -- billed ones.
        case
            when reported_by_line_tier.reported_quantity is not null
                then reported_by_line_tier.unobserved_key_quantity
            else sides.unobserved_key_billed_quantity
        end as unobserved_key_quantity,
        coalesce(
            reported_by_line_tier.unobserved_api_keys, sides.unobserved_billed_api_keys
        ) as unobserved_api_keys,
        sides.observed_usd,
        sides.observed_quantity,
        sides.clock_corrected_observed_usd,
        sides.clock_corrected_inference_geo_uplift_usd,
        sides.clock_moved_in_usd,
        sides.clock_moved_out_usd,
        sides.clock_corrected_quantity,
        sides.clock_corrected_unpriced_quantity,
        sides.unpriced_quantity,
        sides.observed_request_count,
        sides.failed_request_count,
        sides.billable_failed_request_count,
        sides.has_billed,
        sides.has_observed
    from sides
    left join reported_by_line_tier
        on
            {{ join_on_columns('sides', 'reported_by_line_tier', line_tier) }}
            and sides.line_type = 'usage'

)

select * from joined
