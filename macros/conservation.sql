{#- The landing sources whose records are conserved, with the staging model reading each. -#}
{% macro landed_sources() -%}
    {{ return([
        ('openai', 'costs', 'stg_openai__costs'),
        ('openai', 'usage_completions', 'stg_openai__usage_completions'),
        ('openai', 'usage_embeddings', 'stg_openai__usage_embeddings'),
        ('openai', 'usage_moderations', 'stg_openai__usage_moderations'),
        ('openai', 'usage_images', 'stg_openai__usage_images'),
        ('openai', 'usage_audio_speeches', 'stg_openai__usage_audio_speeches'),
        ('openai', 'usage_audio_transcriptions', 'stg_openai__usage_audio_transcriptions'),
        ('anthropic', 'cost_report', 'stg_anthropic__cost_report'),
        ('anthropic', 'usage_messages', 'stg_anthropic__usage_messages'),
        ('invoices', 'invoice_lines', 'stg_invoices__invoice_lines'),
        ('focus', 'cost_and_usage', 'stg_focus__cost_and_usage'),
        ('telemetry', 'litellm_spend_logs', 'stg_telemetry__litellm_spend_logs'),
        ('telemetry', 'otel_spans', 'stg_telemetry__otel_spans'),
        ('telemetry', 'requests', 'stg_telemetry__requests'),
        ('finance_inputs', 'recharges', 'stg_finance_inputs__recharges'),
        ('finance_inputs', 'decisions', 'stg_finance_inputs__decisions'),
        ('finance_inputs', 'signoffs', 'stg_finance_inputs__signoffs'),
    ]) }}
{%- endmacro %}


{#-
    Records as they sit in landed files, counted straight from the files and independently
    of the staging readers' parsing: one row per file (source_file, source_file_version,
    landed_records, file_check: what the CSV pre-check found, see landing_csv_files), for
    the files landing_files_to_read() returns (all, or only new and re-landed ones in an
    incremental run).
      text     JSON pages: the elements of every "results" array at any depth, and every
               "results" object (an invalid JSON file counts as 1, the one quarantined row
               staging gives it)
      lines    JSON lines of OTLP exports: the elements of every "spans" array at any depth
               (a line that is not JSON counts 1)
    The JSON counts find records by their key anywhere in the document, not by the path
    the readers take (data > buckets > results; resourceSpans > scopeSpans > spans): a
    page or export in a shape no reader understands does not balance.
      csv      records found by quote parity, not by a CSV parser: a line ends a record when
               the double quotes up to it are even (RFC 4180: a quoted line break stays
               inside its record, an escaped quote is doubled); blank lines are no records,
               the header is the first; a file DuckDB cannot read at all counts as 1, its
               file-level reject. A file with more than csv_max_malformed_lines records
               on a line of their own whose field count differs from the header's is
               'TOO MANY MALFORMED LINES': its reader quarantines it whole, not line by
               line (DuckDB keeps tens of kilobytes per rejected line, unbounded by
               memory_limit; a file of garbage would take the machine's memory); its
               records are still counted. Parquet files next to them: rows in the file
               footer; JSON-lines files: non-blank lines
-#}
{% macro landed_record_counts(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return('(select null::varchar, null::varchar, null::bigint, null::varchar where false)') }}
    {%- endif -%}
    {%- set meta = landing_source_meta(source_name, table_name) -%}
    {%- set to_read = landing_files_to_read(meta) -%}
    {%- set parts = [] -%}
    {%- if meta['reader'] == 'text' -%}
        {%- for path, version in to_read['glob'] -%}
            {%- set part -%}
                select
                    filename as source_file,
                    {{ sql_string(version) }} as source_file_version,
                    case
                        when not json_valid(content) then 1
                        else coalesce(list_sum(list_transform(
                            json_extract(case when json_valid(content) then content end, '$..results'),
                            lambda found: case json_type(found)
                                when 'ARRAY' then json_array_length(found)
                                when 'OBJECT' then 1
                                else 0
                            end
                        )), 0)
                    end as landed_records,
                    null::bigint as malformed_lines
                from {{ read_whole_file(path, version) }}
            {%- endset -%}
            {%- do parts.append(part) -%}
        {%- endfor -%}
    {%- elif meta['reader'] == 'lines' -%}
        {%- if to_read['glob'] -%}
            {%- set part -%}
                select
                    filename,
                    source_file_version,
                    coalesce(sum(
                        case
                            when not json_valid(line_text) then 1
                            else coalesce(len(json_extract(line_text, '$..spans[*]')), 0)
                        end
                    ), 0) as landed_records,
                    null::bigint as malformed_lines
                from {{ read_lines(to_read['glob']) }}
                where {{ is_nonblank_line('line_text') }}
                group by filename, source_file_version
            {%- endset -%}
            {%- do parts.append(part) -%}
        {%- endif -%}
    {%- elif meta['reader'] == 'csv' -%}
        {%- set checked = landing_csv_files(to_read['glob'], use_recorded_checks=false) -%}
        {%- set unreadable = checked['unreadable'] | map('first') | list -%}
        {%- set readable_files = [] -%}
        {%- for path, version in to_read['glob'] -%}
            {%- if path in unreadable -%}
                {%- do parts.append('select ' ~ sql_string(path) ~ ', ' ~ sql_string(version) ~ ', 1, null') -%}
            {%- elif path in checked['readable'] -%}
                {%- do readable_files.append([path, version]) -%}
            {%- else -%}
                {#- an empty file holds no records -#}
                {%- do parts.append('select ' ~ sql_string(path) ~ ', ' ~ sql_string(version) ~ ', 0, null') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for encoding in ['utf-8', 'utf-16'] -%}
        {%- set encoded_files = [] -%}
        {%- for path, version in readable_files
            if csv_encoding(path, checked['utf16']) == encoding -%}
            {%- do encoded_files.append([path, version]) -%}
        {%- endfor -%}
        {%- if encoded_files -%}
            {%- set part -%}
                (
                    with

                    lines as (
                        select
                            filename,
                            source_file_version,
                            line_number,
                            -- (a regular expression: trim() costs more than the read)
                            coalesce(regexp_full_match(line_text, '[\r\x{feff}]*'), true) as is_blank,
                            coalesce(strlen(line_text) - strlen(replace(line_text, '"', '')), 0) % 2 = 1
                                as is_odd,
                            -- the fields a line without quotes has, as its delimiters count
                            case when not contains(line_text, '"')
                                then strlen(line_text) - strlen(replace(line_text, ',', ''))
                            end as delimiters
                        from {{ read_lines(encoded_files, encoding) }}
                    ),

                    per_file as (
                        select
                            filename,
                            source_file_version,
                            count(*) filter (where not is_blank) as nonblank_lines,
                            max(line_number) as last_line,
                            max(delimiters) filter (where line_number = 1) as header_delimiters
                        from lines
                        group by filename, source_file_version
                    ),

                    marks as (
                        -- Only lines with an odd number of quotes change whether the next
                        -- line is inside a quoted field; blank lines inside one are no
                        -- record. Lines without quotes are kept to tell a malformed record
                        -- (a line of its own) from a line inside a quoted field.
                        select
                            filename,
                            line_number,
                            is_odd,
                            is_blank,
                            delimiters,
                            (
                                sum(is_odd::int) over (
                                    partition by filename order by line_number
                                    rows between unbounded preceding and current row
                                ) - is_odd::int
                            ) % 2 = 1 as inside_before
                        from lines
                        where is_odd or is_blank or (delimiters is not null and line_number > 1)
                    ),

                    spans as (
                        -- A quoted field spans from an odd line (opening) up to, not
                        -- including, the next (closing): the lines whose record goes on.
                        -- A record on a line of its own whose field count differs from
                        -- the header's is malformed (a lower bound: quoted records are
                        -- left to the reader).
                        select
                            marks.filename,
                            coalesce(sum(
                                case when marks.is_odd and marks.inside_before then marks.line_number
                                    when marks.is_odd then -marks.line_number end
                            ), 0) as signed_odd_lines,
                            count(*) filter (where marks.is_odd) as odd_lines,
                            count(*) filter (where marks.is_blank and marks.inside_before) as blank_span_lines,
                            count(*) filter (
                                where not marks.is_blank and not marks.inside_before
                                and marks.delimiters != per_file.header_delimiters
                            ) as malformed_lines
                        from marks
                        inner join per_file on marks.filename = per_file.filename
                        group by marks.filename
                    )

                    select
                        per_file.filename,
                        per_file.source_file_version,
                        -- the header is the first record
                        greatest(
                            per_file.nonblank_lines - 1 - coalesce(
                                spans.signed_odd_lines
                                + case when spans.odd_lines % 2 = 1 then per_file.last_line + 1 else 0 end
                                - spans.blank_span_lines,
                                0
                            ), 0
                        ),
                        coalesce(spans.malformed_lines, 0)
                    from per_file
                    left join spans on per_file.filename = spans.filename
                )
            {%- endset -%}
            {%- do parts.append(part) -%}
        {%- endif -%}
        {%- endfor -%}
        {%- for path, version in to_read['parquet_glob'] -%}
            {%- do parts.append(
                'select ' ~ sql_string(path) ~ ', ' ~ sql_string(version) ~ ', num_rows, null'
                ~ ' from parquet_file_metadata(' ~ sql_file_path(path) ~ ')') -%}
        {%- endfor -%}
        {%- if to_read['jsonl_glob'] -%}
            {%- set part -%}
                select filename, source_file_version, count(*), null
                from {{ read_lines(to_read['jsonl_glob']) }}
                where {{ is_nonblank_line('line_text') }}
                group by filename, source_file_version
            {%- endset -%}
            {%- do parts.append(part) -%}
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('landed_record_counts: no counter for ' ~ meta['reader']) }}
    {%- endif -%}
    {%- do parts.append(
        'select null::varchar, null::varchar, null::bigint, null::bigint where false') -%}
    {#- What the CSV pre-check found (landing_csv_files), kept with the count so the readers
        look it up instead of reading every file's content again. -#}
    {%- set file_checks = [] -%}
    {%- if meta['reader'] == 'csv' -%}
        {%- do file_checks.extend(checked['unreadable']) -%}
        {%- for path in checked['utf16'] -%}{%- do file_checks.append([path, 'UTF-16']) -%}{%- endfor -%}
    {%- endif -%}
    (
        select
            counted.source_file,
            counted.source_file_version,
            counted.landed_records,
            coalesce(
                file_checks.file_check,
                case
                    when counted.malformed_lines > {{ var('csv_max_malformed_lines') }}
                        then 'TOO MANY MALFORMED LINES'
                end
            ) as file_check
        from ({{ parts | join(' union all ') }})
            as counted (source_file, source_file_version, landed_records, malformed_lines)
        left join (
            values (null::varchar, null::varchar)
            {%- for path, check in file_checks %}, ({{ sql_string(path) }}, {{ sql_string(check) }}){% endfor %}
        ) as file_checks (source_file, file_check)
            on counted.source_file = file_checks.source_file
    )
{%- endmacro %}
