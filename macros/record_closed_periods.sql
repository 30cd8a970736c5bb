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
    On Spark each is a folder of one part file, written by INSERT OVERWRITE DIRECTORY:
    reconciliation_lines/part-*.parquet, chargeback_ledger/part-*.parquet, and, last,
    checksums/part-*.csv listing both by their path below the period's folder.
    A record is never rewritten. Every later load (`recon load`), including one into an empty
    DuckDB file, verifies the records and loads them back: the period's lines and chargeback
    come from the record (stg_close_records__*), and whatever the landing zone now says
    differently becomes adjustment lines in the next open period
    (int_reconciliation_lines_decided).
-#}

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
        {%- do run_query(close_record_statements(period, lines, chargeback, directory)) -%}
        {{ log('Closed period ' ~ period ~ ' recorded in ' ~ directory ~ '/close_period=' ~ period, info=true) }}
    {%- endfor -%}
{%- endmacro %}

{#- The statements writing one period's close record (record_closed_periods). -#}
{% macro close_record_statements(period, lines, chargeback, directory) -%}
    {{ return(adapter.dispatch('close_record_statements')(period, lines, chargeback, directory)) }}
{%- endmacro %}

{% macro default__close_record_statements(period, lines, chargeback, directory) -%}
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
{%- endmacro %}

{#- Spark runs one statement at a time: the record is written by three, in order. -#}
{% macro spark__close_record_statements(period, lines, chargeback, directory) -%}
    {%- set folder = directory ~ '/close_period=' ~ period -%}
    {%- for table, relation, key in [
        ('reconciliation_lines', lines, 'reconciliation_line_id'),
        ('chargeback_ledger', chargeback, 'chargeback_line_id')
    ] -%}
        {%- set write -%}
            insert overwrite directory {{ sql_string(folder ~ '/' ~ table) }} using parquet
            select /*+ coalesce(1) */ * from {{ relation }}
            where billing_period = '{{ period }}'
            order by {{ key }}
        {%- endset -%}
        {%- do run_query(write) -%}
    {%- endfor -%}
    insert overwrite directory {{ sql_string(folder ~ '/checksums') }} using csv
    options (header 'true')
    select /*+ coalesce(1) */
        regexp_extract(path, '([^/]+/[^/]+)$', 1) as file_name,
        sha2(content, 256) as sha256
    from binaryFile.`{{ folder | replace("`", "``") }}/*/part-*.parquet`
    order by file_name
{%- endmacro %}
