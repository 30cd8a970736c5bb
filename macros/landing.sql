{#-
    Reading the landing zone in place.

    Every source in models/staging/*/_*__sources.yml carries meta.glob (relative to
    var('raw_dir'), i.e. the RECON_RAW_DIR environment variable) and meta.reader:
      text     -> read_text(): one row per file (filename, content, last_modified)
      csv      -> read_csv(all_varchar) with store_rejects; malformed lines are kept
      parquet  -> read_parquet(union_by_name)
    When the folder is empty or absent, an empty relation with the same columns is
    returned, so a company that uses only one provider still builds.
-#}

{% macro landing_path(relative_glob) -%}
    {{ return(var('raw_dir').rstrip('/') ~ '/' ~ relative_glob) }}
{%- endmacro %}


{% macro landing_source_meta(source_name, table_name) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {{ return(node.meta) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        'No source ' ~ source_name ~ '.' ~ table_name ~ ' is declared') }}
{%- endmacro %}


{% macro landing_has_files(relative_glob) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set query -%}
        select count(*) from glob('{{ landing_path(relative_glob) }}')
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro landing(source_name, table_name) -%}
    {#- source() registers the lineage; the landing-zone read replaces the relation. -#}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}{{ return(relation) }}{%- endif -%}
    {%- set meta = landing_source_meta(source_name, table_name) -%}
    {%- set path = landing_path(meta['glob']) -%}
    {%- set has_files = landing_has_files(meta['glob']) -%}
    {%- if meta['reader'] == 'text' -%}
        {%- if has_files -%}
            (select filename, content, last_modified from read_text('{{ path }}'))
        {%- else -%}
            (select null::varchar as filename, null::varchar as content,
                null::timestamp as last_modified where false)
        {%- endif -%}
    {%- elif meta['reader'] == 'csv' -%}
        {%- if has_files -%}
            (select * from read_csv('{{ path }}', all_varchar = true, header = true,
                filename = true, store_rejects = true,
                rejects_table = 'rejects_{{ source_name }}_{{ table_name }}',
                rejects_scan = 'rejects_scan_{{ source_name }}_{{ table_name }}'))
        {%- else -%}
            (select
                {%- for column in meta['columns'] %}
                null::varchar as "{{ column }}",
                {%- endfor %}
                null::varchar as filename
            where false)
        {%- endif -%}
    {%- elif meta['reader'] == 'parquet' -%}
        {%- if has_files -%}
            (select * from read_parquet('{{ path }}', union_by_name = true, filename = true,
                file_row_number = true))
        {%- else -%}
            (select
                {%- for column, data_type in meta['columns'].items() %}
                null::{{ data_type }} as "{{ column }}",
                {%- endfor %}
                null::varchar as filename, null::bigint as file_row_number
            where false)
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('Unknown landing reader ' ~ meta['reader']) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook for CSV staging tables: DuckDB keeps rejected CSV lines in temporary tables
    of the connection that read the file. Persist them next to the model so the
    quarantine model can list every malformed line with file, line number and reason.
-#}
{% macro persist_csv_rejects(source_name, table_name) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set meta = landing_source_meta(source_name, table_name) -%}
    {%- set target_relation = this.schema ~ '.' ~ this.identifier ~ '__csv_rejects' -%}
    {%- if landing_has_files(meta['glob']) -%}
        create or replace table {{ target_relation }} as
        select
            scans.file_path as source_file,
            cast(errors.line as bigint) as source_line,
            cast(errors.error_type as varchar) as error_type,
            errors.csv_line as raw_line,
            errors.error_message
        from rejects_{{ source_name }}_{{ table_name }} as errors
        inner join rejects_scan_{{ source_name }}_{{ table_name }} as scans
            on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
    {%- else -%}
        create or replace table {{ target_relation }} as
        select
            null::varchar as source_file,
            null::bigint as source_line,
            null::varchar as error_type,
            null::varchar as raw_line,
            null::varchar as error_message
        where false
    {%- endif -%}
{%- endmacro %}


{#- Pull time of an export file: a pull_YYYY-MM-DD folder or file name wins, else mtime. -#}
{% macro pulled_at(filename_column, last_modified_column) -%}
    coalesce(
        try_strptime(
            regexp_extract({{ filename_column }}, 'pull_([0-9]{4}-[0-9]{2}-[0-9]{2})', 1),
            '%Y-%m-%d'
        ),
        cast({{ last_modified_column }} as timestamp)
    )
{%- endmacro %}
