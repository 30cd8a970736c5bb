{#-
    Per-day incremental telemetry models (fct_request_costs,
    int_usage_request_lines_aggregated_to_day) keep day_fingerprint, from
    int_telemetry_day_fingerprints, on every row. A run rebuilds exactly the request dates
    whose fingerprint is new, changed or gone: a new day of telemetry, a re-landed or late
    file for an old day, a removed file, or a changed price book, owner mapping, billing
    policy or FX rate (which changes every day's fingerprint). Everything else is kept.
-#}

{#- A day's fingerprint as a model stores it: the landed files and seeds
    (int_telemetry_day_fingerprints) plus the vars per-request results depend on, read when
    the model is built (a view would keep the vars of the build that created it). -#}
{% macro day_fingerprint(fingerprint_column) -%}
    md5({{ fingerprint_column }}
    {%- for name in ['reporting_currency', 'unallocated_owner', 'money_precision', 'money_scale'] %}
        || '|{{ name }}={{ var(name) }}'
    {%- endfor %})
{%- endmacro %}


{#- The request dates to rebuild, as ISO strings; none when the model is built whole. -#}
{% macro telemetry_days_to_rebuild(fingerprints) -%}
    {%- if not execute or this is none or not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {{ require_incremental_column('day_fingerprint') }}
    {%- set query -%}
        with built as (
            select distinct requested_date, day_fingerprint from {{ this }}
        )

        select distinct cast(coalesce(landed.requested_date, built.requested_date) as varchar)
        from {{ fingerprints }} as landed
        full outer join built on landed.requested_date = built.requested_date
        where {{ day_fingerprint('landed.day_fingerprint') }} is distinct from built.day_fingerprint
        order by 1
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}


{#- A filter on a date column: every day when days is none, else those days only. -#}
{% macro in_days(date_column, days) -%}
    {%- if days is none -%}
        true
    {%- elif days | length == 0 -%}
        false
    {%- else -%}
        {{ date_column }} in (
            {%- for day in days %}date '{{ day }}'{% if not loop.last %}, {% endif %}{% endfor -%}
        )
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook: delete the days this run rebuilds (the model then appends them). -#}
{% macro delete_days_to_rebuild(fingerprints) -%}
    {%- set days = telemetry_days_to_rebuild(fingerprints) -%}
    {%- if days -%}
        delete from {{ this }} where {{ in_days('requested_date', days) }}
    {%- endif -%}
{%- endmacro %}
