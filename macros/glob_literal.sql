{#- Used by the close records' writer (record_closed_periods). -#}

{#- A path as a pattern DuckDB's readers match to that path only: they read every path as
    a glob, so the glob characters of a file or folder name ([, *, ?) are each put in a
    bracket class ([[], [*], [?]); a file named inv*.csv is then not read with invX.csv. -#}
{% macro glob_literal(path) -%}
    {{ return(path | replace('[', '[[]') | replace('*', '[*]') | replace('?', '[?]')) }}
{%- endmacro %}
