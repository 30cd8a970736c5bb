{#- A canonical provider name outside var('providers') (which the telemetry readers and the
    invoice reader quarantine as unknown_provider). NULL (no provider named) is not unknown: a gateway
    mapping may supply it. -#}
{% macro is_unknown_provider(expression) -%}
    ({{ expression }} is not null and {{ expression }} not in {{ in_list(var('providers')) }})
{%- endmacro %}
