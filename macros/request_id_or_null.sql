{#- A gateway's request id, or NULL when it is empty or a placeholder (var
    placeholder_request_ids: None, null, undefined, nan - what a logger writes for a missing
    id). A NULL id is quarantined (missing_required_id), so two requests logged with the same
    placeholder are listed, never merged into one. -#}
{% macro request_id_or_null(expression) -%}
    case
        when lower(trim({{ expression }})) in {{ in_list(var('placeholder_request_ids')) }}
            then null
        else nullif(trim({{ expression }}), '')
    end
{%- endmacro %}
