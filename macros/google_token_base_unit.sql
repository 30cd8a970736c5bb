{#- The base unit a Vertex AI token SKU's quantity counts: Google bills token SKUs in count
    (the Cloud Billing Catalog's usage unit), a count of the SKU's tokens, so a base unit of
    count (or tokens) from var pricing_units is tokens; any other (hour, seconds) is NULL,
    which the reader quarantines. Used by stg_google__billing_export and, for Google's FOCUS
    rows, by stg_focus__cost_and_usage. -#}
{% macro google_token_base_unit(base_unit) -%}
    case when {{ base_unit }} in ('count', 'tokens') then 'tokens' end
{%- endmacro %}
