{#- Whether an Azure cost row is Azure OpenAI's: its meter category, meter sub-category or
    product names OpenAI, in any case. The cost details write these as meterCategory,
    meterSubCategory and productName; Microsoft's FOCUS export as x_SkuMeterCategory,
    x_SkuMeterSubcategory and ChargeDescription (ProductName, per Microsoft's FOCUS mapping).
    BOOLEAN, never NULL. Used by stg_azure__cost_details and stg_focus__cost_and_usage, so
    both Azure readers pick the same rows. -#}
{% macro is_azure_openai_row(meter_category, meter_sub_category, product_name) -%}
    coalesce({{ regex_contains(
        'coalesce(' ~ meter_category ~ ", '') || ' ' || coalesce(" ~ meter_sub_category
        ~ ", '') || ' ' || coalesce(" ~ product_name ~ ", '')",
        "'(?i)openai'"
    ) }}, false)
{%- endmacro %}
