{#- A stable text key from a list of SQL expressions (NULL-safe). -#}
{% macro surrogate_key(expressions) -%}
    md5(concat_ws('|'
        {%- for expression in expressions %}, coalesce(cast({{ expression }} as varchar), '~'){% endfor -%}
    ))
{%- endmacro %}
