-- One row per period x provider x billing account x project/workspace x provider API key
-- that the provider billed (a usage line) or reported usage for, and that no telemetry of
-- the project named in the period, on a project whose telemetry names keys. The rule,
-- once: int_reconciliation_line_tiers_joined takes what such a key was billed and
-- reported out of the rate and volume steps (it is missing telemetry, step 4 of
-- int_reconciliation_line_tiers: a key that bypasses the gateway).
{%- set project = ['billing_period', 'provider', 'billing_account_id', 'project_key'] %}
with

billed_by_key as (

    select * from {{ ref('int_billed_lines_aggregated_to_line_tier_grain') }}

),

observed_days as (

    select * from {{ ref('int_usage_request_lines_aggregated_to_day') }}

),

reported_usage as (

    select * from {{ ref('int_provider_usage_reported_daily') }}

),

observed_keys as (

    select distinct
        {{ project | join(',\n        ') }},
        api_key_id
    from observed_days
    where api_key_id is not null

),

projects_with_unkeyed_telemetry as (

    -- Telemetry that names no provider key: on such a project a billed key cannot be told
    -- apart from the traffic that carried no key, so none counts as unobserved.
    select distinct {{ project | join(', ') }}
    from observed_days
    where api_key_id is null

),

provider_keys as (

    select
        {{ project | join(',\n        ') }},
        api_key_id
    from billed_by_key
    where line_type = 'usage' and api_key_id is not null

    union

    select
        {{ project | join(',\n        ') }},
        api_key_id
    from reported_usage
    where api_key_id is not null

),

unobserved_keys as (

    select provider_keys.*
    from provider_keys
    left join observed_keys
        on
            {{ join_on_columns('provider_keys', 'observed_keys', project) }}
            and provider_keys.api_key_id = observed_keys.api_key_id
    left join projects_with_unkeyed_telemetry
        on {{ join_on_columns('provider_keys', 'projects_with_unkeyed_telemetry', project) }}
    where
        observed_keys.api_key_id is null
        and projects_with_unkeyed_telemetry.project_key is null

)

select * from unobserved_keys
