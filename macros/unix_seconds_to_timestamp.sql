{#- Unix seconds (int or string) to a UTC timestamp; NULL when not plausible seconds. -#}
{% macro unix_seconds_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('unix_seconds_to_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__unix_seconds_to_timestamp(expression) -%}
    case
        when try_cast({{ expression }} as bigint) between 946684800 and 4102444800
            then cast(to_timestamp(try_cast({{ expression }} as bigint)) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}

{% macro spark__unix_seconds_to_timestamp(expression) -%}
    case
        when {{ try_cast_integer(expression) }} between 946684800 and 4102444800
            then timestamp_seconds({{ try_cast_integer(expression) }})
    end
{%- endmacro %}
