{#- US-dollar text for memo sentences: -$1,234.57 -#}
{% macro format_usd(expression) -%}
    (case when round({{ expression }}, 2) < 0 then '-' else '' end
    || '$' || format('{:,.2f}', abs(cast({{ expression }} as double))))
{%- endmacro %}
