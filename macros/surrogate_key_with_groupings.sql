{#- The surrogate key of columns, extended by the optional grouping columns only on a row
    where one of them is present: a report grouped by a newer dimension (Anthropic's
    inference_geo, speed) gets one key per value, and rows of reports not grouped by it keep
    the keys they always had (close records and decisions name them). -#}
{% macro surrogate_key_with_groupings(columns, groupings) -%}
    case
        when {% for grouping in groupings %}{{ grouping }} is null{% if not loop.last %} and {% endif %}{% endfor %}
            then {{ surrogate_key(columns) }}
        else {{ surrogate_key(columns + groupings) }}
    end
{%- endmacro %}
