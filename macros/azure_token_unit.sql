{#- The unit an Azure OpenAI token meter's quantity counts, spelt the way var pricing_units
    reads it. A token meter (its name ends in Tokens) writes its unit without the word tokens:
    the cost details' unitOfMeasure 1K / 1M is read as 1K tokens / 1M tokens; the FOCUS
    export's distinct unit Units (Microsoft's PricingUnit and ConsumedUnit for a 1K meter,
    the block size in x_PricingBlockSize) is read as tokens. Any other meter's unit, and a
    unit that already says tokens, is returned as written (a token meter in 1K Characters
    stays unlisted, so the reader quarantines it). Used by stg_azure__cost_details and
    stg_focus__cost_and_usage. -#}
{% macro azure_token_unit(unit, meter_name) -%}
    case
        when not {{ azure_meter_part(meter_name, 'cast(null as string)', 'is_token_meter') }}
            then {{ unit }}
        when lower(trim({{ unit }})) in ('units', 'unit') then 'tokens'
        when lower({{ unit }}) not like '%token%' then {{ unit }} || ' tokens'
        else {{ unit }}
    end
{%- endmacro %}
