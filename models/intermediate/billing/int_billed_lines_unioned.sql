{{ config(materialized='table') }}

-- One row per valid provider billed line (cost exports, FOCUS rows, AWS CUR 2.0 Bedrock
-- line items, Azure OpenAI cost-details rows, Google Cloud Billing export Vertex AI rows and
-- their credits, invoice non-usage lines) plus one invoice_rounding line per provider and
-- period where the invoice's usage subtotal differs from the cost export it summarizes.
-- Billed total per period therefore equals the invoice total (DECISIONLOG 2026-11-22). The
-- difference is taken in USD, each side converted at its own currency's rate for the
-- period, and booked in USD: an invoice in EUR is never netted against a cost export in
-- USD as if both were EUR.
-- A table: the billed aggregate, the provider's reported usage, fct_billed_lines and
-- fct_recharge_ledger read it; a view would parse the cost exports and resolve every model
-- name again for each (on Spark, int_reconciliation_line_tiers then took 83 s, not 9 s).
with

openai_costs as (

    select * from {{ ref('stg_openai__costs') }}

),

anthropic_costs as (

    select * from {{ ref('stg_anthropic__cost_report') }}

),

focus_rows as (

    select * from {{ ref('stg_focus__cost_and_usage') }}

),

aws_cur2_rows as (

    select * from {{ ref('stg_aws__cur2_cost_and_usage') }}

),

azure_cost_details as (

    select * from {{ ref('stg_azure__cost_details') }}

),

google_billing_rows as (

    select * from {{ ref('stg_google__billing_export') }}

),

google_billing_credits as (

    select * from {{ ref('int_google_billing_credits_unnested') }}

),

invoice_lines as (

    select * from {{ ref('stg_invoices__invoice_lines') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates') }}

),

price_rows as (

    select * from {{ ref('int_price_rows_effective') }}

),

per_second_usage_types as (

    -- What a model's seconds are (audio_seconds for a transcription model, video_seconds
    -- for a video model): the usage type the price book prices in seconds for it, and
    -- whether the book prices the model in seconds only (a video model).
    select
        provider,
        model_id,
        min(usage_type) filter (where unit = 'seconds') as usage_type,
        count(*) filter (where unit != 'seconds') = 0 as is_priced_in_seconds_only
    from price_rows
    group by provider, model_id

),

cost_export_lines as (

    select
        cost_line_id as billed_line_id,
        'openai_costs' as billed_source,
        provider,
        project_id,
        api_key_id,
        model_name,
        usage_type,
        service_tier,
        cast(null as string) as inference_geo,
        'usage' as line_type,
        currency_code,
        amount,
        quantity,
        usage_date,
        cast(null as string) as corrects_period
    from openai_costs
    where record_status = 'valid'

    union all

    select
        cost_line_id as billed_line_id,
        'anthropic_cost_report' as billed_source,
        provider,
        coalesce(workspace_id, 'default_workspace') as project_id,
        cast(null as string) as api_key_id,
        model_name,
        usage_type,
        service_tier,
        -- where inference ran (us: a multiple of list, inference_geo_multiplier)
        inference_geo,
        'usage' as line_type,
        currency_code,
        amount,
        null as quantity,
        usage_date,
        null as corrects_period
    from anthropic_costs
    where record_status = 'valid'

    union all

    -- FOCUS: the project is the AWS member account, the Azure OpenAI resource or the Google
    -- Cloud project (stg_focus__cost_and_usage); other Azure and Google services are not AI.
    select
        focus_line_id as billed_line_id,
        'focus' as billed_source,
        provider,
        project_id,
        cast(null as string) as api_key_id,
        model_name,
        usage_type,
        service_tier,
        cast(null as string) as inference_geo,
        case
            when charge_category = 'Usage' then 'usage'
            when charge_category = 'Tax' then 'tax'
            when charge_category = 'Credit' then 'credit'
            else 'adjustment'
        end as line_type,
        currency_code,
        billed_cost as amount,
        quantity,
        usage_date,
        null as corrects_period
    from focus_rows
    where record_status = 'valid' and not is_other_service

    union all

    -- AWS CUR 2.0: Bedrock's line items; the member account is the project, the IAM
    -- principal that called Bedrock the key.
    select
        cur_line_id as billed_line_id,
        'aws_cur2' as billed_source,
        provider,
        usage_account_id as project_id,
        iam_principal as api_key_id,
        model_name,
        usage_type,
        service_tier,
        cast(null as string) as inference_geo,
        line_type,
        currency_code,
        unblended_cost as amount,
        quantity,
        usage_date,
        null as corrects_period
    from aws_cur2_rows
    where record_status = 'valid' and is_bedrock

    union all

    -- Azure cost details: Azure OpenAI's rows; the Azure OpenAI resource (ResourceId) is the
    -- project, which a gateway mapping names for the deployments it serves. Azure bills no key.
    select
        cost_detail_line_id as billed_line_id,
        'azure_cost_details' as billed_source,
        provider,
        resource_id as project_id,
        cast(null as string) as api_key_id,
        model_name,
        usage_type,
        service_tier,
        cast(null as string) as inference_geo,
        line_type,
        currency_code,
        cost_in_billing_currency as amount,
        quantity,
        usage_date,
        null as corrects_period
    from azure_cost_details
    where record_status = 'valid' and is_azure_openai

    union all

    -- Google Cloud Billing export: Vertex AI's rows, before credits (cost); the Google Cloud
    -- project is the project. Google bills no key.
    select
        billing_line_id as billed_line_id,
        'google_billing_export' as billed_source,
        provider,
        project_id,
        cast(null as string) as api_key_id,
        model_name,
        usage_type,
        service_tier,
        cast(null as string) as inference_geo,
        line_type,
        currency_code,
        cost as amount,
        quantity,
        usage_date,
        null as corrects_period
    from google_billing_rows
    where record_status = 'valid' and is_vertex_ai

    union all

    -- ... and each row's credits[], a credit line apiece (negative amounts).
    select
        credit_line_id as billed_line_id,
        'google_billing_export' as billed_source,
        provider,
        project_id,
        cast(null as string) as api_key_id,
        model_name,
        'credit' as usage_type,
        'standard' as service_tier,
        cast(null as string) as inference_geo,
        'credit' as line_type,
        currency_code,
        credit_amount as amount,
        null as quantity,
        usage_date,
        null as corrects_period
    from google_billing_credits

),

invoice_extra_lines as (

    select
        invoice_line_key as billed_line_id,
        'invoice' as billed_source,
        provider,
        project_id,
        cast(null as string) as api_key_id,
        model_name,
        line_type as usage_type,
        'standard' as service_tier,
        cast(null as string) as inference_geo,
        line_type,
        currency_code,
        amount,
        quantity,
        cast(coalesce(corrects_period, billing_period) || '-01' as date) as usage_date,
        corrects_period
    from invoice_lines
    where record_status = 'valid' and line_type != 'usage'

),

invoice_usage_totals as (

    select
        invoice_lines.provider,
        invoice_lines.billing_period,
        {{ to_money(
            'sum(invoice_lines.amount * ' ~ to_unit_rate('1.0 / fx_rates.units_per_usd') ~ ')'
        ) }} as invoice_usage_usd
    from invoice_lines
    left join fx_rates
        on
            invoice_lines.billing_period = fx_rates.period
            and invoice_lines.currency_code = fx_rates.currency_code
    where invoice_lines.record_status = 'valid' and invoice_lines.line_type = 'usage'
    group by invoice_lines.provider, invoice_lines.billing_period

),

export_usage_totals as (

    select
        cost_export_lines.provider,
        {{ format_datetime('cost_export_lines.usage_date', '%Y-%m') }} as billing_period,
        {{ to_money(
            'sum(cost_export_lines.amount * ' ~ to_unit_rate('1.0 / fx_rates.units_per_usd') ~ ')'
        ) }} as export_usage_usd
    from cost_export_lines
    left join fx_rates
        on
            {{ format_datetime('cost_export_lines.usage_date', '%Y-%m') }} = fx_rates.period
            and cost_export_lines.currency_code = fx_rates.currency_code
    where cost_export_lines.line_type = 'usage'
    group by
        cost_export_lines.provider,
        {{ format_datetime('cost_export_lines.usage_date', '%Y-%m') }}

),

rounding_lines as (

    select
        {{ surrogate_key([
            'invoice_usage_totals.provider', 'invoice_usage_totals.billing_period',
            "'invoice_rounding'"
        ]) }} as billed_line_id,
        'invoice' as billed_source,
        invoice_usage_totals.provider,
        cast(null as string) as project_id,
        cast(null as string) as api_key_id,
        cast(null as string) as model_name,
        'invoice_rounding' as usage_type,
        'standard' as service_tier,
        cast(null as string) as inference_geo,
        'rounding' as line_type,
        'USD' as currency_code,
        invoice_usage_totals.invoice_usage_usd
        - coalesce(export_usage_totals.export_usage_usd, 0) as amount,
        cast(null as decimal(38, 6)) as quantity,
        cast(invoice_usage_totals.billing_period || '-01' as date) as usage_date,
        cast(null as string) as corrects_period
    from invoice_usage_totals
    left join export_usage_totals
        on
            invoice_usage_totals.provider = export_usage_totals.provider
            and invoice_usage_totals.billing_period = export_usage_totals.billing_period

),

unioned as (

    select * from cost_export_lines
    union all
    select * from invoice_extra_lines
    union all
    select * from rounding_lines

),

keyed as (

    select
        unioned.*,
        billing_policy.billing_account_id,
        {{ format_datetime('unioned.usage_date', '%Y-%m') }} as billing_period,
        coalesce(unioned.project_id, '(none)') as project_key,
        {{ canonical_model_key('unioned.provider', 'unioned.model_name', 'unioned.usage_date') }}
            as model_key
    from unioned
    left join billing_policy
        on unioned.provider = billing_policy.provider

),

final as (

    -- A line billed in seconds takes its model's per-second usage type, meeting the
    -- telemetry's seconds of that type (a model priced in no seconds keeps 'seconds'); so
    -- does a line of unnamed kind (OpenAI's Sora cost line) of a model priced in seconds
    -- only (DECISIONLOG 2026-12-07 "Video seconds").
    select
        {{ star_except('keyed', ['usage_type']) }},
        case
            when keyed.usage_type = 'seconds'
                then coalesce(per_second_usage_types.usage_type, keyed.usage_type)
            when
                keyed.usage_type = 'other'
                and per_second_usage_types.is_priced_in_seconds_only
                then per_second_usage_types.usage_type
            else keyed.usage_type
        end as usage_type
    from keyed
    left join per_second_usage_types
        on
            keyed.provider = per_second_usage_types.provider
            and keyed.model_key = per_second_usage_types.model_id

)

select * from final
