{{ config(materialized='table') }}

-- One row per quarantined input record: a staged row that failed validation, a record or
-- file the load could not read (stg_landing__load_rejects), or a landed file no reader
-- recognizes (stg_landing__inventory; no period, so it blocks every close). Nothing is
-- dropped silently.
-- A table: exceptions, the close checks and its tests read it; a view would rescan every
-- staging model each time.
{%- set openai_usage_endpoints = [
    'embeddings', 'moderations', 'images', 'audio_speeches', 'audio_transcriptions'
] %}
with

openai_costs as (

    select * from {{ ref('stg_openai__costs') }}

),

openai_completions as (

    select * from {{ ref('stg_openai__usage_completions') }}

),


anthropic_costs as (

    select * from {{ ref('stg_anthropic__cost_report') }}

),

anthropic_usage as (

    select * from {{ ref('stg_anthropic__usage_messages') }}

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

invoice_lines as (

    select * from {{ ref('stg_invoices__invoice_lines') }}

),

litellm as (

    select * from {{ ref('stg_telemetry__litellm_spend_logs') }}

),

otel as (

    select * from {{ ref('stg_telemetry__otel_spans') }}

),

gateway_requests as (

    select * from {{ ref('stg_telemetry__requests') }}

),

recharges as (

    select * from {{ ref('stg_finance_inputs__recharges') }}

),

decisions as (

    select * from {{ ref('stg_finance_inputs__decisions') }}

),

signoffs as (

    select * from {{ ref('stg_finance_inputs__signoffs') }}

),

landing_inventory as (

    select * from {{ ref('stg_landing__inventory') }}

),

load_rejects_listed as (

    select * from {{ ref('stg_landing__load_rejects') }}

),

load_rejects as (

    -- Records and files the load could not read: with their line (or record) and reason,
    -- never their text.
    select
        staging_model,
        source_file,
        coalesce(line_number, record_number) as record_position,
        reject_reason as quarantine_reason,
        reject_message as detail,
        cast(null as string) as provider,
        cast(null as string) as billing_period,
        {{ to_money('null') }} as amount
    from load_rejects_listed

),

openai_usage_failures as (

    -- The single-quantity OpenAI usage endpoints share one staging shape.
    {% for endpoint in openai_usage_endpoints %}
        select
            'stg_openai__usage_{{ endpoint }}' as staging_model,
            source_file,
            record_number as record_position,
            quarantine_reason,
            coalesce(model_name, 'no model') || ': ' || coalesce(quantity_text, 'null') || ' '
            || quantity_unit as detail,
            provider,
            {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
            {{ to_money('null') }} as amount
        from {{ ref('stg_openai__usage_' ~ endpoint) }}
        where record_status = 'quarantined'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

row_failures as (

    select
        'stg_openai__costs' as staging_model,
        source_file,
        record_number as record_position,
        quarantine_reason,
        'amount=' || coalesce(amount_text, 'null') as detail,
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
        amount
    from openai_costs where record_status = 'quarantined'
    union all
    select
        'stg_openai__usage_completions',
        source_file,
        record_number,
        quarantine_reason,
        null,
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        null
    from openai_completions where record_status = 'quarantined'
    union all
    select
        'stg_anthropic__cost_report',
        source_file,
        record_number,
        quarantine_reason,
        'amount=' || coalesce(amount_text, 'null'),
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        amount
    from anthropic_costs where record_status = 'quarantined'
    union all
    select
        'stg_anthropic__usage_messages',
        source_file,
        record_number,
        quarantine_reason,
        null,
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        null
    from anthropic_usage where record_status = 'quarantined'
    union all
    select
        'stg_focus__cost_and_usage',
        source_file,
        file_row_number + {{ csv_header_offset('source_file') }},
        quarantine_reason,
        'BilledCost=' || coalesce(billed_cost_text, 'null'),
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        billed_cost
    from focus_rows where record_status = 'quarantined'
    union all
    select
        'stg_aws__cur2_cost_and_usage',
        source_file,
        file_row_number + {{ csv_header_offset('source_file') }},
        quarantine_reason,
        'line_item_usage_type=' || coalesce(aws_usage_type, 'null')
        || ' line_item_unblended_cost=' || coalesce(unblended_cost_text, 'null'),
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        unblended_cost
    from aws_cur2_rows where record_status = 'quarantined'
    union all
    select
        'stg_azure__cost_details',
        source_file,
        file_row_number + {{ csv_header_offset('source_file') }},
        quarantine_reason,
        'meterName=' || coalesce(meter_name, 'null')
        || ' unitOfMeasure=' || coalesce(unit_of_measure, 'null')
        || ' costInBillingCurrency=' || coalesce(cost_text, 'null'),
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        cost_in_billing_currency
    from azure_cost_details where record_status = 'quarantined'
    union all
    select
        'stg_google__billing_export',
        source_file,
        -- a JSON line's line number; a Parquet row's position
        coalesce(line_number, file_row_number),
        quarantine_reason,
        'sku.description=' || coalesce(sku_description, 'null')
        || ' usage.pricing_unit=' || coalesce(pricing_unit, 'null')
        || ' cost=' || coalesce(cost_text, 'null'),
        provider,
        {{ format_datetime('usage_date', '%Y-%m') }},
        cost
    from google_billing_rows where record_status = 'quarantined'
    union all
    select
        'stg_invoices__invoice_lines',
        source_file,
        file_row_number + 1,
        quarantine_reason,
        'amount=' || coalesce(amount_text, 'null'),
        provider,
        billing_period,
        amount
    from invoice_lines where record_status = 'quarantined'
    union all
    select
        'stg_telemetry__litellm_spend_logs',
        source_file,
        file_row_number + {{ csv_header_offset('source_file') }},
        quarantine_reason,
        null,
        provider,
        {{ format_datetime('requested_at', '%Y-%m') }},
        null
    from litellm where record_status = 'quarantined'
    union all
    select
        'stg_telemetry__otel_spans',
        source_file,
        line_number,
        quarantine_reason,
        null,
        provider,
        {{ format_datetime('requested_at', '%Y-%m') }},
        null
    from otel where record_status = 'quarantined'
    union all
    select
        'stg_telemetry__requests',
        source_file,
        file_row_number + {{ csv_header_offset('source_file') }},
        quarantine_reason,
        null,
        provider,
        {{ format_datetime('requested_at', '%Y-%m') }},
        null
    from gateway_requests where record_status = 'quarantined'
    union all
    select
        'stg_finance_inputs__recharges',
        source_file,
        file_row_number + 1,
        quarantine_reason,
        'amount=' || coalesce(amount_text, 'null'),
        provider,
        {{ format_datetime('occurred_at', '%Y-%m') }},
        null
    from recharges where record_status = 'quarantined'
    union all
    select
        'stg_finance_inputs__decisions',
        source_file,
        file_row_number + 1,
        quarantine_reason,
        null,
        provider,
        period,
        null
    from decisions where record_status = 'quarantined'
    union all
    select
        'stg_finance_inputs__signoffs',
        source_file,
        file_row_number + 1,
        quarantine_reason,
        null,
        null,
        period,
        null
    from signoffs where record_status = 'quarantined'

),

unrecognized_files as (

    select
        'stg_landing__inventory' as staging_model,
        source_file,
        0 as record_position,
        'unrecognized_file' as quarantine_reason,
        'no landing source reads ' || relative_path
        || ': move it to the folder of its source, with a recognized extension' as detail,
        cast(null as string) as provider,
        cast(null as string) as billing_period,
        {{ to_money('null') }} as amount
    from landing_inventory
    where file_status = 'not_recognized'

),

unioned as (

    select * from row_failures
    union all
    select * from openai_usage_failures
    union all
    select * from load_rejects
    union all
    select * from unrecognized_files

),

final as (

    select
        {{ surrogate_key([
            'staging_model', 'source_file', 'record_position', 'quarantine_reason'
        ]) }} as quarantined_row_id,
        *
    from unioned

)

select * from final
