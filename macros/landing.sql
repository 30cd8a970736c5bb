{#-
    Reading the landing zone in place.

    Every source in models/staging/*/_*__sources.yml carries meta.glob (relative to
    var('raw_dir'), i.e. the RECON_RAW_DIR environment variable) and meta.reader:
      text     -> read_text(): one row per file (filename, content, last_modified)
      csv      -> read_csv(all_varchar, RFC 4180 dialect) per file with store_rejects, BOMs
                  stripped from names and values; malformed lines and unreadable files are kept;
                  with meta.parquet_glob / meta.jsonl_glob, Parquet and JSON-lines files of
                  the same columns are read too (values as text)
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


{#- True when a file glob (absolute or relative to the working directory) matches a file. -#}
{% macro path_has_files(path_glob) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {{ return(run_query("select count(*) from glob('" ~ path_glob ~ "')").columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro landing_has_files(relative_glob) -%}
    {{ return(path_has_files(landing_path(relative_glob))) }}
{%- endmacro %}


{#- The staging models that read CSV (each has a <model>__csv_rejects table). -#}
{% macro csv_staging_models() -%}
    {{ return([
        'stg_focus__cost_and_usage', 'stg_invoices__invoice_lines',
        'stg_telemetry__litellm_spend_logs', 'stg_telemetry__requests',
        'stg_finance_inputs__recharges',
        'stg_finance_inputs__decisions', 'stg_finance_inputs__signoffs'
    ]) }}
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
        {%- set files = landing_csv_files(meta['glob']) -%}
        {%- set parquet_glob = meta.get('parquet_glob') -%}
        {%- set jsonl_glob = meta.get('jsonl_glob') -%}
        {#- A source that may arrive as JSONL carries landing_error (invalid_json) in every part. -#}
        {%- set error_column = 'null::varchar as landing_error,' if jsonl_glob is not none else '' -%}
        {%- set parts = [] -%}
        {%- if parquet_glob is not none and landing_has_files(parquet_glob) -%}
            {#- The same columns exported as Parquet: every value as text, so staging parses
                both formats alike (maps, structs and lists, e.g. FOCUS Tags, as JSON). -#}
            {%- set parquet_part -%}
                select
                    case
                        when
                            typeof(columns(* exclude (filename))) similar to '(MAP|STRUCT).*'
                            or typeof(columns(* exclude (filename))) like '%[]'
                            then to_json(columns(* exclude (filename)))::varchar
                        else columns(* exclude (filename))::varchar
                    end,
                    {{ error_column }}
                    filename
                from read_parquet('{{ landing_path(parquet_glob) }}', union_by_name = true,
                    filename = true)
            {%- endset -%}
            {%- do parts.append(parquet_part) -%}
        {%- endif -%}
        {%- if jsonl_glob is not none and landing_has_files(jsonl_glob) -%}
            {#- One JSON object per line with the same keys; nested values as JSON text. A line
                that is not JSON keeps its place with landing_error = 'invalid_json'. -#}
            {%- set jsonl_part -%}
                select
                    {%- for column in meta['columns'] %}
                    case when json_valid(line_text)
                        then json_extract_string(line_text, '$."{{ column }}"') end as "{{ column }}",
                    {%- endfor %}
                    case when not json_valid(line_text) then 'invalid_json' end as landing_error,
                    filename
                from (
                    select filename, unnest(string_split(content, chr(10))) as line_text
                    from read_text('{{ landing_path(jsonl_glob) }}')
                )
                where trim(line_text, chr(13) || ' ') != ''
            {%- endset -%}
            {%- do parts.append(jsonl_part) -%}
        {%- endif -%}
        {%- for file in files['readable'] -%}
            {%- set csv_part -%}
                select * from (
                    select {{ error_column }} ltrim(columns('^\x{feff}*(.*)$'), chr(65279)) as '\1'
                    from read_csv('{{ file }}', all_varchar = true, header = true,
                        delim = ',', quote = '"', escape = '"', filename = true,
                        store_rejects = true,
                        rejects_table = 'rejects_{{ source_name }}_{{ table_name }}_{{ loop.index }}',
                        rejects_scan = 'rejects_scan_{{ source_name }}_{{ table_name }}_{{ loop.index }}')
                )
            {%- endset -%}
            {%- do parts.append(csv_part) -%}
        {%- endfor -%}
        {%- if parts -%}
            ({{ parts | join(' union all by name ') }})
        {%- else -%}
            (select
                {%- for column in meta['columns'] %}
                null::varchar as "{{ column }}",
                {%- endfor %}
                {{ error_column }}
                null::varchar as filename
            where false)
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('Unknown landing reader ' ~ meta['reader']) }}
    {%- endif -%}
{%- endmacro %}


{#-
    The CSV files of a landing glob, split into those DuckDB can read and those it cannot
    (a list of [file, reason]). DuckDB's strict CSV reader gives up on a whole file when
      - a quoted field is never closed (an odd number of double quotes), or
      - CRLF and LF line endings are mixed (e.g. a line appended by hand);
    and its lenient mode silently truncates over-long rows, so it is not an option. Such a
    file is not read: persist_csv_rejects quarantines it as a whole so the rest of the
    folder still loads. Files above csv_quote_check_max_bytes are not pre-checked (DuckDB
    then fails the build naming the file). Empty files hold no rows and are skipped.
-#}
{% macro landing_csv_files(relative_glob) -%}
    {%- set result = {'readable': [], 'unreadable': []} -%}
    {%- if not execute or not landing_has_files(relative_glob) -%}{{ return(result) }}{%- endif -%}
    {%- set query -%}
        with sizes as (
            select filename, size from read_blob('{{ landing_path(relative_glob) }}')
        ),

        checked as (
            select
                text_files.filename,
                case
                    when (length(text_files.content)
                        - length(replace(text_files.content, '"', ''))) % 2 = 1
                        then 'UNTERMINATED QUOTE'
                    when contains(text_files.content, chr(13) || chr(10))
                        and regexp_matches(text_files.content, '(^|[^\r])\n')
                        then 'MIXED LINE ENDINGS'
                end as unreadable_reason
            from read_text('{{ landing_path(relative_glob) }}') as text_files
            inner join sizes on text_files.filename = sizes.filename
            where sizes.size <= {{ var('csv_quote_check_max_bytes') }}
        )

        select sizes.filename, checked.unreadable_reason
        from sizes
        left join checked on sizes.filename = checked.filename
        where sizes.size > 0
        order by sizes.filename
    {%- endset -%}
    {%- for row in run_query(query).rows -%}
        {%- if row[1] -%}
            {%- do result['unreadable'].append([row[0], row[1]]) -%}
        {%- else -%}
            {%- do result['readable'].append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{#-
    Post-hook for CSV staging tables: DuckDB keeps rejected CSV lines in temporary tables
    of the connection that read the file. Persist them next to the model, with the files
    that could not be read at all, so the quarantine model lists every malformed line with
    file, line number and reason.
-#}
{% macro persist_csv_rejects(source_name, table_name) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set meta = landing_source_meta(source_name, table_name) -%}
    {%- set files = landing_csv_files(meta['glob']) -%}
    {%- set target_relation = this.schema ~ '.' ~ this.identifier ~ '__csv_rejects' -%}
    create or replace table {{ target_relation }} as
    select
        null::varchar as source_file,
        null::bigint as source_line,
        null::varchar as error_type,
        null::varchar as raw_line,
        null::varchar as error_message
    where false
    {%- for file in files['readable'] %}
    union all
    select
        scans.file_path,
        cast(errors.line as bigint),
        cast(errors.error_type as varchar),
        errors.csv_line,
        errors.error_message
    from rejects_{{ source_name }}_{{ table_name }}_{{ loop.index }} as errors
    inner join rejects_scan_{{ source_name }}_{{ table_name }}_{{ loop.index }} as scans
        on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
    -- DuckDB may report one line several times (once per missing column): keep one.
    qualify row_number() over (
        partition by scans.file_path, errors.line order by errors.error_message
    ) = 1
    {%- endfor %}
    {%- for file, reason in files['unreadable'] %}
    union all
    select
        '{{ file }}',
        null::bigint,
        '{{ reason }}',
        null::varchar,
        {% if reason == 'UNTERMINATED QUOTE' -%}
            'A quoted field is never closed (odd number of double quotes); '
        {%- else -%}
            'CRLF and LF line endings are mixed; '
        {%- endif %} || 'the file was not read. Fix the export and re-land it.'
    {%- endfor %}
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


{#- Record position of a row numbered within its file: a CSV line counts the header line,
    a Parquet row or a JSON line does not. -#}
{% macro csv_header_offset(source_file_column) -%}
    case when lower({{ source_file_column }}) like '%.csv' then 1 else 0 end
{%- endmacro %}
