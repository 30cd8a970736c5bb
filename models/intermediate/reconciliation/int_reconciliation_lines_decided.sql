{{ config(materialized='table') }}

-- One row per period x provider x billing account x project/workspace x model x usage
-- type x line type (the line grain), and one per prior-period adjustment: the one place
-- where reviewer decisions and closed periods are applied. Open lines and adjustments come
-- categorized and statused (int_reconciliation_lines_categorized); the latest decision
-- selecting a line (int_decisions_matched: by line id, by its variance category, or '*')
-- overrides the automatic status: CONFIRM, WRITE_OFF, DEFER (the line is reconciled in the
-- next period instead), DISPUTE (held as a claim against the provider:
-- int_provider_claims_matched_to_credits) or REOPEN (back to the automatic status).
-- Decisions are applied to open lines only (is_closed_line false): a closed period's
-- lines come verbatim from its close record (macros/record_closed_periods.sql), although
-- a decision selecting one still counts as matched in int_decisions_matched.
{%- set categories = variance_category_names() %}
with

statused as (

    select * from {{ ref('int_reconciliation_lines_categorized') }}

),

decisions_matched as (

    select * from {{ ref('int_decisions_matched') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

closed_lines_recorded as (

    select * from {{ ref('stg_close_records__reconciliation_lines') }}

),

closed_lines as (

    -- The columns of final below, by name and in its order (a close record holds the
    -- mart's columns in the contract's order, then close_period).
    select
        reconciliation_line_id,
        provider,
        billing_account_id,
        project_id,
        decision_id,
        billing_period,
        reconciled_in_period,
        model,
        usage_type,
        line_type,
        service_tiers,
        corrects_period,
        adjusts_line_id,
        variance_category,
        status,
        auto_status,
        decision,
        note,
        actor,
        reporting_currency,
        billed_usd,
        observed_usd,
        variance_usd,
        billed_reporting,
        observed_reporting,
        variance_reporting,
        {%- for category in categories %}
            {{ category }}_usd,
        {%- endfor %}
        provider_quantity,
        observed_quantity,
        unpriced_quantity,
        observed_request_count,
        failed_request_count,
        has_billed,
        has_observed,
        has_tier_relabelled,
        is_write_off_missing_note,
        decided_at
    from closed_lines_recorded

),

decided as (

    select
        reconciliation_line_id,
        decision_id,
        decision_action,
        note,
        actor,
        decided_at,
        row_number() over (
            partition by reconciliation_line_id
            order by decided_at desc, decision_id desc
        ) as decision_rank
    from decisions_matched
    where reconciliation_line_id is not null and not is_closed_line

),

final as (

    select
        ---------- ids
        statused.reconciliation_line_id,
        statused.provider,
        statused.billing_account_id,
        statused.project_key as project_id,
        decided.decision_id,
        ---------- strings
        statused.billing_period,
        case
            when decided.decision_action = 'DEFER'
                then {{ format_datetime(
                    "cast(statused.billing_period || '-01' as date) + interval 1 month", '%Y-%m'
                ) }}
            else statused.billing_period
        end as reconciled_in_period,
        statused.model_key as model,
        statused.usage_type,
        statused.line_type,
        statused.service_tiers,
        statused.corrects_period,
        statused.adjusts_line_id,
        statused.variance_category,
        case
            when decided.decision_action = 'CONFIRM' then 'confirmed'
            when decided.decision_action = 'WRITE_OFF' then 'written_off'
            when decided.decision_action = 'DEFER' then 'deferred'
            when decided.decision_action = 'DISPUTE' then 'disputed'
            else statused.auto_status
        end as status,
        statused.auto_status,
        decided.decision_action as decision,
        decided.note,
        decided.actor,
        '{{ var("reporting_currency") }}' as reporting_currency,
        ---------- numerics
        {{ to_money('statused.billed_usd') }} as billed_usd,
        {{ to_money('statused.observed_usd') }} as observed_usd,
        {{ to_money('statused.variance_usd') }} as variance_usd,
        -- Each side converted at the period's rate and rounded to the cent; the variance is
        -- their difference, so a line's reporting amounts add up in cents.
        {{ to_reporting('statused.billed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as billed_reporting,
        {{ to_reporting('statused.observed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as observed_reporting,
        {{ to_reporting('statused.billed_usd', 'fx_reporting.reporting_units_per_usd') }}
        - {{ to_reporting('statused.observed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as variance_reporting,
        {%- for category in categories %}
            {{ to_money('statused.' ~ category ~ '_usd') }} as {{ category }}_usd,
        {%- endfor %}
        -- Explicit types: a close record (Parquet) must read back as the same types.
        cast(statused.provider_quantity as decimal(38, 6)) as provider_quantity,
        cast(statused.observed_quantity as decimal(38, 6)) as observed_quantity,
        cast(statused.unpriced_quantity as decimal(38, 6)) as unpriced_quantity,
        cast(statused.observed_request_count as bigint) as observed_request_count,
        cast(statused.failed_request_count as bigint) as failed_request_count,
        ---------- booleans
        statused.has_billed,
        statused.has_observed,
        statused.has_tier_relabelled,
        coalesce(decided.decision_action = 'WRITE_OFF' and decided.note is null, false)
            as is_write_off_missing_note,
        ---------- timestamps
        decided.decided_at
    from statused
    left join decided
        on
            statused.reconciliation_line_id = decided.reconciliation_line_id
            and decided.decision_rank = 1
    left join fx_reporting
        on statused.billing_period = fx_reporting.period

)

select * from final
union all
select * from closed_lines
