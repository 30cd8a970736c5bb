{#- Unix nanoseconds (text, as OTLP writes span times) to a UTC timestamp; NULL when not a
    number. DuckDB divides in DOUBLE and rounds to the microsecond: Spark does the same. -#}
{% macro unix_nanoseconds_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('unix_nanoseconds_to_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__unix_nanoseconds_to_timestamp(expression) -%}
    cast(to_timestamp(try_cast({{ expression }} as hugeint) / 1e9) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#- rint rounds half to even, as DuckDB's DOUBLE to BIGINT cast does. -#}
{% macro spark__unix_nanoseconds_to_timestamp(expression) -%}
    timestamp_micros(cast(rint(
        cast({{ try_cast_integer(expression, 'decimal(38, 0)') }} as double) / 1e9 * 1e6
    ) as bigint))
{%- endmacro %}
