{#- JSON text parsed once into a struct of the given shape (a dict of field names to
    'text' or to a nested dict), read with struct['field']: NULL when the text is not
    JSON; a leaf of another JSON type reads as its JSON text, a nested field that is not an
    object as NULL; keys not in the shape are never read. -#}
{% macro json_text_to_struct(expression, shape) -%}
    {{ return(adapter.dispatch('json_text_to_struct')(expression, shape)) }}
{%- endmacro %}

{% macro default__json_text_to_struct(expression, shape) -%}
    case
        when json_valid({{ expression }})
            then from_json({{ expression }}, '{{ json_text_to_struct_duckdb_shape(shape) }}')
    end
{%- endmacro %}

{#- Single quotes are not JSON: DuckDB refuses them, so Spark's parser must too. -#}
{% macro spark__json_text_to_struct(expression, shape) -%}
    from_json(
        {{ expression }},
        '{{ json_text_to_struct_spark_type(shape) }}',
        map('allowSingleQuotes', 'false')
    )
{%- endmacro %}

{#- The shape as DuckDB's JSON structure: {"field": "VARCHAR", "nested": {...}}. -#}
{% macro json_text_to_struct_duckdb_shape(shape) -%}
    {%- if shape is mapping -%}
        {"{%- for name, inner in shape.items() -%}
            {{ name }}": {{ json_text_to_struct_duckdb_shape(inner) }}{% if not loop.last %}, "{% endif %}
        {%- endfor -%}}
    {%- else -%}
        "VARCHAR"
    {%- endif -%}
{%- endmacro %}

{#- The shape as a Spark DDL type: struct<field: string, nested: struct<...>>. -#}
{% macro json_text_to_struct_spark_type(shape) -%}
    {%- if shape is mapping -%}
        struct<{%- for name, inner in shape.items() -%}
            {{ name }}: {{ json_text_to_struct_spark_type(inner) }}{% if not loop.last %}, {% endif %}
        {%- endfor -%}>
    {%- else -%}
        string
    {%- endif -%}
{%- endmacro %}
