{#- Part of the per-day incremental scheme described in days_to_rebuild.sql. -#}

{#- A day's fingerprint as a model stores it: the landed files and seeds
    (int_telemetry_day_fingerprints) plus the vars per-request results depend on, read when
    the model is built (a view would keep the vars of the build that created it). -#}
{% macro day_fingerprint(fingerprint_column) -%}
    md5({{ fingerprint_column }}
    {%- for name in ['reporting_currency', 'unallocated_owner', 'money_precision', 'money_scale'] %}
        || '|{{ name }}={{ var(name) }}'
    {%- endfor %})
{%- endmacro %}
