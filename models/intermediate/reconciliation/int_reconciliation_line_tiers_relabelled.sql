-- One row per period x provider x billing account x project/workspace x model x usage type
-- x line type x service tier, after relabelling: telemetry that claims a tier the provider
-- neither billed nor reported, on a line whose only other unmatched tier is billed with
-- nothing observed, was logged with the wrong tier (e.g. batch jobs sent without the batch
-- flag): it is matched to that tier, and the two rows become one (is_tier_relabelled).
with

joined as (

    select * from {{ ref('int_reconciliation_line_tiers_joined') }}

),

tier_flags as (

    select
        *,
        line_type = 'usage' and has_observed and not has_billed
        and coalesce(provider_quantity, 0) = 0 as is_observed_only_tier,
        line_type = 'usage' and has_billed and not has_observed as is_billed_only_tier
    from joined

),

tier_mismatches as (

    select
        {{ line_grain_columns() | join(',\n        ') }},
        max(service_tier) filter (where is_billed_only_tier) as billed_only_tier
    from tier_flags
    where line_type = 'usage'
    group by all
    having
        count(*) filter (where is_observed_only_tier) = 1
        and count(*) filter (where is_billed_only_tier) = 1

),

relabelled as (

    select
        tier_flags.*,
        tier_flags.is_observed_only_tier and tier_mismatches.billed_only_tier is not null
            as is_tier_relabelled,
        case
            when tier_flags.is_observed_only_tier and tier_mismatches.billed_only_tier is not null
                then tier_mismatches.billed_only_tier
            else tier_flags.service_tier
        end as resolved_service_tier
    from tier_flags
    left join tier_mismatches
        on {{ join_on_columns('tier_flags', 'tier_mismatches', line_grain_columns()) }}

),

line_tiers as (

    select
        {{ line_grain_columns() | join(',\n        ') }},
        line_type,
        resolved_service_tier as service_tier,
        max(corrects_period) as corrects_period,
        sum(billed_usd) as billed_usd,
        sum(billed_inference_geo_uplift_usd) as billed_inference_geo_uplift_usd,
        sum(provider_quantity) as provider_quantity,
        sum(unobserved_key_usd) as unobserved_key_usd,
        sum(unobserved_key_quantity) as unobserved_key_quantity,
        {{ ordered_string_agg('unobserved_api_keys', "', '") }} as unobserved_api_keys,
        sum(observed_usd) as observed_usd,
        sum(observed_quantity) as observed_quantity,
        sum(clock_corrected_observed_usd) as clock_corrected_observed_usd,
        sum(clock_corrected_inference_geo_uplift_usd) as clock_corrected_inference_geo_uplift_usd,
        sum(clock_moved_in_usd) as clock_moved_in_usd,
        sum(clock_moved_out_usd) as clock_moved_out_usd,
        sum(clock_corrected_quantity) as clock_corrected_quantity,
        sum(clock_corrected_unpriced_quantity) as clock_corrected_unpriced_quantity,
        sum(unpriced_quantity) as unpriced_quantity,
        sum(observed_request_count) as observed_request_count,
        sum(failed_request_count) as failed_request_count,
        sum(billable_failed_request_count) as billable_failed_request_count,
        bool_or(has_billed) as has_billed,
        bool_or(has_observed) as has_observed,
        bool_or(is_tier_relabelled) as is_tier_relabelled
    from relabelled
    group by all

)

select * from line_tiers
