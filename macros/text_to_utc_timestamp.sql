{#-
    Telemetry time text to a UTC timestamp, whatever the exporter wrote: ISO 8601 with an
    offset (+02:00, +0530, -05) or Z, or a time followed by a zone name or abbreviation
    (America/New_York, EST), converted to UTC; ISO without a zone (taken as UTC); unix
    seconds (10 digits) or unix milliseconds (13 digits). NULL when it is none of these.
-#}
{% macro text_to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('text_to_utc_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__text_to_utc_timestamp(expression) -%}
    case
        when regexp_full_match(trim({{ expression }}), '[0-9]{9,10}')
            then cast(to_timestamp(cast(trim({{ expression }}) as bigint)) at time zone 'UTC' as timestamp)
        when regexp_full_match(trim({{ expression }}), '[0-9]{12,13}')
            then epoch_ms(cast(trim({{ expression }}) as bigint))
        -- A time followed by a zone (Z, +02:00, +0530, -05, EST, America/New_York) is
        -- converted from that zone; only a time with no zone is read as UTC.
        when regexp_matches(
            trim({{ expression }}),
            '{{ text_to_utc_timestamp_zone_pattern() }}'
        )
            then cast(try_cast(trim({{ expression }}) as timestamptz) at time zone 'UTC' as timestamp)
        else try_cast(trim({{ expression }}) as timestamp)
    end
{%- endmacro %}

{#- The same branches. In the last one DuckDB's TIMESTAMP cast drops a zone it did not
    recognize above (GMT+2, +05:30:00): Spark's TIMESTAMP_NTZ cast does the same. -#}
{% macro spark__text_to_utc_timestamp(expression) -%}
    {%- set trimmed = 'trim(' ~ expression ~ ')' -%}
    case
        when {{ regex_full_match(trimmed, '[0-9]{9,10}') }}
            then timestamp_seconds(cast({{ trimmed }} as bigint))
        when {{ regex_full_match(trimmed, '[0-9]{12,13}') }}
            then timestamp_millis(cast({{ trimmed }} as bigint))
        when {{ regex_contains(trimmed, "'" ~ text_to_utc_timestamp_zone_pattern() ~ "'") }}
            then {{ spark__iso_to_timestamp(trimmed) }}
        when {{ spark__is_duckdb_timestamp_text(trimmed) }}
            then cast(try_cast({{ trimmed }} as timestamp_ntz) as timestamp)
    end
{%- endmacro %}

{#- A time followed by a zone, at the end of the text (RE2 and Java read it alike). -#}
{% macro text_to_utc_timestamp_zone_pattern() -%}
    [0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z_/+-]*)$
{%- endmacro %}
