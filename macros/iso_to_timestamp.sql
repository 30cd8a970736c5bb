{#- RFC 3339 / ISO text to a UTC timestamp; NULL when unparseable. -#}
{% macro iso_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('iso_to_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__iso_to_timestamp(expression) -%}
    cast(try_cast({{ expression }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#- Spark's cast reads shapes DuckDB's refuses (a year alone, a one-digit offset, a space
    before an offset, text after the date): only text of DuckDB's shape is cast. The
    session time zone is UTC, so the timestamp shows UTC. -#}
{% macro spark__iso_to_timestamp(expression) -%}
    case
        when {{ spark__is_duckdb_timestamp_text(expression) }}
            then try_cast({{ expression }} as timestamp)
    end
{%- endmacro %}

{#- Spark only: whether the text has a shape DuckDB's timestamp casts read (a date, then
    optionally a time and a zone: Z, an offset of two-digit hours, or a name after one
    space), so that both engines agree on what is NULL. -#}
{% macro spark__is_duckdb_timestamp_text(expression) -%}
    regexp_like({{ expression }}, '^ *[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}([.][0-9]*)?)?(Z|[+-][0-9]{2}(:?[0-9]{2}){0,2}| [A-Za-z][A-Za-z0-9_/+:-]*)?)? *\\z')
{%- endmacro %}
