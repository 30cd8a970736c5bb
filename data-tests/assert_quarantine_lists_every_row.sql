-- Every staged row marked quarantined, and every record or file the load rejected, appears
-- in int_quarantined_rows_unioned (the list the close checks and fct_exceptions read),
-- once. Returns the staging models that differ.
{%- set models = [
    'stg_openai__costs', 'stg_openai__usage_completions', 'stg_openai__usage_embeddings',
    'stg_openai__usage_moderations', 'stg_openai__usage_images',
    'stg_openai__usage_audio_speeches', 'stg_openai__usage_audio_transcriptions',
    'stg_anthropic__cost_report', 'stg_anthropic__usage_messages', 'stg_focus__cost_and_usage',
    'stg_invoices__invoice_lines', 'stg_telemetry__litellm_spend_logs',
    'stg_telemetry__otel_spans', 'stg_telemetry__requests', 'stg_finance_inputs__recharges',
    'stg_finance_inputs__decisions', 'stg_finance_inputs__signoffs'
] %}
with

staged as (

    {% for model_name in models -%}
        select
            '{{ model_name }}' as staging_model,
            count(*) as quarantined_rows
        from {{ ref(model_name) }}
        where record_status = 'quarantined'
        union all
    {% endfor %}
    select
        staging_model,
        count(*) as quarantined_rows
    from {{ ref('stg_landing__load_rejects') }}
    group by staging_model

),

staged_per_model as (

    select
        staging_model,
        sum(quarantined_rows) as quarantined_rows
    from staged
    group by staging_model

),

listed as (

    select
        staging_model,
        count(*) as listed_rows
    from {{ ref('int_quarantined_rows_unioned') }}
    where quarantine_reason != 'unrecognized_file'
    group by staging_model

)

select
    staged_per_model.staging_model,
    staged_per_model.quarantined_rows,
    coalesce(listed.listed_rows, 0) as listed_rows
from staged_per_model
left join listed
    on staged_per_model.staging_model = listed.staging_model
where staged_per_model.quarantined_rows != coalesce(listed.listed_rows, 0)
