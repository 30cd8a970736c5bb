{#- Request attributes a provider prices at a multiple of the list price, each read from its
    var <dimension>_price_multipliers, shaped {provider: {value: multiplier}} or, where the
    multiple depends on the model, {provider: {value: {model_id: multiplier}}}:
    inference_geo (var inference_geo_price_multipliers: Anthropic's US-only inference, 1.1x
    every token category) and speed (var speed_price_multipliers: Anthropic's fast mode, a
    multiple per model). One parser of those vars, here, for every macro below. -#}
{% macro price_multiplier_entries(dimension) -%}
    {%- if dimension not in ('inference_geo', 'speed') %}
        {{ exceptions.raise_compiler_error(
            'price multipliers are read for inference_geo and speed, not ' ~ dimension
        ) }}
    {%- endif %}
    {%- set entries = [] %}
    {%- set multipliers = var(dimension ~ '_price_multipliers', {}) or {} %}
    {%- for provider_name, values in multipliers.items() %}
        {%- for value, multiplier in values.items() %}
            {%- if multiplier is mapping %}
                {%- for model_id, model_multiplier in multiplier.items() %}
                    {%- do entries.append(
                        (provider_name, value | lower, model_id, model_multiplier)
                    ) %}
                {%- endfor %}
            {%- else %}
                {%- do entries.append((provider_name, value | lower, none, multiplier)) %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {{ return(entries) }}
{%- endmacro %}

{#- The price multiplier of a request's or billed line's inference geography or speed (SQL
    expression, decimal(9, 6)): the var's value for the provider, the value (matched
    case-insensitively) and, where the var lists models, the price-book model; else 1 (a
    value not listed, "global", "standard", or none named). The one rule for pricing
    these attributes: int_usage_requests_priced prices a request at its list rate times the
    geography's and the speed's multipliers. -#}
{% macro price_multiplier(dimension, provider, value, model_id='null') -%}
    case
        {%- for provider_name, listed_value, listed_model, multiplier
            in price_multiplier_entries(dimension) %}
        when {{ provider }} = '{{ provider_name }}' and lower({{ value }}) = '{{ listed_value }}'
            {%- if listed_model is not none %} and {{ model_id }} = '{{ listed_model }}'{% endif %}
            then cast({{ multiplier }} as decimal(9, 6))
        {%- endfor %}
        else cast(1 as decimal(9, 6))
    end
{%- endmacro %}

{#- The share of a billed amount that an inference geography's multiplier m added,
    (m - 1) / m (SQL expression, decimal(19, 18); 0 when the geography is list price): a
    line billed at m times the list price carries amount x (m - 1) / m of uplift. Worked
    out here to 18 decimals, as decimal division is not exact on every engine.
    int_billed_lines_aggregated_to_line_tier_grain takes it out of a billed line grouped by
    a priced geography (the inference_geo_uplift category). -#}
{% macro inference_geo_uplift_share(provider, inference_geo) -%}
    case
        {%- for provider_name, geography, listed_model, multiplier
            in price_multiplier_entries('inference_geo') %}
            {%- if listed_model is not none %}
                {{ exceptions.raise_compiler_error(
                    'var inference_geo_price_multipliers: a billed line is split by geography,'
                    ~ ' not by model; list one multiplier per geography'
                ) }}
            {%- endif %}
            {%- set share = (multiplier | float - 1) / (multiplier | float) %}
        when {{ provider }} = '{{ provider_name }}'
            and lower({{ inference_geo }}) = '{{ geography }}'
            then cast({{ '%.18f' | format(share) }} as decimal(19, 18))
        {%- endfor %}
        else cast(0 as decimal(19, 18))
    end
{%- endmacro %}
