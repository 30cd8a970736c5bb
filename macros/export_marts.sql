{#- Run by `recon publish --engine spark` through `dbt run-operation`: every mart (fct_*
    models of models/marts/) written as Parquet to directory/<mart>/, one part file each,
    from which the publisher builds the read-only DuckDB copy the inbox, the close packet
    and BI tools read. Marts that were never built are skipped. -#}
{% macro export_marts(directory) %}
    {%- set exported = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') -%}
        {%- if node.resource_type == 'model' and node.name.startswith('fct_') -%}
            {%- set relation = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.alias
            ) -%}
            {%- if relation is not none -%}
                {%- do run_query(
                    'insert overwrite directory ' ~ sql_string(directory ~ '/' ~ node.name)
                    ~ ' using parquet select /*+ coalesce(1) */ * from ' ~ relation
                ) -%}
                {%- do exported.append(node.name) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log('exported ' ~ exported | length ~ ' marts to ' ~ directory, info=true) }}
{% endmacro %}
