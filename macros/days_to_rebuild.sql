{#-
    Per-day incremental telemetry models (fct_request_costs,
    int_usage_request_lines_aggregated_to_day) keep day_fingerprint, from
    int_telemetry_day_fingerprints, on every row. A run rebuilds exactly the request dates
    whose fingerprint is new, changed or gone: a new day of telemetry, a re-landed or late
    file for an old day, a removed file, or a changed price book, owner mapping, billing
    policy or FX rate (which changes every day's fingerprint). Everything else is kept.
-#}

{#- The request dates a per-day model rebuilds in this run, as a query of one column
    (requested_date): every day whose fingerprint is new, changed or gone compared with what
    the model holds. Plain SQL, evaluated by the run: no day list is read while compiling. -#}
{% macro days_to_rebuild(fingerprints) -%}
    select coalesce(landed.requested_date, built.requested_date) as requested_date
    from {{ fingerprints }} as landed
    full outer join (select distinct requested_date, day_fingerprint from {{ this }}) as built
        on landed.requested_date = built.requested_date
    where {{ day_fingerprint('landed.day_fingerprint') }} is distinct from built.day_fingerprint
{%- endmacro %}
