-- Nothing lost, nothing double-counted: for every landing file, the records counted
-- straight from the file equal the staged rows (valid + quarantined + superseded) plus
-- the CSV lines DuckDB rejected. Returns the files that do not balance.
{%- set sources = [
    ('openai', 'costs', 'stg_openai__costs'),
    ('openai', 'usage_completions', 'stg_openai__usage_completions'),
    ('openai', 'usage_embeddings', 'stg_openai__usage_embeddings'),
    ('openai', 'usage_moderations', 'stg_openai__usage_moderations'),
    ('openai', 'usage_images', 'stg_openai__usage_images'),
    ('openai', 'usage_audio_speeches', 'stg_openai__usage_audio_speeches'),
    ('openai', 'usage_audio_transcriptions', 'stg_openai__usage_audio_transcriptions'),
    ('anthropic', 'cost_report', 'stg_anthropic__cost_report'),
    ('anthropic', 'usage_messages', 'stg_anthropic__usage_messages'),
    ('invoices', 'invoice_lines', 'stg_invoices__invoice_lines'),
    ('focus', 'cost_and_usage', 'stg_focus__cost_and_usage'),
    ('telemetry', 'litellm_spend_logs', 'stg_telemetry__litellm_spend_logs'),
    ('telemetry', 'requests', 'stg_telemetry__requests'),
    ('finance_inputs', 'recharges', 'stg_finance_inputs__recharges'),
    ('finance_inputs', 'decisions', 'stg_finance_inputs__decisions'),
    ('finance_inputs', 'signoffs', 'stg_finance_inputs__signoffs'),
] %}
with

landed as (

    {% for source_name, table_name, model_name in sources -%}
        select
            '{{ model_name }}' as staging_model,
            source_file,
            landed_records
        from {{ landed_record_counts(source_name, table_name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

accounted as (

    {% for source_name, table_name, model_name in sources -%}
        select
            '{{ model_name }}' as staging_model,
            source_file,
            count(*) as accounted_records
        from {{ ref(model_name) }}
        group by source_file
        {% if model_name in csv_staging_models() -%}
            union all
            select
                '{{ model_name }}',
                source_file,
                count(*)
            from {{ ref(model_name).schema }}.{{ model_name }}__csv_rejects
            group by source_file
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

accounted_per_file as (

    select
        staging_model,
        source_file,
        sum(accounted_records) as accounted_records
    from accounted
    group by staging_model, source_file

)

select
    coalesce(landed.staging_model, accounted_per_file.staging_model) as staging_model,
    coalesce(landed.source_file, accounted_per_file.source_file) as source_file,
    coalesce(landed.landed_records, 0) as landed_records,
    coalesce(accounted_per_file.accounted_records, 0) as accounted_records
from landed
full outer join accounted_per_file
    on
        landed.staging_model = accounted_per_file.staging_model
        and landed.source_file = accounted_per_file.source_file
where coalesce(landed.landed_records, 0) != coalesce(accounted_per_file.accounted_records, 0)
