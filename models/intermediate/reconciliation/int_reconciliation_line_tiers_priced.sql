-- One row per period x provider x billing account x project/workspace x model x usage type
-- x line type x service tier (after relabelling): the prices the attribution steps of
-- int_reconciliation_line_tiers work with. The contract volume tier in force and the
-- account's quantity in the period (to tell whether the tier was crossed); what the
-- provider billed to keys no telemetry named, priced; the observable part of the line
-- (billed and provider quantity without those keys); and the two unit rates: what the
-- provider charged per observable unit, and what telemetry cost per priced unit after the
-- clock correction.
with

line_tiers as (

    select * from {{ ref('int_reconciliation_line_tiers_relabelled') }}

),

volume_tiers as (

    select * from {{ ref('stg_config__contract_volume_tiers') }}

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
        {{ star_except(none, ['unobserved_key_usd']) }},
        case
            when unobserved_key_usd != 0 then unobserved_key_usd
            when unobserved_key_quantity > 0 and provider_quantity > 0
                then cast(
                    billed_usd * unobserved_key_quantity / provider_quantity as {{ money_type() }}
                )
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

    select
        *,
        case
            when has_billed and observable_provider_quantity > 0
                then cast(
                    observable_billed_usd / observable_provider_quantity as {{ unit_rate_type() }}
                )
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

)

select * from unit_rates
