{#- The project's money type (DECIMAL): one place to change precision. Models write
    cast(<plain SQL> as {{ money_type() }}). -#}
{% macro money_type() -%}
    decimal({{ var('money_precision') }}, {{ var('money_scale') }})
{%- endmacro %}

{#- Cast a short numeric expression to the money type. -#}
{% macro to_money(expression) -%}
    cast(({{ expression }}) as {{ money_type() }})
{%- endmacro %}

{#- The type of per-unit rates: 18 decimals (a $0.02 per 1M token rate is 2e-8 per token). -#}
{% macro unit_rate_type() -%}
    decimal(38, 18)
{%- endmacro %}

{#- Parse a text amount to money; NULL when it is not a plain decimal number. -#}
{% macro parse_money(expression) -%}
    try_cast(trim({{ expression }}) as decimal({{ var('money_precision') }}, {{ var('money_scale') }}))
{%- endmacro %}

{#- Cast an expression to the unit-rate type. -#}
{% macro to_unit_rate(expression) -%}
    cast(({{ expression }}) as {{ unit_rate_type() }})
{%- endmacro %}

{#- Whole-number quantity from text or JSON; NULL when it is not one. A fraction such as
    7260.5 is NULL, never rounded (a cast to BIGINT would round it silently). -#}
{% macro parse_quantity(expression) -%}
    case
        when regexp_full_match(trim(cast({{ expression }} as varchar)), '-?[0-9]+(\.0*)?')
            then try_cast(try_cast(trim(cast({{ expression }} as varchar)) as decimal(38, 0)) as bigint)
    end
{%- endmacro %}

{#- A stable text key from a list of SQL expressions (NULL-safe). -#}
{% macro surrogate_key(expressions) -%}
    md5(concat_ws('|'
        {%- for expression in expressions %}, coalesce(cast({{ expression }} as varchar), '~'){% endfor -%}
    ))
{%- endmacro %}

{#- A USD amount in the reporting currency, rounded to the cent, at a period's fixed rate. -#}
{% macro to_reporting(amount_usd, units_per_usd) -%}
    {{ to_money('round((' ~ amount_usd ~ ') * (' ~ units_per_usd ~ '), 2)') }}
{%- endmacro %}
