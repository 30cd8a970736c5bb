{#- True when a timestamp is plausible (catches seconds-vs-milliseconds mistakes). -#}
{% macro is_plausible_timestamp(expression) -%}
    ({{ expression }} is not null
        and {{ expression }} >= cast('{{ var("earliest_plausible_date") }}' as timestamp)
        and {{ expression }} < cast('{{ var("latest_plausible_date") }}' as timestamp))
{%- endmacro %}

{#- SQL list of accepted ISO currency codes. -#}
{% macro accepted_currency_list() -%}
    ({% for code in var('accepted_currencies') %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- Unix seconds (int or string) to a UTC timestamp; NULL when not plausible seconds. -#}
{% macro unix_seconds_to_timestamp(expression) -%}
    case
        when try_cast({{ expression }} as bigint) between 946684800 and 4102444800
            then cast(to_timestamp(try_cast({{ expression }} as bigint)) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}

{#- RFC 3339 / ISO text to a UTC timestamp; NULL when unparseable. -#}
{% macro iso_to_timestamp(expression) -%}
    cast(try_cast({{ expression }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#- Staging status from a quarantine reason and a superseded flag. -#}
{% macro record_status(reason_column, superseded_expression) -%}
    case
        when {{ reason_column }} is not null then 'quarantined'
        when {{ superseded_expression }} then 'superseded'
        else 'valid'
    end
{%- endmacro %}

{#- A SQL IN-list from a Jinja list of strings: ('a', 'b') -#}
{% macro in_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
