{#- The kind of a failed request (SQL expression; NULL when its status is success), in the
    vocabulary billing_policy.billable_failure_kinds is written in (var failure_kinds):
    stream_interrupted, timeout, rate_limited, error. The one rule, read in this order:
    1. the error's type (LiteLLM's metadata.error_information.error_class, the OTel span's
       error.type), bare or behind a dotted namespace (openai.RateLimitError), in var
       failure_kind_by_error.error_types;
    2. its code (LiteLLM's error_information.error_code, an OTel error.type that is a
       status code) in var failure_kind_by_error.error_codes;
    3. the status text the telemetry reported (an OTel span status message, the request
       log's status): interrupt / disconnect / stream, timeout / timed out, rate limit /
       429, each pattern matching the whole status;
    4. else error: an unknown error type or code, or none written, is the default kind
       `error` (never billable unless the policy lists error).
    Only these classifying fields are read; LiteLLM's error_message and traceback (which
    can hold prompt text) never are. -#}
{% macro failure_kind(
    status_expression, error_type_expression='null', error_code_expression='null'
) -%}
    {%- set known_kinds = var('failure_kinds') %}
    {%- set rules = var('failure_kind_by_error', {}) or {} %}
    {%- set error_types = rules.get('error_types', {}) or {} %}
    {%- set error_codes = rules.get('error_codes', {}) or {} %}
    {%- for name, kind in error_types.items() | list + error_codes.items() | list %}
        {%- if kind not in known_kinds %}
            {{ exceptions.raise_compiler_error(
                "var failure_kind_by_error maps " ~ name ~ " to " ~ kind
                ~ ", which is not one of var failure_kinds " ~ known_kinds | join(', ')
            ) }}
        {%- endif %}
        {%- if not modules.re.fullmatch('[A-Za-z0-9_]+', name | string) %}
            {{ exceptions.raise_compiler_error(
                "var failure_kind_by_error: " ~ name ~ " is not an error type or code"
                ~ " (letters, digits and underscores only)"
            ) }}
        {%- endif %}
    {%- endfor %}
    case
        when {{ status_expression }} = 'success' then cast(null as string)
        {%- if error_type_expression != 'null' %}
            {%- for error_type, kind in error_types.items() %}
        when {{ regex_full_match(
            'lower(trim(' ~ error_type_expression ~ '))', '(.*[.])?' ~ error_type | lower
        ) }} then '{{ kind }}'
            {%- endfor %}
        {%- endif %}
        {%- if error_code_expression != 'null' %}
            {%- for error_code, kind in error_codes.items() %}
        when trim({{ error_code_expression }}) = '{{ error_code }}' then '{{ kind }}'
            {%- endfor %}
        {%- endif %}
        when {{ regex_full_match(status_expression, '.*(interrupt|disconnect|stream).*') }}
            then 'stream_interrupted'
        when {{ regex_full_match(status_expression, '.*(timeout|timed.out).*') }} then 'timeout'
        when {{ regex_full_match(status_expression, '.*(rate.?limit|429).*') }} then 'rate_limited'
        else 'error'
    end
{%- endmacro %}
