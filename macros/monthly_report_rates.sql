{#- The monthly report's rates, one column per priced unit: per 1M tokens for each token
    type, per second of video; the amount of the unit divided by its quantity, in DOUBLE as
    DuckDB divides decimals, rounded to 6 places, then as money; NULL when every request of
    the line is unpriced. In USD, or in the reporting currency when fx_rate is given (the
    USD amount times the period's rate, before the division). The one place these rates are
    derived (fct_monthly_report writes the block twice: USD, then reporting currency). -#}
{% macro monthly_report_rates(line, fx_rate=none) -%}
    {%- set rates = [
        ('input', 'input_tokens', 1000000, 'rate_per_million'),
        ('cached', 'cached_tokens', 1000000, 'rate_per_million'),
        ('cache_write', 'cache_write_tokens', 1000000, 'rate_per_million'),
        ('output', 'output_tokens', 1000000, 'rate_per_million'),
        ('video', 'video_seconds', 1, 'rate_per_second'),
    ] %}
    {%- set currency = 'usd' if fx_rate is none else 'reporting' %}
    {%- for name, quantity, units_per_rate, rate_name in rates %}
        {%- set amount -%}
            cast({{ line }}.{{ name }}_cost_usd as double)
            {%- if units_per_rate != 1 %} * {{ units_per_rate }}{% endif %}
            {%- if fx_rate is not none %} * cast({{ fx_rate }} as double){% endif %}
        {%- endset %}
    case
        when {{ line }}.unpriced_request_count < {{ line }}.request_count
            then {{ to_money(round_double(
                amount ~ ' / nullif(' ~ line ~ '.' ~ quantity ~ ', 0)', 6
            )) }}
    end as {{ name }}_{{ rate_name }}_{{ currency }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
