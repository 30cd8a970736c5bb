-- One row per chargeback ledger row, in FOCUS 1.2 shape so FinOps tools can read the
-- reconciled, allocated ledger: FOCUS column names and allowed values (ChargeCategory
-- Usage/Credit/Tax/Adjustment/Purchase, ChargeClass NULL or Correction), project extras
-- prefixed x_. BilledCost is the cent-exact posted amount; an allocation row carries the
-- owner's share of usage and of the invoice's other lines, so its category is Usage.
{{ config(materialized='view') }}

with

ledger as (

    select * from {{ ref('fct_chargeback_ledger') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

ledger_periods as (

    select
        *,
        cast(billing_period || '-01' as date) as period_start,
        -- The next month's first day as a TIMESTAMP, as the contract publishes it.
        cast(cast(billing_period || '-01' as date) + interval 1 month as timestamp) as period_end
    from ledger

),

final as (

    select
        ledger.chargeback_line_id as x_chargeback_line_id,
        ledger.posted_amount as {{ adapter.quote('BilledCost') }},
        ledger.posted_amount as {{ adapter.quote('EffectiveCost') }},
        ledger.reporting_currency as {{ adapter.quote('BillingCurrency') }},
        ledger.period_start as {{ adapter.quote('BillingPeriodStart') }},
        ledger.period_end as {{ adapter.quote('BillingPeriodEnd') }},
        ledger.period_start as {{ adapter.quote('ChargePeriodStart') }},
        ledger.period_end as {{ adapter.quote('ChargePeriodEnd') }},
        'Usage' as {{ adapter.quote('ChargeCategory') }},
        cast(null as string) as {{ adapter.quote('ChargeClass') }},
        'Reconciled AI API spend allocated to ' || ledger.team || ' (' || ledger.environment
        || ')' as {{ adapter.quote('ChargeDescription') }},
        'Recurring' as {{ adapter.quote('ChargeFrequency') }},
        ledger.provider as {{ adapter.quote('ProviderName') }},
        ledger.provider as {{ adapter.quote('PublisherName') }},
        ledger.provider as {{ adapter.quote('InvoiceIssuerName') }},
        coalesce(billing_policy.billing_account_id, ledger.provider)
            as {{ adapter.quote('BillingAccountId') }},
        billing_policy.billing_account_name as {{ adapter.quote('BillingAccountName') }},
        'AI and Machine Learning' as {{ adapter.quote('ServiceCategory') }},
        'Generative AI' as {{ adapter.quote('ServiceSubcategory') }},
        ledger.cost_center as x_cost_center,
        ledger.team as x_team,
        ledger.environment as x_environment,
        ledger.exact_amount as x_exact_amount,
        ledger.is_unallocated as x_is_unallocated
    from ledger_periods as ledger
    left join billing_policy
        on ledger.provider = billing_policy.provider

)

select * from final
