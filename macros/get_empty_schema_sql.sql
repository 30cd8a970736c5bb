{#- dbt's get_empty_schema_sql, which an enforced contract compares a model's columns with,
    overridden for Spark only: the contracts (models/marts/finance/_finance__models.yml)
    name their types as DuckDB does, and Spark reads them through spark_contract_type.
    Otherwise dbt's default body (default__get_empty_schema_sql). -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_columns = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set spark_column = column.copy() if column is mapping else column -%}
        {%- if column is mapping and column.get('data_type') is not none -%}
            {%- do spark_column.update({'data_type': spark_contract_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do spark_columns.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(spark_columns)) }}
{%- endmacro %}

{#- A contract's column type (DuckDB's name) as Spark names it: varchar is string (Spark
    wants a length for varchar); hugeint, what DuckDB makes of a sum of BIGINT, is bigint,
    what Spark makes of it; any other type (decimal(p, s), bigint, double, boolean, date,
    timestamp) is spelt alike. -#}
{% macro spark_contract_type(data_type) -%}
    {%- set spark_names = {'varchar': 'string', 'hugeint': 'bigint'} -%}
    {{ return(spark_names.get(data_type | trim | lower, data_type)) }}
{%- endmacro %}
