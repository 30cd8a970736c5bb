{#- US-dollar text for memo sentences: -$1,234.57 -#}
{% macro format_usd(expression) -%}
    (case when round({{ expression }}, 2) < 0 then '-' else '' end
    || '$' || {{ format_number_grouped('abs(cast(' ~ expression ~ ' as double))', 2) }})
{%- endmacro %}
