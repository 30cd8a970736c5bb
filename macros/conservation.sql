{#-
    Records as they sit in the landing zone, counted straight from the files and
    independently of the staging readers: one row per file with landed_records.
      json pages  results across the page's buckets (an invalid JSON file counts as 1,
                  the one quarantined row staging gives it)
      csv         physical records: line breaks outside double quotes, minus the header
                  (a file DuckDB cannot read at all counts as 1, its file-level reject);
                  Parquet files next to them (meta.parquet_glob): rows in the file metadata;
                  JSON-lines files (meta.jsonl_glob): non-blank lines
-#}
{% macro landed_record_counts(source_name, table_name) -%}
    {%- set meta = landing_source_meta(source_name, table_name) if execute else {} -%}
    {%- set has_files = execute and landing_has_files(meta['glob']) -%}
    {%- set has_parquet = execute and meta.get('parquet_glob') is not none
        and landing_has_files(meta['parquet_glob']) -%}
    {%- set has_jsonl = execute and meta.get('jsonl_glob') is not none
        and landing_has_files(meta['jsonl_glob']) -%}
    {%- if not (has_files or has_parquet or has_jsonl) -%}
        (select null::varchar as source_file, null::bigint as landed_records where false)
    {%- elif meta['reader'] == 'text' -%}
        (
            select
                filename as source_file,
                case
                    when not json_valid(content) then 1
                    else coalesce((
                        select sum(coalesce(json_array_length(bucket, '$.results'), 0))
                        from unnest(json_extract(case when json_valid(content) then content end, '$.data[*]'))
                            as buckets (bucket)
                    ), 0)
                end as landed_records
            from read_text('{{ landing_path(meta["glob"]) }}')
        )
    {%- elif meta['reader'] == 'csv' -%}
        {%- set unreadable = landing_csv_files(landing_file_versions(meta['glob']))['unreadable'] | map('first') | list -%}
        (
            with file_lines as (
                {%- if has_files %}
                select
                    filename,
                    unnest(string_split(content, chr(10))) as line_text,
                    unnest(range(len(string_split(content, chr(10))))) as line_index
                from read_text('{{ landing_path(meta["glob"]) }}')
                where length(content) <= {{ var('csv_quote_check_max_bytes') }}
                {%- else %}
                select null::varchar as filename, null::varchar as line_text,
                    null::bigint as line_index
                where false
                {%- endif %}
            ),

            quoted as (
                select
                    filename,
                    line_text,
                    sum(length(line_text) - length(replace(line_text, '"', ''))) over (
                        partition by filename order by line_index asc
                    ) as quotes_so_far,
                    max(line_index) over (partition by filename) as last_line_index,
                    line_index
                from file_lines
            )

            select
                filename as source_file,
                case
                    when filename in ('{{ unreadable | join("', '") }}') then 1
                    else greatest(count(*) filter (
                        where quotes_so_far % 2 = 0 and trim(line_text, chr(13) || chr(65279)) != ''
                    ) - 1, 0)
                end as landed_records
            from quoted
            group by filename
            {%- if has_parquet %}
            union all
            select file_name, num_rows
            from parquet_file_metadata('{{ landing_path(meta["parquet_glob"]) }}')
            {%- endif %}
            {%- if has_jsonl %}
            union all
            select
                filename,
                len(list_filter(string_split(content, chr(10)), lambda line: trim(line, chr(13) || ' ') != ''))
            from read_text('{{ landing_path(meta["jsonl_glob"]) }}')
            {%- endif %}
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error('landed_record_counts: no counter for ' ~ meta['reader']) }}
    {%- endif -%}
{%- endmacro %}
