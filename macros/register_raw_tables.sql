{#- The Spark loader's last step (src/ai_spend_recon/load/spark_loader.py): each raw table,
    written as Parquet under location_root/<table>/, registered as the external table
    raw.<table> that dbt's sources read. Dropping an external table keeps its files, so a
    table whose columns changed is simply registered again. -#}
{% macro register_raw_tables(location_root, tables) %}
    {% do run_query('create schema if not exists raw') %}
    {% for table in tables %}
        {% do run_query('drop table if exists raw.' ~ table) %}
        {% do run_query(
            'create table raw.' ~ table ~ ' using parquet location '
            ~ sql_string(location_root ~ '/' ~ table)
        ) %}
    {% endfor %}
    {{ log('registered ' ~ tables | length ~ ' raw tables from ' ~ location_root, info=true) }}
{% endmacro %}
