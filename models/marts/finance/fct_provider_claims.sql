-- One row per disputed reconciliation line: the claim against the provider with its
-- evidence and the provider credit that settles it (int_provider_claims_matched_to_credits,
-- where the match rule lives).
with

claims as (

    select * from {{ ref('int_provider_claims_matched_to_credits') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

final as (

    select
        claims.*,
        '{{ var("reporting_currency") }}' as reporting_currency,
        {{ to_reporting('claims.claimed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as claimed_reporting
    from claims
    left join fx_reporting
        on claims.billing_period = fx_reporting.period

)

select * from final
