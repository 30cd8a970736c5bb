{#- The billing period (YYYY-MM) of a UTC timestamp in a provider's billing time zone: the
    month of the timestamp's wall-clock time in that zone. The one place the billing period
    is derived from a timestamp (int_usage_requests_owned, the clock-corrected period of
    int_observed_costs_aggregated_to_line_tier_grain).
    Arguments, both SQL expressions: timestamp_column, a UTC TIMESTAMP (any expression, it
    is parenthesized); timezone_column, an IANA time zone name (billing_policy.billing_timezone).
    Returns a text expression; engine-neutral (timestamp_in_timezone and format_datetime
    hold the engines' spellings). -#}
{% macro billing_period_in_timezone(timestamp_column, timezone_column) -%}
    {%- if not timestamp_column or not timezone_column %}
        {{ exceptions.raise_compiler_error(
            'billing_period_in_timezone needs a timestamp and a time zone expression'
        ) }}
    {%- endif %}
    {{- format_datetime(timestamp_in_timezone(timestamp_column, timezone_column), '%Y-%m') }}
{%- endmacro %}
