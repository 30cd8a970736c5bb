{#- A SQL IN-list from a Jinja list of strings: ('a', 'b') -#}
{% macro in_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
