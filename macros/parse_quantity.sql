{#- Whole-number quantity from text or JSON; NULL when it is not one. A fraction such as
    7260.5 is NULL, never rounded (a cast to BIGINT would round it silently). -#}
{% macro parse_quantity(expression) -%}
    {%- set text = 'trim(cast(' ~ expression ~ ' as string))' -%}
    case
        when {{ regex_full_match(text, '-?[0-9]+([.]0*)?') }}
            then try_cast(try_cast({{ text }} as decimal(38, 0)) as bigint)
    end
{%- endmacro %}
