{#- The kind of a failed request, from the status its telemetry reported (LiteLLM
    status, the OTel span status message, the request log's status), in the vocabulary
    billing_policy.billable_failure_kinds is written in (var failure_kinds):
    stream_interrupted (the stream broke or the client disconnected after the provider
    started), timeout, rate_limited, error (anything else). Each pattern must match the
    whole status (regex_full_match, as SQL's SIMILAR TO reads a pattern). -#}
{% macro failure_kind(status_expression) -%}
    case
        when {{ regex_full_match(status_expression, '.*(interrupt|disconnect|stream).*') }}
            then 'stream_interrupted'
        when {{ regex_full_match(status_expression, '.*(timeout|timed.out).*') }} then 'timeout'
        when {{ regex_full_match(status_expression, '.*(rate.?limit|429).*') }} then 'rate_limited'
        else 'error'
    end
{%- endmacro %}
