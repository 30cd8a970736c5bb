{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- A filter on a date column: every day when the model is built whole, else the days to
    rebuild. On DuckDB the days are the list the pre-hook (delete_days_to_rebuild) kept in
    the model's session variable: a constant when the query is planned, so the filter is
    pushed below the per-request views to the table they read (an `in (subquery)` is a semi
    join, which DuckDB does not push below their left joins: at 10M requests a one-day
    increment of int_usage_requests_priced evaluated every day's requests, 11.6 s instead
    of about 1 s). On Spark, the days' query itself. -#}
{% macro in_days_to_rebuild(date_column, fingerprints) -%}
    {%- if this is not none and is_incremental() -%}
        {{ return(adapter.dispatch('in_days_to_rebuild')(date_column, fingerprints)) }}
    {%- else -%}
        {{ return('true') }}
    {%- endif -%}
{%- endmacro %}

{% macro default__in_days_to_rebuild(date_column, fingerprints) -%}
    list_contains(getvariable('{{ days_to_rebuild_variable() }}'), {{ date_column }})
{%- endmacro %}

{% macro spark__in_days_to_rebuild(date_column, fingerprints) -%}
    {{ date_column }} in ({{ days_to_rebuild(fingerprints) }})
{%- endmacro %}
