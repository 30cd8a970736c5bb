{#- Used by the close records' writer (record_closed_periods) and the memo's phrases
    (fct_variances). -#}

{#- A value as a SQL string literal: single quotes doubled, so a path is data, never SQL. -#}
{% macro sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
