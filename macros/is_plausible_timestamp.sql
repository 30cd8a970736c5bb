{#- True when a timestamp is plausible (catches seconds-vs-milliseconds mistakes). -#}
{% macro is_plausible_timestamp(expression) -%}
    ({{ expression }} is not null
        and {{ expression }} >= cast('{{ var("earliest_plausible_date") }}' as timestamp)
        and {{ expression }} < cast('{{ var("latest_plausible_date") }}' as timestamp))
{%- endmacro %}
