{{ config(materialized='table') }}

-- One row per request date with valid telemetry: a fingerprint of everything the day's
-- per-request results are derived from, i.e. the landed file versions holding its
-- requests and the configuration that attributes, prices and owns them (the vars are
-- added by each model when it is built, day_fingerprint() in macros/day_fingerprint.sql).
-- The per-day
-- incremental models store it on every row and rebuild exactly the days whose
-- fingerprint changed, appeared or disappeared (macros/days_to_rebuild.sql). A table (one
-- row a day), so a run scans the staged telemetry for it once, not once per reader.
with

litellm as (

    select * from {{ ref('stg_telemetry__litellm_spend_logs') }}

),

otel as (

    select * from {{ ref('stg_telemetry__otel_spans') }}

),

gateway_requests as (

    select * from {{ ref('stg_telemetry__requests') }}

),

price_book as (

    select * from {{ ref('price_book') }}

),

price_overrides as (

    select * from {{ ref('stg_config__price_overrides') }}

),

model_aliases as (

    select * from {{ ref('stg_config__model_aliases') }}

),

model_match_rules as (

    select * from {{ ref('model_match_rules') }}

),

owner_mappings as (

    select * from {{ ref('stg_config__owner_mappings') }}

),

gateway_mappings as (

    select * from {{ ref('stg_config__gateway_mappings') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

fx_rates as (

    select * from {{ ref('stg_config__fx_rates') }}

),

file_days as (

    select distinct
        requested_date,
        'litellm|' || source_file || '|' || source_file_version as file_version
    from litellm
    where record_status = 'valid'
    union
    select distinct
        requested_date,
        'otel|' || source_file || '|' || source_file_version
    from otel
    where record_status = 'valid'
    union
    select distinct
        requested_date,
        'requests|' || source_file || '|' || source_file_version
    from gateway_requests
    where record_status = 'valid'

),

configuration_rows as (

    select 'price_book|' || {{ row_as_text('price_book') }} as config_row from price_book
    union all
    select 'price_overrides|' || {{ row_as_text('price_overrides') }} from price_overrides
    union all
    select 'model_aliases|' || {{ row_as_text('model_aliases') }} from model_aliases
    union all
    select 'model_match_rules|' || {{ row_as_text('model_match_rules') }} from model_match_rules
    union all
    select 'owner_mappings|' || {{ row_as_text('owner_mappings') }} from owner_mappings
    union all
    select 'gateway_mappings|' || {{ row_as_text('gateway_mappings') }} from gateway_mappings
    union all
    select 'billing_policy|' || {{ row_as_text('billing_policy') }} from billing_policy
    union all
    select 'fx_rates|' || {{ row_as_text('fx_rates') }} from fx_rates

),

configuration as (

    select md5({{ ordered_string_agg('config_row', 'chr(10)') }}) as config_fingerprint
    from configuration_rows

),

fingerprinted as (

    select
        file_days.requested_date,
        md5(
            any_value(configuration.config_fingerprint)
            || {{ ordered_string_agg('file_days.file_version', 'chr(10)') }}
        ) as day_fingerprint
    from file_days
    cross join configuration
    group by file_days.requested_date

)

select * from fingerprinted
