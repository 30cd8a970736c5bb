{#-
    Telemetry time text to a UTC timestamp, whatever the exporter wrote: ISO 8601 with an
    offset (+02:00, +0530, -05) or Z, or a time followed by a zone name or abbreviation
    (America/New_York, EST), converted to UTC; ISO without a zone (taken as UTC); unix
    seconds (10 digits) or unix milliseconds (13 digits). NULL when it is none of these.
-#}
{% macro text_to_utc_timestamp(expression) -%}
    case
        when regexp_full_match(trim({{ expression }}), '[0-9]{9,10}')
            then cast(to_timestamp(cast(trim({{ expression }}) as bigint)) at time zone 'UTC' as timestamp)
        when regexp_full_match(trim({{ expression }}), '[0-9]{12,13}')
            then epoch_ms(cast(trim({{ expression }}) as bigint))
        -- A time followed by a zone (Z, +02:00, +0530, -05, EST, America/New_York) is
        -- converted from that zone; only a time with no zone is read as UTC.
        when regexp_matches(
            trim({{ expression }}),
            '[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z_/+-]*)$'
        )
            then cast(try_cast(trim({{ expression }}) as timestamptz) at time zone 'UTC' as timestamp)
        else try_cast(trim({{ expression }}) as timestamp)
    end
{%- endmacro %}
