{#- One service-tier vocabulary for every reader: standard, batch, flex, priority, scale.
    What providers and gateways write for the default tier (OpenAI default/auto, Bedrock
    on-demand, Anthropic standard, blank) is standard; any other value is kept, lower
    case, so an unknown tier stays visible (priced at its own row, else standard, and
    flagged when listed in var unusual_service_tiers). -#}
{% macro canonical_service_tier(expression) -%}
    case
        when coalesce(lower(trim({{ expression }})), '') in (
            '', 'standard', 'default', 'auto', 'on_demand', 'on-demand'
        ) then 'standard'
        else lower(trim({{ expression }}))
    end
{%- endmacro %}
