{{ config(materialized='table') }}

-- One row per period x provider x billing account x project/workspace x model x usage type
-- x line type x service tier: billed vs observed with the variance attributed, in amounts,
-- to the contract's categories by counterfactual re-bucketing and re-pricing (DECISIONLOG
-- "Variance attribution"). Steps run in order and each takes its share of what is left:
--   1 timing_window          observed re-bucketed with the measured telemetry clock offset
--   2 cache_pricing          cache-read tokens the provider billed but telemetry counted as
--                            fresh input, re-priced at both rates
--   3 unbilled_usage         observed usage in a tier/line the provider did not bill
--   4 missing_telemetry      billed, nothing observed; and on an instrumented line, what
--                            the provider billed to API keys no telemetry named (a key
--                            that bypasses the gateway), taken out before steps 5-7
--   5 unpriced_model         unpriced observed quantity re-priced at the provider's rate
--   6 rate effect            observed quantity x (provider rate - our rate): service tier or
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
with

billed_by_key as (

    select * from {{ ref('int_billed_lines_aggregated_to_line_tier_grain') }}

),

observed_days as (

    select * from {{ ref('int_usage_request_lines_aggregated_to_day') }}

),

observed as (

    select * from {{ ref('int_observed_costs_aggregated_to_line_tier_grain') }}

),

reported_usage as (

    select * from {{ ref('int_provider_usage_reported_daily') }}

),

volume_tiers as (

    select * from {{ ref('stg_config__contract_volume_tiers') }}

),

{%- set line_tier = line_grain_columns(['service_tier']) %}
{%- set project = ['billing_period', 'provider', 'billing_account_id', 'project_key'] %}

observed_keys as (

    select distinct
        {{ project | join(',\n        ') }},
        api_key_id
    from observed_days
    where api_key_id is not null

),

projects_with_unkeyed_telemetry as (

    -- Telemetry that names no provider key: on such a project a billed key cannot be told
    -- apart from the traffic that carried no key, so none counts as unobserved.
    select distinct {{ project | join(', ') }}
    from observed_days
    where api_key_id is null

),

unobserved_keys as (

    -- The rule, once: a provider key the provider bills or reports on a project in a
    -- period, that no telemetry of the project named, on a project whose telemetry names
    -- keys.
    select provider_keys.*
    from (
        select
            {{ project | join(',\n            ') }},
            api_key_id
        from billed_by_key
        where line_type = 'usage' and api_key_id is not null
        union
        select
            {{ project | join(',\n            ') }},
            api_key_id
        from reported_usage
        where api_key_id is not null
    ) as provider_keys
    left join observed_keys
        on
            {{ join_on_columns('provider_keys', 'observed_keys', project) }}
            and provider_keys.api_key_id = observed_keys.api_key_id
    left join projects_with_unkeyed_telemetry
        on {{ join_on_columns('provider_keys', 'projects_with_unkeyed_telemetry', project) }}
    where
        observed_keys.api_key_id is null
        and projects_with_unkeyed_telemetry.project_key is null

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
        coalesce(sum(billed_usd) filter (where is_unobserved_key), 0) as unobserved_key_usd,
        coalesce(sum(billed_quantity) filter (where is_unobserved_key), 0)
            as unobserved_key_billed_quantity,
        string_agg(api_key_id, ', ' order by api_key_id) filter (where is_unobserved_key)
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
        string_agg(api_key_id, ', ' order by api_key_id) filter (where is_unobserved_key)
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
        billed.billed_quantity,
        coalesce(billed.unobserved_key_usd, 0) as unobserved_key_usd,
        coalesce(billed.unobserved_key_billed_quantity, 0) as unobserved_key_billed_quantity,
        billed.unobserved_billed_api_keys,
        coalesce(observed.observed_usd, 0) as observed_usd,
        coalesce(observed.observed_quantity, 0) as observed_quantity,
        coalesce(observed.clock_corrected_observed_usd, 0) as clock_corrected_observed_usd,
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
        sides.*,
        coalesce(reported_by_line_tier.reported_quantity, sides.billed_quantity)
            as provider_quantity,
        -- Like provider_quantity: the provider's reported quantities by key, else the
        -- billed ones.
        case
            when reported_by_line_tier.reported_quantity is not null
                then reported_by_line_tier.unobserved_key_quantity
            else sides.unobserved_key_billed_quantity
        end as unobserved_key_quantity,
        coalesce(
            reported_by_line_tier.unobserved_api_keys, sides.unobserved_billed_api_keys
        ) as unobserved_api_keys
    from sides
    left join reported_by_line_tier
        on
            {{ join_on_columns('sides', 'reported_by_line_tier', line_tier) }}
            and sides.line_type = 'usage'

),

tier_flags as (

    -- Telemetry that claims a tier the provider neither billed nor reported, on a line
    -- whose only other unmatched tier is billed with nothing observed, was logged with the
    -- wrong tier (e.g. batch jobs sent without the batch flag): it is matched to that tier.
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
        sum(provider_quantity) as provider_quantity,
        sum(unobserved_key_usd) as unobserved_key_usd,
        sum(unobserved_key_quantity) as unobserved_key_quantity,
        string_agg(unobserved_api_keys, ', ' order by unobserved_api_keys) as unobserved_api_keys,
        sum(observed_usd) as observed_usd,
        sum(observed_quantity) as observed_quantity,
        sum(clock_corrected_observed_usd) as clock_corrected_observed_usd,
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

),

with_volume_tiers as (

    select
        line_tiers.*,
        volume_tiers.volume_tier_id,
        volume_tiers.threshold_quantity_per_period,
        sum(line_tiers.provider_quantity) over (
            partition by
                line_tiers.billing_period, line_tiers.provider, line_tiers.billing_account_id,
                line_tiers.model_key, line_tiers.usage_type
        ) as account_period_quantity
    from line_tiers
    left join volume_tiers
        on
            line_tiers.provider = volume_tiers.provider
            and line_tiers.billing_account_id = volume_tiers.billing_account_id
            and line_tiers.model_key = volume_tiers.model_id
            and line_tiers.usage_type = volume_tiers.usage_type
            and cast(line_tiers.billing_period || '-01' as date) >= volume_tiers.valid_from
            and cast(line_tiers.billing_period || '-01' as date) < volume_tiers.valid_to

),

unobserved_keys_priced as (

    -- What the provider billed to keys no telemetry named: as billed where the cost export
    -- names keys (OpenAI), else their reported quantity at the line's billed rate (the
    -- Anthropic usage report names keys, its cost report does not).
    select
        * exclude (unobserved_key_usd),
        case
            when unobserved_key_usd != 0 then unobserved_key_usd
            when unobserved_key_quantity > 0 and provider_quantity > 0
                then cast(billed_usd * unobserved_key_quantity / provider_quantity as {{ money_type() }})
            else 0
        end as unobserved_key_usd
    from with_volume_tiers

),

observable as (

    -- Usage of keys no telemetry named is left out of the rate and volume steps (it is
    -- missing telemetry, step 4), so it cannot pass for failed requests or a rate
    -- difference.
    select
        *,
        billed_usd - unobserved_key_usd as observable_billed_usd,
        provider_quantity - unobserved_key_quantity as observable_provider_quantity
    from unobserved_keys_priced

),

unit_rates as (

    -- The two rates the steps price with: what the provider charged per unit of the
    -- observable quantity, and what telemetry cost per priced unit after the clock
    -- correction.
    select
        *,
        case
            when has_billed and observable_provider_quantity > 0
                then cast(observable_billed_usd / observable_provider_quantity as {{ unit_rate_type() }})
        end as provider_unit_rate,
        case
            when clock_corrected_quantity > clock_corrected_unpriced_quantity
                then cast(
                    clock_corrected_observed_usd
                    / (clock_corrected_quantity - clock_corrected_unpriced_quantity)
                    as {{ unit_rate_type() }}
                )
        end as observed_unit_rate
    from observable

),

step_1_timing_window as (

    -- Observed usage re-bucketed with the measured telemetry clock offset.
    select
        *,
        case when line_type = 'usage' then clock_corrected_observed_usd - observed_usd else 0 end
            as timing_window_usd
    from unit_rates

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
                                    least(clock_corrected_unpriced_quantity, observable_provider_quantity)
                                    * provider_unit_rate
                            else observable_billed_usd - adjusted_observed_usd
                        end
                else 0
            end
            as {{ money_type() }}
        ) as unpriced_model_usd
    from step_4_missing_telemetry

),

step_6_rate_effect as (

    -- Observed quantity x (provider rate - our rate): service tier or batch when
    -- telemetry carried the wrong tier, tier_breakpoint when a contract volume tier was
    -- crossed.
    select
        *,
        case
            when is_billed_and_observed and provider_unit_rate is not null
                then cast(
                    adjusted_quantity * provider_unit_rate - adjusted_observed_usd - unpriced_model_usd
                    as {{ money_type() }}
                )
            else 0
        end as rate_effect_usd
    from step_5_unpriced_model

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
        case when line_type = 'rounding' then billed_usd else 0 end as fx_rounding_usd
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
        has_billed,
        has_observed,
        is_tier_relabelled
    from attributed

)

select * from final
