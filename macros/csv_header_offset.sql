{#- Record position of a row numbered within its file: a CSV line counts the header line,
    a Parquet row or a JSON line does not. -#}
{% macro csv_header_offset(source_file_column) -%}
    case when lower({{ source_file_column }}) like '%.csv' then 1 else 0 end
{%- endmacro %}
