{#-
    Reading the landing zone in place.

    Every source in models/staging/*/_*__sources.yml carries meta.glob (relative to
    var('raw_dir'), i.e. the RECON_RAW_DIR environment variable) and meta.reader (text,
    lines or csv; see landing() below). Paths enter SQL only through sql_string().
-#}

{% macro landing_path(relative_glob) -%}
    {{ return(glob_literal(var('raw_dir').rstrip('/')) ~ '/' ~ relative_glob) }}
{%- endmacro %}


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
    {{ return(run_query("select count(*) from glob(" ~ sql_string(path_glob) ~ ")").columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro landing_has_files(relative_glob) -%}
    {{ return(path_has_files(landing_path(relative_glob))) }}
{%- endmacro %}


{#- Every file under the landing folder, at any depth, with its size and modification
    time (read_blob's columns, contents not read): an empty relation of those columns when
    the folder is empty or absent, so the inventory reads it the same way either way. -#}
{% macro landing_file_listing() -%}
    {%- if landing_has_files('**') -%}
        {{ return('(select filename, size, last_modified from read_blob(' ~ sql_string(landing_path('**')) ~ '))') }}
    {%- endif -%}
    {{ return('(select null::varchar as filename, null::bigint as size, null::timestamp as last_modified where false)') }}
{%- endmacro %}


{#- The files of a landing glob as [path, version] pairs, in name order. The version
    (size and modification time) changes when a file is re-landed. Reads no content.
    A glob ends in *.<extension>, or *.<extension>|<extension> for a source written under
    either (OTLP JSON lines: .jsonl, or .json as the Collector's file exporter names them);
    the extension matches in any case (.csv, .CSV) and, except for Parquet, gzipped
    (.csv.gz, .json.gz, .jsonl.gz), since exporters write all of these. DuckDB's readers
    decompress .gz files themselves. -#}
{% macro landing_file_versions(relative_glob) -%}
    {%- if not execute or relative_glob is none -%}{{ return([]) }}{%- endif -%}
    {%- set folder_glob, extension = relative_glob.rsplit('*.', 1) -%}
    {%- if not landing_has_files(folder_glob ~ '*') -%}{{ return([]) }}{%- endif -%}
    {%- set suffix = '\\.(?i:' ~ extension ~ ')' ~ ('' if extension == 'parquet' else '(\\.gz)?') ~ '$' -%}
    {%- set query -%}
        select
            filename,
            cast(size as varchar) || '@' || cast(epoch_ms(last_modified) as varchar)
        from read_blob({{ sql_string(landing_path(folder_glob ~ '*')) }})
        where regexp_matches(filename, {{ sql_string(suffix) }})
        order by filename
    {%- endset -%}
    {%- set files = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do files.append([row[0], row[1]]) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}


{#- Every glob a source's files may match (CSV or JSON, Parquet, JSON lines). -#}
{% macro landing_globs(meta) -%}
    {{ return([meta['glob'], meta.get('parquet_glob'), meta.get('jsonl_glob')]
        | reject('none') | list) }}
{%- endmacro %}


{#-
    The landed files a staging model reads in this run, as [path, version] pairs per glob
    kind: every file, or, when the model is incremental and already built, only files
    whose version it does not hold yet (new or re-landed). Such a model holds
    source_file and source_file_version on every row; forget_unlanded_file_versions()
    (its pre-hook) drops the rows of files that changed or disappeared.
-#}
{% macro landing_files_to_read(meta) -%}
    {%- set loaded = [] -%}
    {%- if execute and model.config.materialized == 'incremental' and is_incremental() -%}
        {{ require_incremental_column('source_file_version') }}
        {%- for row in run_query(
            'select distinct source_file, source_file_version from ' ~ this).rows -%}
            {%- do loaded.append(row[0] ~ '|' ~ row[1]) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set result = {} -%}
    {%- for kind in ['glob', 'parquet_glob', 'jsonl_glob'] -%}
        {%- set files = [] -%}
        {%- for path, version in landing_file_versions(meta.get(kind)) -%}
            {%- if (path ~ '|' ~ version) not in loaded -%}
                {%- do files.append([path, version]) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do result.update({kind: files}) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{#- An incremental table built by an older version of this project lacks the column its
    incremental logic reads: say so (instead of a SQL error) and how to rebuild it. -#}
{% macro require_incremental_column(column_name) -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if column_name not in columns -%}
        {{ exceptions.raise_compiler_error(
            this ~ ' was built by an older version of this project (it has no column '
            ~ column_name ~ '). Rebuild it once: dbt build --full-refresh') }}
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of file-incremental models: forget the rows of every file that is no longer
    landed as the version the rows came from (changed or removed). sources lists the
    (source_name, table_name, ...) whose files the model holds. -#}
{% macro forget_unlanded_file_versions(sources) -%}
    {%- if not execute or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set landed = [] -%}
    {%- for source in sources -%}
        {%- for relative_glob in landing_globs(landing_source_meta(source[0], source[1])) -%}
            {%- do landed.extend(landing_file_versions(relative_glob)) -%}
        {%- endfor -%}
    {%- endfor -%}
    delete from {{ this }}
    {%- if landed %}
    where (source_file, source_file_version) not in (
        {%- for path, version in landed %}
        ({{ sql_string(path) }}, {{ sql_string(version) }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
    {%- endif %}
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


{#- Landed files ([path, version] pairs) read as lines (JSON lines), in one multi-file scan
    (one scan per file would hold a read buffer per file at once): filename,
    source_file_version, line_number and line_text (NULL for a blank line). A line is never
    split on quotes or commas. The scan numbers lines across files in file order; each
    file's first number is looked up when the model compiles (a text-free scan) and
    joined as constants, so no line is ever held in memory. -#}
{% macro read_lines(files, encoding='utf-8') -%}
    {%- set scan -%}
        read_csv([
            {%- for path, version in files %}{{ sql_file_path(path) }}{% if not loop.last %}, {% endif %}{% endfor -%}
            ], columns = {'line_text': 'VARCHAR'}, header = false, delim = chr(1), quote = '',
            escape = '', auto_detect = false, strict_mode = false, filename = true,
            max_line_size = 8388608, buffer_size = 8388608, encoding = '{{ encoding }}')
            with ordinality
    {%- endset -%}
    (
        select
            lines.filename,
            versions.source_file_version,
            lines.ordinality - versions.first_ordinality + 1 as line_number,
            lines.line_text
        from {{ scan }} as lines
        inner join {{ first_ordinalities(scan, files) }} as versions
            on lines.filename = versions.filename
    )
{%- endmacro %}


{#- One landed file as one row (filename, content, last_modified), like read_text. A
    gzipped file is decompressed by reading its lines (DuckDB's CSV reader decompresses;
    read_text does not) and joining them again; the modification time then comes from the
    file version (size@epoch_ms). -#}
{% macro read_whole_file(path, version) -%}
    {%- if path.endswith('.gz') -%}
        (
            select
                {{ sql_string(path) }} as filename,
                coalesce(string_agg(line_text, chr(10) order by line_number), '') as content,
                epoch_ms({{ version.split('@')[1] }}) as last_modified
            from {{ read_lines([[path, version]]) }}
        )
    {%- else -%}
        read_text({{ sql_file_path(path) }})
    {%- endif -%}
{%- endmacro %}


{#- A multi-file scan numbers rows across files in file order (WITH ORDINALITY): each
    file's first number, looked up when the model compiles (a scan that keeps no row), as
    constants (filename, source_file_version, first_ordinality) to join on filename. -#}
{% macro first_ordinalities(scan, files) -%}
    {%- set first = {} -%}
    {%- if execute and files -%}
        {%- for row in run_query('select filename, min(ordinality) from ' ~ scan ~ ' group by filename').rows -%}
            {%- do first.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    (
        select * from (
            values
            (null::varchar, null::varchar, null::bigint)
            {%- for path, version in files if path in first %},
            ({{ sql_string(path) }}, {{ sql_string(version) }}, {{ first[path] }})
            {%- endfor %}
        ) as file_versions (filename, source_file_version, first_ordinality)
    )
{%- endmacro %}


{#- [path, version] pairs of CSV files grouped by their header line exactly as written
    (a byte-order mark included) and encoding, in file order: files of one group can share a
    multi-file scan, which takes its columns and encoding from the first file. -#}
{% macro csv_header_groups(files, utf16_paths=[]) -%}
    {%- set groups = {} -%}
    {%- set order = [] -%}
    {%- for path, version in files -%}
        {%- set header = run_query(
            'select line_text from read_csv(' ~ sql_file_path(path) ~ ", columns = {'line_text': 'VARCHAR'},"
            ~ " header = false, delim = chr(1), quote = '', escape = '', auto_detect = false,"
            ~ " strict_mode = false, max_line_size = 8388608, encoding = '" ~ csv_encoding(path, utf16_paths)
            ~ "') limit 1").columns[0].values() -%}
        {%- set key = csv_encoding(path, utf16_paths) ~ '|' ~ (header[0] if header else '') -%}
        {%- if key not in groups -%}
            {%- do groups.update({key: []}) -%}
            {%- do order.append(key) -%}
        {%- endif -%}
        {%- do groups[key].append([path, version]) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for key in order -%}
        {%- do result.append(groups[key]) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{#- The encoding a CSV file is read with: utf-16 when landing_csv_files found its
    byte-order mark, else utf-8. -#}
{% macro csv_encoding(path, utf16_paths) -%}
    {{ return('utf-16' if path in utf16_paths else 'utf-8') }}
{%- endmacro %}


{#-
    The rows of a landing source, read in place. Every row carries filename,
    source_file_version and file_row_number (its position in the file: CSV data rows and
    Parquet rows from 1, JSON lines by line number).
      text     one row per file (filename, content, last_modified): JSON pages
      lines    one row per line (line_text; NULL when blank): JSON lines such as OTLP
      csv      read_csv(all_varchar, RFC 4180 dialect) with store_rejects, one multi-file
               scan per distinct header line (csv_header_groups), BOMs
               stripped from names and values; malformed lines and unreadable files are
               kept (persist_csv_rejects); with meta.parquet_glob / meta.jsonl_glob,
               Parquet and JSON-lines files of the same columns are read too (values as text)
    Every value read is redacted (redact_credentials): no credential reaches a model.
    An incremental model reads only new or re-landed files (landing_files_to_read). When
    there is nothing to read, an empty relation with the same columns is returned, so a
    company that uses only one provider still builds.
-#}
{% macro landing(source_name, table_name) -%}
    {#- source() registers the lineage; the landing-zone read replaces the relation. A CSV
        reader looks up each file's pre-check recorded by stg_landing__files, so it runs
        after it (a file of garbage is then never handed to DuckDB's CSV parser). -#}
    {%- set relation = source(source_name, table_name) -%}
    {%- if model.name in csv_staging_models() -%}{%- do ref('stg_landing__files') -%}{%- endif -%}
    {%- if not execute -%}{{ return(relation) }}{%- endif -%}
    {%- set meta = landing_source_meta(source_name, table_name) -%}
    {%- set to_read = landing_files_to_read(meta) -%}
    {%- set parts = [] -%}
    {%- if meta['reader'] == 'text' -%}
        {%- for path, version in to_read['glob'] -%}
            {%- do parts.append(
                'select filename, content, last_modified, ' ~ sql_string(version)
                ~ ' as source_file_version from ' ~ read_whole_file(path, version)) -%}
        {%- endfor -%}
        {%- set empty -%}
            select null::varchar as filename, null::varchar as content,
                null::timestamp as last_modified, null::varchar as source_file_version
            where false
        {%- endset -%}
    {%- elif meta['reader'] == 'lines' -%}
        {%- if to_read['glob'] -%}
            {%- do parts.append(
                'select filename, source_file_version, line_number as file_row_number, line_text from '
                ~ read_lines(to_read['glob'])) -%}
        {%- endif -%}
        {%- set empty -%}
            select null::varchar as filename, null::varchar as source_file_version,
                null::bigint as file_row_number, null::varchar as line_text
            where false
        {%- endset -%}
    {%- elif meta['reader'] == 'csv' -%}
        {%- set checked = landing_csv_files(to_read['glob']) -%}
        {%- set readable = checked['readable'] -%}
        {#- A source that may arrive as JSONL carries landing_error (invalid_json) in every part. -#}
        {%- set has_jsonl = meta.get('jsonl_glob') is not none -%}
        {%- set error_column = 'null::varchar as landing_error,' if has_jsonl else '' -%}
        {%- for path, version in to_read['parquet_glob'] -%}
            {#- The same columns exported as Parquet: every value as text, so staging parses
                both formats alike (maps, structs and lists, e.g. FOCUS Tags, as JSON). -#}
            {%- set parquet_part -%}
                select
                    case
                        when
                            typeof(columns(* exclude (file_row_number))) similar to '(MAP|STRUCT).*'
                            or typeof(columns(* exclude (file_row_number))) like '%[]'
                            then to_json(columns(* exclude (file_row_number)))::varchar
                        else columns(* exclude (file_row_number))::varchar
                    end,
                    {{ error_column }}
                    {{ sql_string(path) }} as filename,
                    {{ sql_string(version) }} as source_file_version,
                    file_row_number + 1 as file_row_number
                from read_parquet({{ sql_file_path(path) }}, file_row_number = true)
            {%- endset -%}
            {%- do parts.append(parquet_part) -%}
        {%- endfor -%}
        {%- if to_read['jsonl_glob'] -%}
            {#- One JSON object per line with the same keys; nested values as JSON text. A line
                that is not JSON keeps its place with landing_error = 'invalid_json'. -#}
            {%- set jsonl_part -%}
                select
                    {%- for column in meta['columns'] %}
                    case when json_valid(line_text)
                        then json_extract_string(line_text, '$."{{ column }}"') end as "{{ column }}",
                    {%- endfor %}
                    case when not json_valid(line_text) then 'invalid_json' end as landing_error,
                    filename,
                    source_file_version,
                    row_number() over (partition by filename order by line_number) as file_row_number
                from {{ read_lines(to_read['jsonl_glob']) }}
                where {{ is_nonblank_line('line_text') }}
            {%- endset -%}
            {%- do parts.append(jsonl_part) -%}
        {%- endif -%}
        {#- Readable CSV files with the same header are read in one multi-file scan (one
            scan per file held every file's rows at once: 10 GB at 30M requests); files
            whose header differs are read in a scan of their own, and the parts are unioned
            by name, so columns are still matched by name per file. -#}
        {%- set readable_files = [] -%}
        {%- for path, version in to_read['glob'] if path in readable -%}
            {%- do readable_files.append([path, version]) -%}
        {%- endfor -%}
        {%- for group in csv_header_groups(readable_files, checked['utf16']) -%}
            {%- set scan -%}
                read_csv([
                    {%- for path, version in group %}{{ sql_file_path(path) }}{% if not loop.last %}, {% endif %}{% endfor -%}
                    ], all_varchar = true, header = true, delim = ',', quote = '"', escape = '"',
                    encoding = '{{ csv_encoding(group[0][0], checked['utf16']) }}',
                    filename = true, store_rejects = true,
                    rejects_table = 'rejects_{{ source_name }}_{{ table_name }}_{{ loop.index }}',
                    rejects_scan = 'rejects_scan_{{ source_name }}_{{ table_name }}_{{ loop.index }}')
                    with ordinality
            {%- endset -%}
            {%- set csv_part -%}
                select
                    {{ error_column }}
                    csv_rows.* exclude (ordinality),
                    versions.source_file_version,
                    csv_rows.ordinality - versions.first_ordinality + 1 as file_row_number
                from (
                    select
                        -- (case: ltrim() on every value costs half the read)
                        case
                            when prefix(columns(* exclude (ordinality, filename)), chr(65279))
                                then ltrim(columns(* exclude (ordinality, filename)), chr(65279))
                            else columns(* exclude (ordinality, filename))
                        end,
                        filename,
                        ordinality
                    from (
                        select columns('^\x{feff}*(.*)$') as '\1'
                        from {{ scan }}
                    )
                ) as csv_rows
                inner join {{ first_ordinalities(scan, group) }} as versions
                    on csv_rows.filename = versions.filename
            {%- endset -%}
            {%- do parts.append(csv_part) -%}
        {%- endfor -%}
        {%- set empty -%}
            select
                {%- for column in meta['columns'] %}
                null::varchar as "{{ column }}",
                {%- endfor %}
                {{ error_column }}
                null::varchar as filename,
                null::varchar as source_file_version,
                null::bigint as file_row_number
            where false
        {%- endset -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('Unknown landing reader ' ~ meta['reader']) }}
    {%- endif -%}
    {#- The empty relation is always part of the union, so a declared column that no landed
        file has (an older export version) reads as NULL instead of failing the build. Every
        value read is redacted once, on the union (a column reference, not re-evaluated). -#}
    {%- set kept = {
        'text': ['filename', 'last_modified', 'source_file_version'],
        'lines': ['filename', 'source_file_version', 'file_row_number'],
        'csv': ['filename', 'source_file_version', 'file_row_number']
            + (['landing_error'] if meta.get('jsonl_glob') is not none else []),
    }[meta['reader']] -%}
    {%- set read = {'text': 'content', 'lines': 'line_text'}.get(meta['reader']) -%}
    (
        select
            {% if read -%}
                {{ redact_credentials(read) }} as {{ read }},
            {%- else -%}
                {{ redact_credentials('columns(* exclude (' ~ kept | join(', ') ~ '))') }},
            {%- endif %}
            {{ kept | join(', ') }}
        from ({{ (parts + [empty]) | join(' union all by name ') }})
    )
{%- endmacro %}


{#-
    The CSV files among [path, version] pairs, split into those DuckDB can read (a list of
    paths; 'utf16' lists those among them written in UTF-16, as their byte-order mark says,
    which are read with that encoding) and those it cannot (a list of [path, reason]). A file
    that is neither UTF-8 nor UTF-16 with a byte-order mark (Windows-1252, Excel's default)
    is not read: which bytes meant which characters is a guess. DuckDB's strict CSV reader
    gives up on a whole file when
      - a quoted field is never closed (an odd number of double quotes), or
      - CRLF and LF line endings are mixed (e.g. a line appended by hand);
    and its lenient mode silently truncates over-long rows, so it is not an option. Such a
    file is not read: persist_csv_rejects quarantines it as a whole so the rest of the
    folder still loads. Files above csv_quote_check_max_bytes and gzipped files (read_blob
    does not decompress) are not pre-checked (DuckDB then fails the build naming the file).
    Empty files hold no rows and are skipped. The size comes from the file version
    (size@mtime); the check streams one file at a time,
    so memory holds one file, never the folder. A file with too many malformed lines (TOO
    MANY MALFORMED LINES, found by the record count in landed_record_counts) is not read
    either. stg_landing__files records each file
    version's result (file_check), and the readers look it up (use_recorded_checks), so a
    file's content is checked once, when it is counted.
-#}
{% macro landing_csv_files(files, use_recorded_checks=true) -%}
    {%- set result = {'readable': [], 'unreadable': [], 'utf16': []} -%}
    {%- if not execute or not files -%}{{ return(result) }}{%- endif -%}
    {#- The check stg_landing__files recorded for a file version, when it has one. -#}
    {%- set recorded = {} -%}
    {%- set recorded_relation = built_relation('stg_landing__files') if use_recorded_checks else none -%}
    {%- if recorded_relation is not none
        and 'file_check' in adapter.get_columns_in_relation(recorded_relation) | map(attribute='name') | list -%}
        {%- for row in run_query(
            'select source_file, source_file_version, coalesce(file_check, \'\') from '
            ~ recorded_relation).rows -%}
            {%- do recorded.update({row[0] ~ '|' ~ row[1]: row[2]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set to_check = [] -%}
    {%- for path, version in files -%}
        {%- set size = version.split('@')[0] | int -%}
        {%- set check = recorded.get(path ~ '|' ~ version) -%}
        {%- if check is not none -%}
            {%- if check == 'UTF-16' -%}
                {%- do result['readable'].append(path) -%}
                {%- do result['utf16'].append(path) -%}
            {%- elif check -%}
                {%- do result['unreadable'].append([path, check]) -%}
            {%- else -%}
                {%- do result['readable'].append(path) -%}
            {%- endif -%}
        {%- elif size > var('csv_quote_check_max_bytes') or path.endswith('.gz') -%}
            {%- do result['readable'].append(path) -%}
        {%- elif size > 0 -%}
            {%- do to_check.append(path) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if to_check -%}
        {%- set query -%}
            select
                filename,
                case
                    when hex(content[1:2]) in ('FFFE', 'FEFF') then 'UTF-16'
                    when text is null then 'NOT UTF8'
                    when (strlen(text) - strlen(replace(text, '"', ''))) % 2 = 1
                        then 'UNTERMINATED QUOTE'
                    when contains(text, chr(13) || chr(10))
                        and regexp_matches(text, '(^|[^\r])\n')
                        then 'MIXED LINE ENDINGS'
                end as file_check
            from (
                select filename, content, try(decode(content)) as text
                from read_blob([
                    {%- for path in to_check %}{{ sql_file_path(path) }}{% if not loop.last %}, {% endif %}{% endfor -%}
                ])
            )
        {%- endset -%}
        {%- for row in run_query(query).rows -%}
            {%- if row[1] == 'UTF-16' -%}
                {%- do result['readable'].append(row[0]) -%}
                {%- do result['utf16'].append(row[0]) -%}
            {%- elif row[1] -%}
                {%- do result['unreadable'].append([row[0], row[1]]) -%}
            {%- else -%}
                {%- do result['readable'].append(row[0]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(result) }}
{%- endmacro %}


{#-
    Post-hook of CSV staging models: DuckDB keeps rejected CSV lines in temporary tables
    of the connection that read the file. Persist them next to the model, with the files
    that could not be read at all, so the quarantine model lists every malformed line with
    file, line number and reason, never the line itself (it may hold a payload or a key; the
    message is redacted too), and the records each row rejects (rejected_records: 1 for
    a line, every record counted in the file for a file quarantined whole). Rejects are
    kept per file version: those of a file no
    longer landed as that version are forgotten, those of a version already stored are not
    stored twice (an incremental model reads only new or re-landed files).
-#}
{% macro persist_csv_rejects(source_name, table_name) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set meta = landing_source_meta(source_name, table_name) -%}
    {%- set landed = landing_file_versions(meta['glob']) -%}
    {%- set is_file_incremental = model.config.materialized == 'incremental' and is_incremental() -%}
    {#- Only files without staged rows can be unreadable: an incremental model checks those
        and never re-reads the rest. -#}
    {%- set staged = [] -%}
    {%- if is_file_incremental -%}
        {%- for row in run_query('select distinct source_file, source_file_version from ' ~ this).rows -%}
            {%- do staged.append(row[0] ~ '|' ~ row[1]) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set unstaged = [] -%}
    {%- for path, version in landed if (path ~ '|' ~ version) not in staged -%}
        {%- do unstaged.append([path, version]) -%}
    {%- endfor -%}
    {%- set unreadable = landing_csv_files(unstaged)['unreadable'] -%}
    {%- set scans = run_query(
        "select table_name from duckdb_tables() where temporary and table_name like "
        ~ sql_string('rejects_scan_' ~ source_name ~ '_' ~ table_name ~ '_%')).columns[0].values() -%}
    {%- set target_relation = this.schema ~ '.' ~ this.identifier ~ '__csv_rejects' -%}
    {#- The records counted per file version (none yet when the model is run alone). -#}
    {%- set counted_files = built_relation('stg_landing__files') or
        '(select null::varchar as source_file, null::varchar as source_file_version,'
        ~ ' null::bigint as landed_records)' -%}
    {%- if not is_file_incremental %}
    drop table if exists {{ target_relation }};
    {%- endif %}
    create table if not exists {{ target_relation }} (
        source_file varchar, source_file_version varchar, source_line bigint,
        error_type varchar, error_message varchar, rejected_records bigint
    );
    alter table {{ target_relation }} add column if not exists rejected_records bigint default 1;
    delete from {{ target_relation }}
    where (source_file, source_file_version) not in (
        ('', '')
        {%- for path, version in landed %},
        ({{ sql_string(path) }}, {{ sql_string(version) }})
        {%- endfor %}
    );
    insert into {{ target_relation }}
    with

    landed_versions as (
        select null::varchar as source_file, null::varchar as source_file_version where false
        {%- for path, version in landed %}
        union all select {{ sql_string(path) }}, {{ sql_string(version) }}
        {%- endfor %}
    ),

    new_rejects as (
        select
            null::varchar as source_file,
            null::bigint as source_line,
            null::varchar as error_type,
            null::varchar as error_message
        where false
        {%- for scan in scans %}
        union all
        select
            scans.file_path,
            cast(errors.line as bigint),
            cast(errors.error_type as varchar),
            {{ redact_credentials('errors.error_message') }}
        from {{ scan | replace('rejects_scan_', 'rejects_') }} as errors
        inner join {{ scan }} as scans
            on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
        -- DuckDB may report one line several times (once per missing column): keep one.
        qualify row_number() over (
            partition by scans.file_path, errors.line order by errors.error_message
        ) = 1
        {%- endfor %}
        {%- for path, reason in unreadable %}
        union all
        select
            {{ sql_string(path) }},
            null::bigint,
            '{{ reason }}',
            {% if reason == 'UNTERMINATED QUOTE' -%}
                'A quoted field is never closed (odd number of double quotes); '
            {%- elif reason == 'TOO MANY MALFORMED LINES' -%}
                'More than {{ var('csv_max_malformed_lines') }} lines have a different number of'
                || ' fields from the header (not a CSV export of these columns, or garbage; its'
                || ' records are counted in stg_landing__files); '
            {%- elif reason == 'NOT UTF8' -%}
                'The file is not UTF-8 (nor UTF-16 with a byte-order mark), e.g. Windows-1252 as'
                || ' Excel saves CSV (choose CSV UTF-8); '
            {%- else -%}
                'CRLF and LF line endings are mixed; '
            {%- endif %} || 'the file was not read. Fix the export and re-land it.'
        {%- endfor %}
    )

    select
        new_rejects.source_file,
        landed_versions.source_file_version,
        new_rejects.source_line,
        new_rejects.error_type,
        new_rejects.error_message,
        -- a file quarantined whole rejects every record counted in it
        case
            when new_rejects.source_line is null then coalesce(counted.landed_records, 1)
            else 1
        end as rejected_records
    from new_rejects
    inner join landed_versions on new_rejects.source_file = landed_versions.source_file
    left join {{ counted_files }} as counted
        on
            new_rejects.source_file = counted.source_file
            and landed_versions.source_file_version = counted.source_file_version
    where (new_rejects.source_file, landed_versions.source_file_version) not in (
        select source_file, source_file_version from {{ target_relation }}
    )
    {%- for scan in scans %};
    drop table {{ scan | replace('rejects_scan_', 'rejects_') }};
    drop table {{ scan }}
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


{#- True for a line with anything but spaces and carriage returns (no copy of the line is
    made: a JSON-lines export may hold megabytes on one line). -#}
{% macro is_nonblank_line(line_column) -%}
    regexp_matches(coalesce({{ line_column }}, ''), '[^\r ]')
{%- endmacro %}


{#- The OTLP/JSON export shape the OTel readers parse into (json_transform structure):
    resource spans > scope spans > spans, with the span fields read. -#}
{% macro otlp_spans_json_shape() -%}
    {%- set attributes = '[{"key": "VARCHAR", "value": {"stringValue": "VARCHAR", "intValue": "VARCHAR", "doubleValue": "VARCHAR", "boolValue": "VARCHAR"}}]' -%}
    {"resourceSpans": [{"resource": {"attributes": {{ attributes }}}, "scopeSpans": [{"spans": [{"traceId": "VARCHAR", "spanId": "VARCHAR", "startTimeUnixNano": "VARCHAR", "endTimeUnixNano": "VARCHAR", "status": {"code": "INTEGER", "message": "VARCHAR"}, "attributes": {{ attributes }}}]}]}]}
{%- endmacro %}


{#- An OTLP/JSON line as the readers parse it (lowerCamelCase keys, scopeSpans): a line
    written with the protobuf field names (resource_spans, span_id, ...: receivers should
    accept them) or with the scope list's name before OTLP 1.0 (instrumentationLibrarySpans)
    has the keys the readers read renamed. Only keys change: in JSON a string followed by a
    colon is always a key. Other lines pass as they are. -#}
{% macro otlp_json_in_camel_case(line) -%}
    case
        when
            contains({{ line }}, '_spans"')
            or contains({{ line }}, '"instrumentationLibrarySpans"')
            then
                regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                    {{ line }},
                    '"resource_spans"(\s*):', '"resourceSpans"\1:', 'g'),
                    '"(scope_spans|instrumentation_library_spans|instrumentationLibrarySpans)"(\s*):',
                    '"scopeSpans"\2:', 'g'),
                    '"trace_id"(\s*):', '"traceId"\1:', 'g'),
                    '"span_id"(\s*):', '"spanId"\1:', 'g'),
                    '"start_time_unix_nano"(\s*):', '"startTimeUnixNano"\1:', 'g'),
                    '"end_time_unix_nano"(\s*):', '"endTimeUnixNano"\1:', 'g'),
                    '"string_value"(\s*):', '"stringValue"\1:', 'g'),
                    '"int_value"(\s*):', '"intValue"\1:', 'g'),
                    '"double_value"(\s*):', '"doubleValue"\1:', 'g'),
                    '"bool_value"(\s*):', '"boolValue"\1:', 'g')
        else {{ line }}
    end
{%- endmacro %}


{#- The typed shape of the LiteLLM SpendLogs metadata fields this project reads (every
    leaf as text): parsed once per row with from_json; a field of another shape reads as
    NULL, other keys (a leaked key, payload echoes) are never read. -#}
{% macro litellm_metadata_json_shape() -%}
    {"user_api_key_alias": "VARCHAR", "user_api_key_team_id": "VARCHAR", "spend_logs_metadata": {"route": "VARCHAR", "fallback_from_model": "VARCHAR", "retries": "VARCHAR"}, "usage_object": {"prompt_tokens_details": {"cached_tokens": "VARCHAR"}, "completion_tokens_details": {"reasoning_tokens": "VARCHAR"}}, "additional_usage_values": {"cache_read_input_tokens": "VARCHAR", "cache_creation_input_tokens": "VARCHAR"}}
{%- endmacro %}


{#- The text value of a span attribute by key, in a model holding attribute_keys and
    attribute_values (stg_telemetry__otel_spans). -#}
{% macro otlp_attribute(key) -%}
    attribute_values[list_position(attribute_keys, {{ sql_string(key) }})]
{%- endmacro %}
