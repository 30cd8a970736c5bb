{#- The text at a JSON path of JSON text (a path literal such as '$[0].amount'): a string's
    value, a number's or boolean's text, an object's or array's JSON text; NULL when the
    path is absent, its value is null, or the text is not JSON. DuckDB json_extract_string
    (behind json_valid: it fails on text that is not JSON), Spark get_json_object. Used
    where a repeated field is read element by element (the Google billing export's
    credits[]); a nested record read field by field uses json_text_to_struct. -#}
{% macro json_path_text(expression, path) -%}
    {{ return(adapter.dispatch('json_path_text')(expression, path)) }}
{%- endmacro %}

{% macro default__json_path_text(expression, path) -%}
    case when json_valid({{ expression }}) then json_extract_string({{ expression }}, {{ sql_string(path) }}) end
{%- endmacro %}

{% macro spark__json_path_text(expression, path) -%}
    get_json_object({{ expression }}, {{ sql_string(path) }})
{%- endmacro %}
