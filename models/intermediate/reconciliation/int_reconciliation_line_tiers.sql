{{ config(materialized='table') }}

-- One row per period x provider x billing account x project/workspace x model x usage type
-- x line type x service tier: billed vs observed with the variance attributed, in amounts,
-- to the contract's categories by counterfactual re-bucketing and re-pricing (DECISIONLOG
-- "Variance attribution"). The line tiers come from int_reconciliation_line_tiers_priced
-- (billed, observed and reported sides joined, mislabelled tiers relabelled, unit rates).
-- Steps run in order and each takes its share of what is left:
--   1 timing_window          observed re-bucketed with the measured telemetry clock offset
--   2 cache_pricing          cache-read tokens the provider billed but telemetry counted as
--                            fresh input, re-priced at both rates
--   3 unbilled_usage         observed usage in a tier/line the provider did not bill
--   4 missing_telemetry      billed, nothing observed; and on an instrumented line, what
--                            the provider billed to API keys no telemetry named (a key
--                            that bypasses the gateway), taken out before steps 5-7
--   5 unpriced_model         unpriced observed quantity re-priced at the provider's rate
--   6 rate effect            observed quantity x (provider rate - our rate): first the
--                            inference geography's uplift the provider billed beyond what
--                            telemetry named (inference_geo_uplift), then service tier or
--                            batch when telemetry carried the wrong tier, tier_breakpoint
--                            when a contract volume tier was crossed
--   7 volume effect          (provider quantity - observed quantity) x provider rate:
--                            failed_request_billing when billable failures were logged
--                            (with the line's otherwise unexplained rate effect: requests
--                            logged without tokens change the line's rate mix)
-- Each step is a CTE named after it (step_1_timing_window ... step_7_failed_request_billing).
-- Non-usage lines take their category from the line type. The rest is unexplained, so
-- the categories always sum to the variance exactly.
-- A table: four marts and several tests read it, and a view would redo the attribution
-- (and the clock-offset fit under it) for each of them.
{#- Each category's two sides over the columns of attributed below
    (macros/variance_category_sides.sql). -#}
{%- set category_sides = variance_category_sides() %}
with

line_tiers_priced as (

    select * from {{ ref('int_reconciliation_line_tiers_priced') }}

),

step_1_timing_window as (

    -- Observed usage re-bucketed with the measured telemetry clock offset.
    select
        *,
        case when line_type = 'usage' then clock_corrected_observed_usd - observed_usd else 0 end
            as timing_window_usd
    from line_tiers_priced

),

step_2_cache_tokens_counted_as_input as (

    -- Cache reads the provider billed beyond what telemetry saw, matched by fresh input
    -- telemetry saw beyond what the provider billed, on the same line and tier.
    select
        *,
        least(
            coalesce(max(
                case
                    when usage_type = 'cache_read' and has_billed
                        then greatest(observable_provider_quantity - clock_corrected_quantity, 0)
                end
            ) over cache_siblings, 0),
            coalesce(max(
                case
                    when usage_type = 'input_uncached' and line_type = 'usage'
                        then greatest(
                            clock_corrected_quantity - coalesce(observable_provider_quantity, 0), 0
                        )
                end
            ) over cache_siblings, 0)
        ) as cache_tokens_counted_as_input
    from step_1_timing_window
    window cache_siblings as (
        partition by
            billing_period, provider, billing_account_id, project_key, model_key,
            service_tier, line_type
    )

),

step_2_cache_pricing as (

    -- Those tokens re-priced: at the provider's cache-read rate on the cache-read line,
    -- off the input line at the observed rate; the quantities move with them.
    select
        *,
        cast(
            case
                when usage_type = 'cache_read' and provider_unit_rate is not null
                    then cache_tokens_counted_as_input * provider_unit_rate
                when usage_type = 'input_uncached' and observed_unit_rate is not null
                    then -cache_tokens_counted_as_input * observed_unit_rate
                else 0
            end
            as {{ money_type() }}
        ) as cache_pricing_usd,
        clock_corrected_quantity + case
            when usage_type = 'cache_read' then cache_tokens_counted_as_input
            when usage_type = 'input_uncached' then -cache_tokens_counted_as_input
            else 0
        end as adjusted_quantity
    from step_2_cache_tokens_counted_as_input

),

step_3_unbilled_usage as (

    -- Observed usage on a line tier the provider did not bill.
    select
        *,
        clock_corrected_observed_usd + cache_pricing_usd as adjusted_observed_usd,
        -- a usage line both sides have quantity on: what steps 5-7 compare
        line_type = 'usage' and has_billed and adjusted_quantity > 0 as is_billed_and_observed,
        cast(
            case
                when line_type = 'usage' and not has_billed
                    then -(clock_corrected_observed_usd + cache_pricing_usd)
                else 0
            end
            as {{ money_type() }}
        ) as unbilled_usage_usd
    from step_2_cache_pricing

),

step_4_missing_telemetry as (

    -- Billed with nothing observed; and on an observed line, what the provider billed to
    -- keys no telemetry named.
    select
        *,
        cast(
            case
                when
                    line_type = 'usage' and has_billed and adjusted_quantity <= 0
                    and adjusted_observed_usd = 0
                    then billed_usd
                when line_type = 'usage' and has_billed then unobserved_key_usd
                else 0
            end
            as {{ money_type() }}
        ) as missing_telemetry_usd
    from step_3_unbilled_usage

),

step_5_unpriced_model as (

    -- Unpriced observed quantity at the provider's rate (else what the provider billed
    -- beyond the priced part).
    select
        *,
        cast(
            case
                when is_billed_and_observed and clock_corrected_unpriced_quantity > 0
                    then
                        case
                            when provider_unit_rate is not null
                                then
                                    least(
                                        clock_corrected_unpriced_quantity,
                                        observable_provider_quantity
                                    )
                                    * provider_unit_rate
                            else observable_billed_usd - adjusted_observed_usd
                        end
                else 0
            end
            as {{ money_type() }}
        ) as unpriced_model_usd
    from step_4_missing_telemetry

),

step_6_inference_geo_uplift as (

    -- The uplift the provider billed for an inference geography (US-only at 1.1x) less the
    -- uplift telemetry priced where it named the geography: the part of the rate effect
    -- a geography explains (both sides priced; an unpriced model's line is step 5's).
    select
        *,
        is_billed_and_observed and provider_unit_rate is not null
        and clock_corrected_unpriced_quantity = 0 as is_geo_uplift_line,
        case
            when
                is_billed_and_observed and provider_unit_rate is not null
                and clock_corrected_unpriced_quantity = 0
                then cast(
                    coalesce(billed_inference_geo_uplift_usd, 0)
                    - coalesce(clock_corrected_inference_geo_uplift_usd, 0)
                    as {{ money_type() }}
                )
            else 0
        end as inference_geo_uplift_usd
    from step_5_unpriced_model

),

step_6_rate_effect as (

    -- Observed quantity x (provider rate - our rate) beyond the geography's uplift:
    -- service tier or batch when telemetry carried the wrong tier, tier_breakpoint when a
    -- contract volume tier was crossed.
    select
        *,
        case
            when is_billed_and_observed and provider_unit_rate is not null
                then cast(
                    adjusted_quantity * provider_unit_rate
                    - adjusted_observed_usd
                    - unpriced_model_usd
                    - inference_geo_uplift_usd
                    as {{ money_type() }}
                )
            else 0
        end as rate_effect_usd
    from step_6_inference_geo_uplift

),

step_6_rate_effect_categories as (

    select
        *,
        case when is_tier_relabelled then rate_effect_usd else 0 end
            as service_tier_or_batch_usd,
        case
            when
                not is_tier_relabelled and volume_tier_id is not null
                and account_period_quantity > threshold_quantity_per_period
                then rate_effect_usd
            else 0
        end as tier_breakpoint_usd
    from step_6_rate_effect

),

step_7_volume_effect as (

    -- (Provider quantity - observed quantity) x provider rate.
    select
        *,
        case
            when is_billed_and_observed and provider_unit_rate is not null
                then cast(
                    observable_billed_usd - adjusted_quantity * provider_unit_rate
                    as {{ money_type() }}
                )
            when is_billed_and_observed
                then cast(
                    observable_billed_usd - adjusted_observed_usd - unpriced_model_usd
                    as {{ money_type() }}
                )
            else 0
        end as volume_effect_usd
    from step_6_rate_effect_categories

),

step_7_failed_request_billing as (

    -- The volume effect is failed_request_billing when billable failures were logged.
    -- Failed requests logged without tokens also shift the line's rate mix (e.g. long
    -- context), so an otherwise unexplained rate effect goes with it.
    select
        *,
        case
            when billable_failed_request_count > 0 and volume_effect_usd > 0
                then volume_effect_usd + case
                    when
                        not is_tier_relabelled
                        and not coalesce(
                            account_period_quantity > threshold_quantity_per_period, false
                        )
                        then rate_effect_usd
                    else 0
                end
            else 0
        end as failed_request_billing_usd
    from step_7_volume_effect

),

attributed as (

    -- Non-usage lines take their category from the line type.
    select
        *,
        cast(billed_usd - observed_usd as {{ money_type() }}) as variance_usd,
        case when line_type = 'credit' then billed_usd else 0 end as credit_or_promo_usd,
        case when line_type in ('tax', 'fee') then billed_usd else 0 end as tax_or_fee_usd,
        case
            when line_type = 'adjustment' and corrects_period is not null then billed_usd
            else 0
        end as prior_period_correction_usd,
        case when line_type = 'rounding' then billed_usd else 0 end as fx_rounding_usd,
        -- The two sides of the rate effect (step 6): the observed quantity at the
        -- provider's rate and at ours (the unpriced part priced in step 5 and each side's
        -- geography uplift left out).
        case
            when is_billed_and_observed and provider_unit_rate is not null
                then cast(
                    adjusted_quantity * provider_unit_rate - unpriced_model_usd
                    - case
                        when is_geo_uplift_line then coalesce(billed_inference_geo_uplift_usd, 0)
                        else 0
                    end
                    as {{ money_type() }}
                )
            else 0
        end as rate_effect_billed_usd,
        case
            when is_billed_and_observed and provider_unit_rate is not null
                then cast(
                    adjusted_observed_usd - case
                        when is_geo_uplift_line
                            then coalesce(clock_corrected_inference_geo_uplift_usd, 0)
                        else 0
                    end
                    as {{ money_type() }}
                )
            else 0
        end as rate_effect_observed_usd,
        failed_request_billing_usd != 0
        and failed_request_billing_usd != volume_effect_usd
            as is_rate_effect_in_failed_requests
    from step_7_failed_request_billing

),

final as (

    select
        {{ surrogate_key([
            'billing_period', 'provider', 'billing_account_id', 'project_key', 'model_key',
            'usage_type', 'line_type'
        ]) }} as reconciliation_line_id,
        billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        usage_type,
        line_type,
        service_tier,
        corrects_period,
        volume_tier_id,
        billed_usd,
        observed_usd,
        variance_usd,
        provider_quantity,
        observed_quantity,
        clock_corrected_quantity,
        unpriced_quantity,
        observed_request_count,
        failed_request_count,
        billable_failed_request_count,
        provider_unit_rate,
        observed_unit_rate,
        cache_tokens_counted_as_input,
        timing_window_usd,
        cache_pricing_usd,
        tier_breakpoint_usd,
        service_tier_or_batch_usd,
        failed_request_billing_usd,
        credit_or_promo_usd,
        prior_period_correction_usd,
        tax_or_fee_usd,
        fx_rounding_usd,
        unpriced_model_usd,
        inference_geo_uplift_usd,
        missing_telemetry_usd,
        unobserved_api_keys,
        unbilled_usage_usd,
        -- the remainder: the variance less every attributed category
        cast(
            variance_usd
            {%- for category in variance_category_names() if category != 'unexplained' %}
                - {{ category }}_usd
            {%- endfor %}
            as {{ money_type() }}
        ) as unexplained_usd,
        -- What each side says for each category (DECISIONLOG "The memo adds up"):
        -- <category>_billed_usd - <category>_observed_usd = <category>_usd.
        {%- for category in variance_category_names() %}
            {{ to_money(category_sides[category][0]) }} as {{ category }}_billed_usd,
            {{ to_money(category_sides[category][1]) }} as {{ category }}_observed_usd,
        {%- endfor %}
        has_billed,
        has_observed,
        is_tier_relabelled
    from attributed

)

select * from final
