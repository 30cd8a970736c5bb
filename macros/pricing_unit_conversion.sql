{#- A quantity's unit read through var pricing_units (lower case, spaces collapsed, e.g.
    '1k tokens'): part 'factor' is how many base units one unit holds (1000 for 1K tokens,
    1000000 for 1M tokens, 1 for tokens, an image or a second), part 'base_unit' the base
    unit (tokens, images, seconds). NULL for a unit the var does not list, so a reader
    quarantines it rather than taking a count of thousands for a count of tokens. -#}
{% macro pricing_unit_conversion(unit_expression, part) -%}
    {%- if part not in ['factor', 'base_unit'] -%}
        {{ exceptions.raise_compiler_error(
            "pricing_unit_conversion: part must be factor or base_unit, not " ~ part
        ) }}
    {%- endif -%}
    {%- set unit = "lower(trim(" ~ regex_replace_first(unit_expression, ' +', ' ') ~ "))" -%}
    case {{ unit }}
    {%- for name, conversion in var('pricing_units').items() %}
        when {{ sql_string(name) }} then
        {%- if part == 'factor' %} cast({{ conversion[1] }} as decimal(12, 0))
        {%- else %} {{ sql_string(conversion[0]) }}{% endif %}
    {%- endfor %}
    end
{%- endmacro %}
