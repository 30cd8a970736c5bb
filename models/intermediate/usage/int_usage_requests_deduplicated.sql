-- One row per telemetry source x request date x request id: the first landed copy (by
-- file and position) of every request. Gateways log some calls twice and exports are
-- re-landed, so copies are common; they are resolved within the request's day, which is
-- what lets the per-request models rebuild one day at a time (DECISIONLOG "Per-day
-- incremental telemetry"). A request id logged on two different days stays twice and
-- fails the unique test on fct_request_costs.request_key.
with

requests as (

    select * from {{ ref('int_usage_requests_unioned') }}

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

    select * exclude (copy_number)
    from ranked
    where copy_number = 1

)

select * from first_copies
