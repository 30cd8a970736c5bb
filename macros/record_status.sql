{#- Staging status from a quarantine reason and a superseded flag. -#}
{% macro record_status(reason_column, superseded_expression) -%}
    case
        when {{ reason_column }} is not null then 'quarantined'
        when {{ superseded_expression }} then 'superseded'
        else 'valid'
    end
{%- endmacro %}
