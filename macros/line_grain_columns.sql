{#- The reconciliation line grain (period x provider x billing account x project/workspace
    x model x usage type), defined once. `extra` appends columns such as service_tier. -#}
{% macro line_grain_columns(extra=[]) -%}
    {{ return(['billing_period', 'provider', 'billing_account_id', 'project_key', 'model_key', 'usage_type'] + extra) }}
{%- endmacro %}
