-- One row per billing period x provider: the date the period's billing data was last
-- exported, from what each export itself says: an API pull's date (the pull_YYYY-MM-DD
-- folder, else the file's modification time: pulled_at in staging), an invoice's
-- invoice_date, a FOCUS or Azure cost-details file's modification time (neither has an
-- export-date column), the Google billing export's export_time.
-- The monthly report's "export on" date (DECISIONLOG "The monthly report").
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

azure_cost_details as (

    select * from {{ ref('stg_azure__cost_details') }}

),

google_billing_rows as (

    select * from {{ ref('stg_google__billing_export') }}

),

invoice_lines as (

    select * from {{ ref('stg_invoices__invoice_lines') }}

),

landed_files as (

    select * from {{ ref('stg_landing__inventory') }}

),

export_dates as (

    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
        cast(pulled_at as date) as exported_on
    from openai_costs
    where record_status = 'valid'

    union all

    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
        cast(pulled_at as date) as exported_on
    from anthropic_costs
    where record_status = 'valid'

    union all

    select
        focus_rows.provider,
        {{ format_datetime('focus_rows.billing_period_start_date', '%Y-%m') }} as billing_period,
        cast(landed_files.last_modified as date) as exported_on
    from focus_rows
    inner join landed_files
        on focus_rows.source_file = landed_files.source_file
    where focus_rows.record_status = 'valid' and not focus_rows.is_other_service

    union all

    select
        azure_cost_details.provider,
        {{ format_datetime('azure_cost_details.usage_date', '%Y-%m') }} as billing_period,
        cast(landed_files.last_modified as date) as exported_on
    from azure_cost_details
    inner join landed_files
        on azure_cost_details.source_file = landed_files.source_file
    where azure_cost_details.record_status = 'valid' and azure_cost_details.is_azure_openai

    union all

    select
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
        cast(exported_at as date) as exported_on
    from google_billing_rows
    where record_status = 'valid' and is_vertex_ai

    union all

    select
        provider,
        billing_period,
        invoice_date as exported_on
    from invoice_lines
    where record_status = 'valid'

),

final as (

    select
        billing_period,
        provider,
        max(exported_on) as exported_on
    from export_dates
    where billing_period is not null
    group by billing_period, provider

)

select * from final
