{#- The wall-clock time in a time zone of a UTC TIMESTAMP, as a TIMESTAMP (SQL
    expression): timezone() of the value as TIMESTAMPTZ on DuckDB, from_utc_timestamp on
    Spark. -#}
{% macro timestamp_in_timezone(timestamp_expression, timezone_expression) -%}
    {{ return(adapter.dispatch('timestamp_in_timezone')(timestamp_expression, timezone_expression)) }}
{%- endmacro %}

{% macro default__timestamp_in_timezone(timestamp_expression, timezone_expression) -%}
    timezone({{ timezone_expression }}, cast(({{ timestamp_expression }}) as timestamptz))
{%- endmacro %}

{% macro spark__timestamp_in_timezone(timestamp_expression, timezone_expression) -%}
    from_utc_timestamp(({{ timestamp_expression }}), {{ timezone_expression }})
{%- endmacro %}
