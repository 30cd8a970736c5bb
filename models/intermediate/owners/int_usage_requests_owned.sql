-- One row per telemetry request with its owner and provider billing period (as logged;
-- the clock-corrected period is applied after aggregation, in
-- int_observed_costs_aggregated_to_line_tier_grain, so a day's requests never depend on
-- the offset measured from all days). Owner rule: the API key mapping valid at request
-- time wins; else the project / workspace mapping; else the explicit unallocated owner
-- (flagged, never dropped).
with

requests as (

    select * from {{ ref('int_usage_requests_attributed') }}

),

owner_mappings as (

    select * from {{ ref('stg_config__owner_mappings') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

owned as (

    select
        requests.*,
        coalesce(key_owner.owner_mapping_id, project_owner.owner_mapping_id)
            as owner_mapping_id,
        coalesce(key_owner.team, project_owner.team, '{{ var("unallocated_owner") }}') as team,
        coalesce(
            key_owner.cost_center, project_owner.cost_center, '{{ var("unallocated_owner") }}'
        ) as cost_center,
        coalesce(key_owner.environment, project_owner.environment, 'unknown') as environment,
        coalesce(key_owner.workflow, project_owner.workflow, 'unknown') as workflow,
        coalesce(key_owner.budget_owner, project_owner.budget_owner) as budget_owner,
        coalesce(requests.mapped_billing_account_id, billing_policy.billing_account_id)
            as billing_account_id,
        billing_policy.billing_timezone,
        {{ billing_period_in_timezone('requests.requested_at', 'billing_policy.billing_timezone') }}
            as billing_period,
        key_owner.owner_mapping_id is null and project_owner.owner_mapping_id is null
            as is_unallocated,
        coalesce(billing_policy.clock_skew_minutes, 0) as clock_skew_minutes,
        -- The failure's kind (derived in staging, macros/failure_kind.sql) is one of the
        -- policy's semicolon-separated kinds.
        requests.is_failed and coalesce(contains(
            ';' || coalesce(billing_policy.billable_failure_kinds, 'none') || ';',
            ';' || requests.failure_kind || ';'
        ), false) as is_billable_failure
    from requests
    left join owner_mappings as key_owner
        on {{ owner_mapping_applies(
            'requests', 'key_owner', 'api_key', 'cast(requests.requested_at as date)'
        ) }}
    left join owner_mappings as project_owner
        on {{ owner_mapping_applies(
            'requests', 'project_owner', 'project', 'cast(requests.requested_at as date)'
        ) }}
    left join billing_policy
        on requests.provider = billing_policy.provider

)

select * from owned
