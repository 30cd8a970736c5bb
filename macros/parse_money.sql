{#- Parse a text amount to money; NULL when it is not a plain decimal number. -#}
{% macro parse_money(expression) -%}
    try_cast(trim({{ expression }}) as decimal({{ var('money_precision') }}, {{ var('money_scale') }}))
{%- endmacro %}
