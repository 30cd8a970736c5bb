{#- RFC 3339 / ISO text to a UTC timestamp; NULL when unparseable. -#}
{% macro iso_to_timestamp(expression) -%}
    cast(try_cast({{ expression }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}
