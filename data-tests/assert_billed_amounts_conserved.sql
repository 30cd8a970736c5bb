-- Nothing lost between staging and the ledger: per provider and period, the valid billed
-- amounts staged from the cost exports, FOCUS rows, AWS CUR 2.0 Bedrock lines, Azure OpenAI
-- cost details, Google billing export Vertex AI rows and their credits[] (one row per credit:
-- int_google_billing_credits_unnested) and invoice non-usage lines (in USD at the period's
-- rate) equal the billed amount of the reconciliation's non-rounding lines before any close
-- (int_reconciliation_line_tiers).
-- Quarantined and superseded rows are the rest of what landed; the
-- quarantined_records_are_listed tests check they stay visible.
with

staged as (

    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
        currency_code,
        amount
    from {{ ref('stg_openai__costs') }}
    where record_status = 'valid'
    union all
    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        currency_code,
        amount
    from {{ ref('stg_anthropic__cost_report') }}
    where record_status = 'valid'
    union all
    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        currency_code,
        billed_cost
    from {{ ref('stg_focus__cost_and_usage') }}
    where record_status = 'valid' and not is_other_service
    union all
    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        currency_code,
        unblended_cost
    from {{ ref('stg_aws__cur2_cost_and_usage') }}
    where record_status = 'valid' and is_bedrock
    union all
    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        currency_code,
        cost_in_billing_currency
    from {{ ref('stg_azure__cost_details') }}
    where record_status = 'valid' and is_azure_openai
    union all
    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        currency_code,
        cost
    from {{ ref('stg_google__billing_export') }}
    where record_status = 'valid' and is_vertex_ai
    union all
    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        currency_code,
        credit_amount
    from {{ ref('int_google_billing_credits_unnested') }}
    union all
    select
        provider,
        coalesce(corrects_period, billing_period),
        currency_code,
        amount
    from {{ ref('stg_invoices__invoice_lines') }}
    where record_status = 'valid' and line_type != 'usage'

),

staged_usd as (

    select
        staged.provider,
        staged.billing_period,
        sum(staged.amount / fx_rates.units_per_usd) as staged_usd
    from staged
    left join {{ ref('int_fx_rates') }} as fx_rates
        on
            staged.billing_period = fx_rates.period
            and staged.currency_code = fx_rates.currency_code
    group by staged.provider, staged.billing_period

),

ledger as (

    select
        provider,
        billing_period,
        sum(billed_usd) as ledger_usd
    from {{ ref('int_reconciliation_line_tiers') }}
    where line_type != 'rounding'
    group by provider, billing_period

)

select
    coalesce(staged_usd.provider, ledger.provider) as provider,
    coalesce(staged_usd.billing_period, ledger.billing_period) as billing_period,
    staged_usd.staged_usd,
    ledger.ledger_usd
from staged_usd
full outer join ledger
    on
        staged_usd.provider = ledger.provider
        and staged_usd.billing_period = ledger.billing_period
where abs(coalesce(staged_usd.staged_usd, 0) - coalesce(ledger.ledger_usd, 0)) > 0.000001
