-- Nothing lost, nothing double-counted: for every landing file, the records counted
-- straight from the file (stg_landing__files) equal the staged rows (valid + quarantined
-- + superseded) plus the CSV records rejected (a line, or every record of a file quarantined
-- whole). Returns the files that do not balance.
{{ config(store_failures=true) }}
{%- set sources = landed_sources() %}
with

landed as (

    select * from {{ ref('stg_landing__files') }}

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
                sum(rejected_records)
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
