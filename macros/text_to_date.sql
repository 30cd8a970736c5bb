{#- Date text (YYYY-MM-DD, a time after it allowed) to a DATE; NULL when it does not parse. -#}
{% macro text_to_date(expression) -%}
    {{ return(adapter.dispatch('text_to_date')(expression)) }}
{%- endmacro %}

{% macro default__text_to_date(expression) -%}
    try_cast({{ expression }} as date)
{%- endmacro %}

{#- Spark's cast also reads a year or a month alone, or any text after the date: only text
    of DuckDB's shape is cast. -#}
{% macro spark__text_to_date(expression) -%}
    case
        when regexp_like(
            {{ expression }},
            '^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}([.][0-9]*)?)?)?\\s*\\z'
        )
            then try_cast({{ expression }} as date)
    end
{%- endmacro %}
