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

final as (

    select
        ledger.chargeback_line_id as x_chargeback_line_id,
        ledger.posted_amount as "BilledCost",
        ledger.posted_amount as "EffectiveCost",
        ledger.reporting_currency as "BillingCurrency",
        cast(ledger.billing_period || '-01' as date) as "BillingPeriodStart",
        cast(ledger.billing_period || '-01' as date) + interval 1 month as "BillingPeriodEnd",
        cast(ledger.billing_period || '-01' as date) as "ChargePeriodStart",
        cast(ledger.billing_period || '-01' as date) + interval 1 month as "ChargePeriodEnd",
        'Usage' as "ChargeCategory",
        cast(null as varchar) as "ChargeClass",
        'Reconciled AI API spend allocated to ' || ledger.team || ' (' || ledger.environment
        || ')' as "ChargeDescription",
        'Recurring' as "ChargeFrequency",
        ledger.provider as "ProviderName",
        ledger.provider as "PublisherName",
        ledger.provider as "InvoiceIssuerName",
        coalesce(billing_policy.billing_account_id, ledger.provider) as "BillingAccountId",
        billing_policy.billing_account_name as "BillingAccountName",
        'AI and Machine Learning' as "ServiceCategory",
        'Generative AI' as "ServiceSubcategory",
        ledger.cost_center as x_cost_center,
        ledger.team as x_team,
        ledger.environment as x_environment,
        ledger.exact_amount as x_exact_amount,
        ledger.is_unallocated as x_is_unallocated
    from ledger
    left join billing_policy
        on ledger.provider = billing_policy.provider

)

select * from final
