{#- The text with the first match of a regular expression replaced (SQL expression);
    the replacement may name the pattern's groups as \1 to \9. regexp_replace on DuckDB
    (first match only); on Spark, whose regexp_replace replaces every match and names
    groups $1, the pattern is anchored behind a lazy prefix group, so only the first match
    is replaced, and the groups are renumbered. Patterns use only syntax RE2 and Java read
    alike (\z, not $, for the end of the text). -#}
{% macro regex_replace_first(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_first')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_first(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro spark__regex_replace_first(expression, pattern, replacement) -%}
    {%- set groups = namespace(text='$1', is_escape=false) -%}
    {%- for character in replacement -%}
        {%- if groups.is_escape -%}
            {%- if character not in '123456789' %}
                {{ exceptions.raise_compiler_error(
                    'regex_replace_first: only \\1 to \\9 may follow a backslash'
                ) }}
            {%- endif -%}
            {%- set groups.text = groups.text ~ '$' ~ (character | int + 1) -%}
            {%- set groups.is_escape = false -%}
        {%- elif character == '\\' -%}
            {%- set groups.is_escape = true -%}
        {%- elif character == '$' -%}
            {%- set groups.text = groups.text ~ '\\$' -%}
        {%- else -%}
            {%- set groups.text = groups.text ~ character -%}
        {%- endif -%}
    {%- endfor -%}
    regexp_replace(
        {{ expression }},
        {{ sql_string('^([\\s\\S]*?)(?:' ~ pattern ~ ')') }},
        {{ sql_string(groups.text) }}
    )
{%- endmacro %}
