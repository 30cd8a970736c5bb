{#- Unix seconds (int or string) to a UTC timestamp; NULL when not plausible seconds. -#}
{% macro unix_seconds_to_timestamp(expression) -%}
    case
        when try_cast({{ expression }} as bigint) between 946684800 and 4102444800
            then cast(to_timestamp(try_cast({{ expression }} as bigint)) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}
