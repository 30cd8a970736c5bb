{#- dbt's escape_single_quotes, overridden for Spark only: Spark's string literals read
    backslash escapes, so a backslash is escaped too (dbt-spark escapes only the quote, and
    a unit test fixture's regular expression ^x-\d{8}$ arrived as ^x-d{8}$). The same rule
    as spark__sql_string. DuckDB uses dbt's default body. -#}
{% macro spark__escape_single_quotes(expression) -%}
    {{- expression | replace("\\", "\\\\") | replace("'", "\\'") -}}
{%- endmacro %}
