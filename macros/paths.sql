{#-
    Values and paths as SQL: the close records' writer (close_records.sql) and the memo's
    phrases (fct_variances).
-#}

{#- A value as a SQL string literal: single quotes doubled, so a path is data, never SQL. -#}
{% macro sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}


{#- A path as a pattern DuckDB's readers match to that path only: they read every path as
    a glob, so the glob characters of a file or folder name ([, *, ?) are each put in a
    bracket class ([[], [*], [?]); a file named inv*.csv is then not read with invX.csv. -#}
{% macro glob_literal(path) -%}
    {{ return(path | replace('[', '[[]') | replace('*', '[*]') | replace('?', '[?]')) }}
{%- endmacro %}
