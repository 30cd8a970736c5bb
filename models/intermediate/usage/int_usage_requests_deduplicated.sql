{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_days_to_rebuild(ref('int_telemetry_day_fingerprints')) }}",
    **replace_by_partition_config('requested_date')
) }}

-- One row per telemetry source x request date x request id: the first landed copy (by
-- file and position) of every request. Gateways log some calls twice and exports are
-- re-landed, so copies are common; they are resolved within the request's day, which is
-- what lets the per-request models rebuild one day at a time (DECISIONLOG "Per-day
-- incremental telemetry"). A request id logged on two different days is two requests (a
-- gateway reuses ids: request_key holds the day). A table, incremental by day: the
-- per-request views above it (owner, prices) read it for the days being rebuilt.
with

requests as (

    select * from {{ ref('int_usage_requests_unioned') }}
    where {{ in_days_to_rebuild('requested_date', ref('int_telemetry_day_fingerprints')) }}

),

day_fingerprints as (

    select * from {{ ref('int_telemetry_day_fingerprints') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by telemetry_source, requested_date, request_id
            order by source_file, record_position
        ) as copy_number
    from requests

),

first_copies as (

    select
        {{ star_except('ranked', ['copy_number']) }},
        {{ day_fingerprint('day_fingerprints.day_fingerprint') }} as day_fingerprint
    from ranked
    inner join day_fingerprints
        on ranked.requested_date = day_fingerprints.requested_date
    where ranked.copy_number = 1

)

select * from first_copies
