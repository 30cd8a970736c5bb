{#- The kind of a failed request, from the status its telemetry reported (LiteLLM
    status, the OTel span status message, the request log's status), in the vocabulary
    billing_policy.billable_failure_kinds is written in (var failure_kinds):
    stream_interrupted (the stream broke or the client disconnected after the provider
    started), timeout, rate_limited, error (anything else). -#}
{% macro failure_kind(status_expression) -%}
    case
        when {{ status_expression }} similar to '.*(interrupt|disconnect|stream).*'
            then 'stream_interrupted'
        when {{ status_expression }} similar to '.*(timeout|timed.out).*' then 'timeout'
        when {{ status_expression }} similar to '.*(rate.?limit|429).*' then 'rate_limited'
        else 'error'
    end
{%- endmacro %}
