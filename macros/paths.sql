{#-
    Paths as SQL, for the macros that still read files in place: the company's
    configuration (config.sql) and the close records (close_records.sql).
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


{#- A landed file's path as the SQL string literal of the pattern that reads it alone. -#}
{% macro sql_file_path(path) -%}
    {{ return(sql_string(glob_literal(path))) }}
{%- endmacro %}


{#- True when a file glob (absolute or relative to the working directory) matches a file. -#}
{% macro path_has_files(path_glob) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {{ return(run_query("select count(*) from glob(" ~ sql_string(path_glob) ~ ")").columns[0].values()[0] > 0) }}
{%- endmacro %}
