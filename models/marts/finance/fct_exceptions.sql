-- One row per flagged item: kind, period, provider, amount (USD), owner if known and a
-- suggested action. Kinds: orphan_key (billed usage no telemetry sees, naming the provider
-- keys no telemetry named where the export has keys), unmapped_telemetry
-- (telemetry naming no provider project that no gateway mapping attributes; the subject
-- names the gateway identity to map), missing_owner (a provider project or key with no
-- owner mapping), failed_retries, fallback_route,
-- unusual_service_tier, unapproved_batch, environment_mismatch (non-production traffic on
-- a production key), unpriced_model, quarantined_row, unapproved_top_up, unmatched_decision
-- (a reviewer decision that matches no line: a misspelt category, an unknown line id, a
-- wrong period; it would be ignored without a word), dispute_without_note (a DISPUTE
-- decision with no note).
with

requests as (

    select * from {{ ref('fct_request_costs') }}

),

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

quarantined as (

    select * from {{ ref('int_quarantined_rows_unioned') }}

),

line_tiers as (

    select * from {{ ref('int_reconciliation_line_tiers') }}

),

recharges as (

    select * from {{ ref('fct_recharge_ledger') }}

),

owner_mappings as (

    select * from {{ ref('stg_config__owner_mappings') }}

),

decisions as (

    select * from {{ ref('int_decisions_matched') }}

),

flagged_requests as (

    select
        'unmapped_telemetry' as kind,
        billing_period,
        provider,
        telemetry_source || ' ' || gateway_identity as subject,
        team,
        cost_center,
        cost_usd
    from requests
    where project_id is null

    union all

    select
        'missing_owner' as kind,
        billing_period,
        provider,
        coalesce(api_key_id, project_id) as subject,
        team,
        cost_center,
        cost_usd
    from requests
    where is_unallocated and project_id is not null

    union all

    select
        'failed_retries' as kind,
        billing_period,
        provider,
        canonical_model as subject,
        team,
        cost_center,
        cost_usd
    from requests
    where has_retries or is_failed

    union all

    select
        'fallback_route' as kind,
        billing_period,
        provider,
        coalesce(fallback_from_model, '?') || ' -> ' || canonical_model as subject,
        team,
        cost_center,
        cost_usd
    from requests
    where is_fallback

    union all

    select
        'unusual_service_tier' as kind,
        billing_period,
        provider,
        service_tier || ' on ' || canonical_model as subject,
        team,
        cost_center,
        cost_usd
    from requests
    where service_tier in {{ in_list(var('unusual_service_tiers')) }}

),

request_exceptions as (

    select
        kind,
        billing_period,
        provider,
        subject,
        team,
        cost_center,
        sum(cost_usd) as amount_usd,
        count(*) as item_count
    from flagged_requests
    group by all

),

unpriced_requests as (

    select
        billing_period,
        provider,
        canonical_model as model,
        count(*) as request_count,
        -- The owner when one team sent every unpriced request of the model, else none.
        case when count(distinct team) = 1 then min(team) end as team,
        case when count(distinct cost_center) = 1 then min(cost_center) end as cost_center
    from requests
    where not is_priced
    group by all

),

unpriced_billed as (

    -- Unpriced requests have no cost of ours: the amount is what the provider billed for
    -- the model's lines, attributed to unpriced_model.
    select
        billing_period,
        provider,
        model,
        sum(unpriced_model_usd) as amount_usd
    from lines
    where unpriced_model_usd != 0
    group by all

),

unpriced_exceptions as (

    -- One row per period, provider and model, with that model's own amount.
    select
        'unpriced_model' as kind,
        coalesce(unpriced_requests.billing_period, unpriced_billed.billing_period)
            as billing_period,
        coalesce(unpriced_requests.provider, unpriced_billed.provider) as provider,
        coalesce(unpriced_requests.model, unpriced_billed.model) as subject,
        unpriced_requests.team,
        unpriced_requests.cost_center,
        coalesce(unpriced_billed.amount_usd, 0) as amount_usd,
        coalesce(unpriced_requests.request_count, 0) as item_count
    from unpriced_requests
    full outer join unpriced_billed
        on
            unpriced_requests.billing_period = unpriced_billed.billing_period
            and unpriced_requests.provider = unpriced_billed.provider
            and unpriced_requests.model = unpriced_billed.model

),

unobserved_keys as (

    -- The provider API keys billed on a line that no telemetry named.
    select
        reconciliation_line_id,
        {{ ordered_string_agg('unobserved_api_keys', "', '") }} as unobserved_api_keys
    from line_tiers
    where unobserved_api_keys is not null
    group by reconciliation_line_id

),

line_exceptions as (

    select
        'orphan_key' as kind,
        lines.billing_period,
        lines.provider,
        lines.project_id || ' / ' || lines.model
        || coalesce(' / key ' || unobserved_keys.unobserved_api_keys, '') as subject,
        null as team,
        null as cost_center,
        sum(lines.missing_telemetry_usd) as amount_usd,
        count(*) as item_count
    from lines
    left join unobserved_keys
        on lines.reconciliation_line_id = unobserved_keys.reconciliation_line_id
    where lines.missing_telemetry_usd != 0
    group by all

    union all

    select
        'unapproved_batch' as kind,
        billing_period,
        provider,
        project_id || ' / ' || model as subject,
        null as team,
        null as cost_center,
        sum(billed_usd) as amount_usd,
        count(*) as item_count
    from lines
    where has_tier_relabelled and service_tiers like '%batch%'
    group by all

),

environment_exceptions as (

    -- Requests whose key is mapped to production but whose project's own mapping says
    -- staging or evaluation (or the reverse): the key is shared across environments.
    select
        'environment_mismatch' as kind,
        requests.billing_period,
        requests.provider,
        requests.api_key_id || ' (' || requests.environment || ' key, '
        || project_owner.environment || ' project)' as subject,
        requests.team,
        requests.cost_center,
        sum(requests.cost_usd) as amount_usd,
        count(*) as item_count
    from requests
    inner join owner_mappings as project_owner
        on {{ owner_mapping_applies(
            'requests', 'project_owner', 'project', 'requests.requested_date'
        ) }}
    where requests.environment != project_owner.environment
    group by all

),

other_exceptions as (

    select
        'quarantined_row' as kind,
        coalesce(billing_period, 'unknown') as billing_period,
        null as provider,
        staging_model || ': ' || quarantine_reason as subject,
        null as team,
        null as cost_center,
        null as amount_usd,
        count(*) as item_count
    from quarantined
    group by all

    union all

    select
        'unapproved_top_up' as kind,
        billing_period,
        provider,
        recharge_id as subject,
        spike_team as team,
        null as cost_center,
        amount as amount_usd,
        1 as item_count
    from recharges
    where is_unapproved_top_up

    union all

    select
        'unmatched_decision' as kind,
        decisions.period as billing_period,
        decisions.provider,
        'decision ' || decisions.decision_id || ' (' || decisions.source_file || ' line '
        || decisions.file_row_number || ', ' || decisions.decision_action || ' '
        || decisions.line_selector || ')' as subject,
        null as team,
        null as cost_center,
        null as amount_usd,
        1 as item_count
    from decisions
    where decisions.matched_line_count = 0

    union all

    -- A dispute without a note: the claim says nothing of why the bill is wrong (it
    -- already blocks the close, assert_write_offs_have_notes; listed here to act on).
    select
        'dispute_without_note' as kind,
        decisions.period as billing_period,
        decisions.provider,
        'decision ' || decisions.decision_id || ' (' || decisions.source_file || ' line '
        || decisions.file_row_number || ', DISPUTE ' || decisions.line_selector || ')'
            as subject,
        null as team,
        null as cost_center,
        null as amount_usd,
        1 as item_count
    from decisions
    where decisions.decision_action = 'DISPUTE' and coalesce(trim(decisions.note), '') = ''

),

unioned as (

    select * from request_exceptions
    union all
    select * from unpriced_exceptions
    union all
    select * from line_exceptions
    union all
    select * from environment_exceptions
    union all
    select * from other_exceptions

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['kind', 'billing_period', 'provider', 'subject', 'team']) }}
            as exception_id,
        provider,
        ---------- strings
        kind,
        billing_period,
        subject,
        coalesce(team, '{{ var("unallocated_owner") }}') as team,
        coalesce(cost_center, '{{ var("unallocated_owner") }}') as cost_center,
        case kind
            when 'orphan_key' then 'investigate'
            when 'missing_owner' then 'investigate'
            when 'unmapped_telemetry' then 'map'
            when 'failed_retries' then 'cap'
            when 'fallback_route' then 'reroute'
            when 'unusual_service_tier' then 'downgrade'
            when 'unapproved_batch' then 'approve'
            when 'environment_mismatch' then 'split key'
            when 'unpriced_model' then 'investigate'
            when 'quarantined_row' then 'investigate'
            when 'unapproved_top_up' then 'approve'
            when 'unmatched_decision' then 'correct decision'
            when 'dispute_without_note' then 'add note'
        end as suggested_action,
        ---------- numerics
        {{ to_money('amount_usd') }} as amount_usd,
        item_count
    from unioned

)

select * from final
