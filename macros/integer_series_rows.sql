{#- One row per integer from start to stop, both included (none when stop < start), as a
    set-returning select-list expression of type BIGINT: unnest(range(...)) on DuckDB,
    explode(sequence(...)) on Spark. -#}
{% macro integer_series_rows(start, stop) -%}
    {{ return(adapter.dispatch('integer_series_rows')(start, stop)) }}
{%- endmacro %}

{% macro default__integer_series_rows(start, stop) -%}
    unnest(range({{ start }}, {{ stop }} + 1))
{%- endmacro %}

{#- sequence() counts down when stop < start: that range is empty instead. -#}
{% macro spark__integer_series_rows(start, stop) -%}
    explode(
        case
            when {{ start }} <= {{ stop }}
                then sequence(cast({{ start }} as bigint), cast({{ stop }} as bigint))
        end
    )
{%- endmacro %}
