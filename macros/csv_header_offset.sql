{#- Record position of a row numbered within its file: a CSV line counts the header line
    (a gzipped CSV, .csv.gz, too: AWS delivers CUR 2.0 so), a Parquet row or a JSON line
    does not. -#}
{% macro csv_header_offset(source_file_column) -%}
    case
        when
            lower({{ source_file_column }}) like '%.csv'
            or lower({{ source_file_column }}) like '%.csv.gz'
            then 1
        else 0
    end
{%- endmacro %}
