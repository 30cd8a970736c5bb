{#- "left.c = right.c and ..." over a list of columns. -#}
{% macro join_on_columns(left, right, columns) -%}
    {%- for column in columns %}
        {% if not loop.first %}and {% endif %}{{ left }}.{{ column }} = {{ right }}.{{ column }}
    {%- endfor %}
{%- endmacro %}
