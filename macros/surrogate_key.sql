{#- A stable text key from a list of SQL expressions (NULL-safe). Both engines spell it alike;
    an expression's text form must too (cast dates and numbers the same way on both). -#}
{% macro surrogate_key(expressions) -%}
    md5(concat_ws('|'
        {%- for expression in expressions %}, coalesce(cast({{ expression }} as string), '~'){% endfor -%}
    ))
{%- endmacro %}
