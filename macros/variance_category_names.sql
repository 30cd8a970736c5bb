{#- The category names, in attribution order. -#}
{% macro variance_category_names() -%}
    {{ return(variance_categories() | map(attribute='name') | list) }}
{%- endmacro %}
