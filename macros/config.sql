{#-
    The company's configuration (owners, billing policy, aliases, budgets, FX, contract
    tiers and prices, chargeback rules and splits) is read in place from
    var('config_dir') (RECON_CONFIG_DIR; the demo org's config/demo by default), one CSV
    per table, declared in models/staging/config/_config__sources.yml with every column's
    data_type. A file may be missing, empty or header-only (no rows). Columns are matched
    by header name, in any order; a declared column missing from the header stops the build
    naming the file and column; other columns are ignored.
-#}

{% macro config_path(table_name) -%}
    {{ return(var('config_dir').rstrip('/') ~ '/' ~ table_name ~ '.csv') }}
{%- endmacro %}


{#- The declared columns of a config table: [(name, data_type), ...]. -#}
{% macro config_columns(table_name) -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.config.' ~ table_name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error('No config table ' ~ table_name ~ ' is declared') }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append((column.name, column.data_type)) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{#- A config value parsed from its text: NULL when blank; NULL (and reported by
    assert_config_values_are_valid) when it does not parse as the declared type. -#}
{% macro config_cast(expression, data_type) -%}
    {%- if data_type == 'varchar' -%}
        nullif(trim({{ expression }}), '')
    {%- elif data_type == 'boolean' -%}
        case lower(trim({{ expression }}))
            when 'true' then true when 'false' then false
        end
    {%- else -%}
        try_cast(nullif(trim({{ expression }}), '') as {{ data_type }})
    {%- endif -%}
{%- endmacro %}


{#- The rows of a config file as text: the declared columns (as named in the header),
    source_file and file_row_number (the data row's line number in the file, header = 1). -#}
{% macro config_text_rows(table_name) -%}
    {%- do source('config', table_name) -%}
    {%- set columns = config_columns(table_name) -%}
    {%- set path = config_path(table_name) -%}
    {%- set has_rows = execute and path_has_files(glob_literal(path)) and (
        run_query('select count(*) from read_text(' ~ sql_file_path(path) ~ ') where trim(content) != \'\'')
        .columns[0].values()[0] > 0) -%}
    {%- if has_rows -%}
        {%- set header = run_query(
            'select column_name from (describe select * from read_csv(' ~ sql_file_path(path)
            ~ ', all_varchar = true, header = true, delim = \',\', quote = \'"\', escape = \'"\'))'
        ).columns[0].values() -%}
        {#- Header names match case-insensitively, ignoring spaces and a byte-order mark. -#}
        {%- set header_names = {} -%}
        {%- for column_name in header -%}
            {%- do header_names.update({column_name.lstrip('\ufeff').strip().lower(): column_name}) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for name, data_type in columns if name not in header_names -%}
            {%- do missing.append(name) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                'Configuration file ' ~ path ~ ' has no column ' ~ missing | join(', ')
                ~ ' (expected columns: ' ~ columns | map('first') | join(', ')
                ~ '). Add the column to its header row (values may be blank).') }}
        {%- endif -%}
    {%- endif -%}
    (
        {%- if has_rows %}
        select
            {%- for name, data_type in columns %}
            "{{ header_names[name] | replace('"', '""') }}" as {{ name }},
            {%- endfor %}
            {{ sql_string(path) }} as source_file,
            ordinality + 1 as file_row_number
        from read_csv({{ sql_file_path(path) }}, all_varchar = true, header = true, delim = ',',
            quote = '"', escape = '"') with ordinality
        {%- else %}
        select
            {%- for name, data_type in columns %}
            null::varchar as {{ name }},
            {%- endfor %}
            {{ sql_string(path) }} as source_file,
            null::bigint as file_row_number
        where false
        {%- endif %}
    )
{%- endmacro %}


{#- The rows of a config file with every declared column typed (config_cast). A value
    that does not parse as its declared type stops the build with the file, line, column
    and value (a blank value is allowed and reads as NULL). -#}
{% macro config_rows(table_name) -%}
    {%- if not execute -%}
        {#- Parsing: register the lineage only. -#}
        {{ return(source('config', table_name)) }}
    {%- endif %}
    {%- set typed_columns = config_columns(table_name) | rejectattr(1, 'equalto', 'varchar') | list -%}
    {%- if typed_columns -%}
        {%- set check -%}
            {%- for column_name, data_type in typed_columns %}
            select source_file, file_row_number, '{{ column_name }}', '{{ data_type }}', {{ column_name }}
            from {{ config_text_rows(table_name) }}
            where
                nullif(trim({{ column_name }}), '') is not null
                and {{ config_cast(column_name, data_type) }} is null
            {% if not loop.last %}union all{% endif %}
            {%- endfor %}
            order by 2, 3
        {%- endset -%}
        {%- set bad = run_query(check).rows -%}
        {%- if bad | length > 0 -%}
            {%- set lines = [] -%}
            {%- for row in bad -%}
                {%- do lines.append('  line ' ~ row[1] ~ ', column ' ~ row[2] ~ ': ' ~ row[4] ~ ' is not a ' ~ row[3]) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                'Configuration file ' ~ bad[0][0] ~ ' has values that do not parse:\n'
                ~ lines | join('\n') ~ '\nFix them (a blank value reads as empty) and run again.') }}
        {%- endif -%}
    {%- endif %}
    (
        select
            {%- for name, data_type in config_columns(table_name) %}
            {{ config_cast(name, data_type) }}::{{ data_type }} as {{ name }},
            {%- endfor %}
            source_file,
            file_row_number
        from {{ config_text_rows(table_name) }}
    )
{%- endmacro %}
