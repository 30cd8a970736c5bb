{#- Whether a regular expression matches anywhere in the text. NULL when the text is NULL. -#}
{% macro regex_contains(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_contains')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_contains(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_contains(expression, pattern) -%}
    regexp_like({{ expression }}, {{ pattern }})
{%- endmacro %}
