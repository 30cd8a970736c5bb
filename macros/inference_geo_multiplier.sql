{#- The price multiplier of a request's or billed line's inference geography (SQL
    expression, decimal(9, 6)): var inference_geo_price_multipliers' value for the provider
    and geography, else 1 (a geography not listed, "global", "not_available", or none named).
    The one rule for data-residency pricing: int_usage_requests_priced prices a request at
    its list rate times this; int_billed_lines_aggregated_to_line_tier_grain takes the same
    share out of a billed line to find the uplift the provider billed. -#}
{% macro inference_geo_multiplier(provider, inference_geo) -%}
    {%- set multipliers = var('inference_geo_price_multipliers', {}) or {} %}
    case
        {%- for provider_name, geographies in multipliers.items() %}
            {%- for geography, multiplier in geographies.items() %}
        when {{ provider }} = '{{ provider_name }}' and lower({{ inference_geo }}) = '{{ geography | lower }}'
            then cast({{ multiplier }} as decimal(9, 6))
            {%- endfor %}
        {%- endfor %}
        else cast(1 as decimal(9, 6))
    end
{%- endmacro %}

{#- The share of a billed amount that an inference geography's multiplier m added,
    (m - 1) / m (SQL expression, decimal(19, 18); 0 when the geography is list price): a
    line billed at m times the list price carries amount x (m - 1) / m of uplift. Worked
    out here to 18 decimals, as decimal division is not exact on every engine. -#}
{% macro inference_geo_uplift_share(provider, inference_geo) -%}
    {%- set multipliers = var('inference_geo_price_multipliers', {}) or {} %}
    case
        {%- for provider_name, geographies in multipliers.items() %}
            {%- for geography, multiplier in geographies.items() %}
                {%- set share = (multiplier | float - 1) / (multiplier | float) %}
        when {{ provider }} = '{{ provider_name }}' and lower({{ inference_geo }}) = '{{ geography | lower }}'
            then cast({{ '%.18f' | format(share) }} as decimal(19, 18))
            {%- endfor %}
        {%- endfor %}
        else cast(0 as decimal(19, 18))
    end
{%- endmacro %}
