{#- SQL list of accepted ISO currency codes. -#}
{% macro accepted_currency_list() -%}
    ({% for code in var('accepted_currencies') %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
