{#- Part of the incremental schemes (replace_by_partition_config.sql). -#}

{#- Spark: a statement dropping the partitions of this model whose column equals one of the
    values a query returns (nothing when it returns none). Run from a pre-hook, when the
    query can be read. -#}
{% macro drop_partitions(partition_column, values_query) -%}
    {%- if execute -%}
        {%- set values = run_query(values_query).columns[0].values() -%}
        {%- if values | length > 0 -%}
            alter table {{ this }} drop if exists
            {%- for value in values %}
                partition ({{ partition_column }} = {{ sql_string(value) }})
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
