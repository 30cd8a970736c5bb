{#- A DATE or TIMESTAMP as text in a strftime format (%Y, %m, %d, %H, %M, %S and literal
    characters), e.g. '%Y-%m' for a billing period. strftime on DuckDB; on Spark,
    date_format with the format translated to a Java pattern (letters quoted). -#}
{% macro format_datetime(expression, format) -%}
    {%- if not format %}
        {{ exceptions.raise_compiler_error('format_datetime needs a strftime format') }}
    {%- endif %}
    {{- return(adapter.dispatch('format_datetime')(expression, format)) }}
{%- endmacro %}

{% macro default__format_datetime(expression, format) -%}
    strftime({{ expression }}, {{ sql_string(format) }})
{%- endmacro %}

{% macro spark__format_datetime(expression, format) -%}
    {%- set fields = {'Y': 'yyyy', 'm': 'MM', 'd': 'dd', 'H': 'HH', 'M': 'mm', 'S': 'ss'} -%}
    {%- set pattern = namespace(text='', is_field=false) -%}
    {%- for character in format -%}
        {%- if pattern.is_field -%}
            {%- if character not in fields %}
                {{ exceptions.raise_compiler_error(
                    'format_datetime: %' ~ character ~ ' is not supported on Spark'
                ) }}
            {%- endif -%}
            {%- set pattern.text = pattern.text ~ fields[character] -%}
            {%- set pattern.is_field = false -%}
        {%- elif character == '%' -%}
            {%- set pattern.is_field = true -%}
        {%- elif character.isalpha() or character == "'" -%}
            {%- set pattern.text = pattern.text ~ "'" ~ (character if character != "'" else "''") ~ "'" -%}
        {%- else -%}
            {%- set pattern.text = pattern.text ~ character -%}
        {%- endif -%}
    {%- endfor -%}
    date_format({{ expression }}, {{ sql_string(pattern.text) }})
{%- endmacro %}
