{#- The line grain's model key: the resolved model id, else the reported name, else
    '(none)'. -#}
{% macro canonical_model_key(provider, model_name, at_date) -%}
    coalesce({{ resolved_model_id(provider, model_name, at_date) }}, {{ model_name }}, '(none)')
{%- endmacro %}
