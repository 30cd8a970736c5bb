{#-
    Closed periods, persisted outside the warehouse file (DECISIONLOG "Closed periods").

    When a period closes (three sign-offs, every provider within tolerance, no quarantined
    rows) the build's on-run-end hook writes its close record under var('close_records_dir')
    (the RECON_CLOSE_DIR environment variable), one folder per period:
        close_period=YYYY-MM/reconciliation_lines0.parquet   the period's lines, as decided
                                                             (a deferred line keeps the period
                                                             it was deferred to)
        close_period=YYYY-MM/chargeback_ledger0.parquet      the chargeback posted in it
        close_period=YYYY-MM/checksums.csv                   SHA-256 of both files
    A record is never rewritten. Every later build, including one from an empty DuckDB
    file, reads the records back: the period's lines and chargeback come from the record,
    and whatever the landing zone now says differently becomes adjustment lines in the
    next open period (int_reconciliation_lines_decided). The records are read by the
    staging models stg_close_records__reconciliation_lines and __chargeback_ledger.
-#}

{% macro close_record_glob(table_name) -%}
    {{ return(glob_literal(var('close_records_dir').rstrip('/')) ~ '/close_period=*/' ~ table_name ~ '*.parquet') }}
{%- endmacro %}


{#- The records of one table (reconciliation_lines or chargeback_ledger) as a relation: the
    columns of the mart they record (fct_<table>, by its enforced contract) and
    close_period. With no period closed yet it is an empty relation of those columns, like
    an empty landing folder, so models read it the same way either way. Every record
    folder is verified first (verify_close_records): none is read unless all are whole and
    unaltered. -#}
{% macro close_record_relation(table_name) -%}
    {%- if not execute -%}{{ return('(select null::varchar as close_period where false)') }}{%- endif -%}
    {%- do verify_close_records() -%}
    {%- set glob = close_record_glob(table_name) -%}
    {%- if path_has_files(glob) -%}
        {{ return('(select * from read_parquet(' ~ sql_string(glob) ~ ', hive_partitioning = true))') }}
    {%- endif -%}
    {%- set recorded = graph.nodes.values() | selectattr('name', 'equalto', 'fct_' ~ table_name) | first -%}
    {%- set columns = [] -%}
    {%- for column in recorded.columns.values() -%}
        {%- do columns.append('null::' ~ column.data_type ~ ' as ' ~ column.name) -%}
    {%- endfor -%}
    {{ return('(select ' ~ columns | join(', ') ~ ', null::varchar as close_period where false)') }}
{%- endmacro %}


{#- Stop the build, naming the folder and what to do, when a close record is not exactly
    what its close wrote: checksums.csv missing or empty (a close interrupted before it
    finished, or the file removed), a listed file missing, an unlisted file present, or a
    file whose SHA-256 differs. checksums.csv is written last, so a record is only ever
    complete with it. -#}
{% macro verify_close_records() -%}
    {%- set directory = glob_literal(var('close_records_dir').rstrip('/')) -%}
    {%- if not path_has_files(directory ~ '/close_period=*/*') -%}{{ return('') }}{%- endif -%}
    {%- set folders_query -%}
        select distinct
            regexp_extract(file, '^(.*/close_period=[^/]*)/', 1) as folder
        from glob({{ sql_string(directory ~ '/close_period=*/*') }})
        order by folder
    {%- endset -%}
    {%- set problems = [] -%}
    {%- for folder in run_query(folders_query).columns[0].values() -%}
        {%- set checksums_query -%}
            select coalesce(max(size), 0) from read_blob({{ sql_file_path(folder ~ '/checksums.csv') }})
        {%- endset -%}
        {%- if not path_has_files(glob_literal(folder ~ '/checksums.csv'))
            or run_query(checksums_query).columns[0].values()[0] == 0 -%}
            {%- do problems.append(folder ~ ' has no checksums.csv (a close that did not finish,'
                ~ ' or a removed file): if its close was interrupted, delete the folder and build'
                ~ ' again to close the period; otherwise restore the folder from backup') -%}
        {%- else -%}
            {%- set compare -%}
                with

                listed as (
                    select file_name, sha256 as recorded_sha256
                    from read_csv({{ sql_file_path(folder ~ '/checksums.csv') }},
                        header = true, all_varchar = true, strict_mode = false)
                ),

                present as (
                    select regexp_extract(filename, '[^/]+$') as file_name, sha256(content) as current_sha256
                    from read_blob({{ sql_string(glob_literal(folder) ~ '/*.parquet') }})
                )

                select coalesce(listed.file_name, present.file_name)
                from listed
                full outer join present on listed.file_name = present.file_name
                where listed.recorded_sha256 is distinct from present.current_sha256
                order by 1
            {%- endset -%}
            {%- set differing = run_query(compare).columns[0].values() | list -%}
            {%- if differing -%}
                {%- do problems.append(folder ~ ' does not match its checksums.csv ('
                    ~ differing | join(', ') ~ ' altered, missing or added): restore the folder'
                    ~ ' from backup; a closed period is never rewritten') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            'Close records cannot be used, so nothing was built from them: '
            ~ problems | join('; ')) }}
    {%- endif -%}
{%- endmacro %}


{#- on-run-end: write the close record of every newly closed period. -#}
{% macro record_closed_periods() -%}
    {%- if not execute or flags.WHICH not in ('build', 'run') -%}{{ return('') }}{%- endif -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error']) | list -%}
    {%- set summary = built_relation('fct_period_summary') -%}
    {%- set lines = built_relation('fct_reconciliation_lines') -%}
    {%- set chargeback = built_relation('fct_chargeback_ledger') -%}
    {%- if failed or summary is none or lines is none or chargeback is none -%}{{ return('') }}{%- endif -%}
    {%- set directory = var('close_records_dir').rstrip('/') -%}
    {%- set to_record -%}
        select billing_period from {{ summary }}
        group by billing_period
        having bool_and(is_closed) and not bool_or(is_closed_by_record)
        order by billing_period
    {%- endset -%}
    {%- for period in run_query(to_record).columns[0].values() -%}
        {%- set write -%}
            copy (
                select *, billing_period as close_period from {{ lines }}
                where billing_period = '{{ period }}'
                order by reconciliation_line_id
            ) to {{ sql_string(directory) }} (
                format parquet, partition_by (close_period),
                filename_pattern 'reconciliation_lines', overwrite_or_ignore
            );
            copy (
                select *, billing_period as close_period from {{ chargeback }}
                where billing_period = '{{ period }}'
                order by chargeback_line_id
            ) to {{ sql_string(directory) }} (
                format parquet, partition_by (close_period),
                filename_pattern 'chargeback_ledger', overwrite_or_ignore
            );
            copy (
                select
                    regexp_extract(filename, '[^/]+$') as file_name,
                    sha256(content) as sha256
                from read_blob({{ sql_string(glob_literal(directory ~ '/close_period=' ~ period) ~ '/*.parquet') }})
                order by file_name
            ) to {{ sql_string(directory ~ '/close_period=' ~ period ~ '/checksums.csv') }} (header true)
        {%- endset -%}
        {%- do run_query(write) -%}
        {{ log('Closed period ' ~ period ~ ' recorded in ' ~ directory ~ '/close_period=' ~ period, info=true) }}
    {%- endfor -%}
{%- endmacro %}


{#- The relation a model was built into, or none (hooks cannot call ref()). -#}
{% macro built_relation(model_name) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == model_name -%}
            {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
