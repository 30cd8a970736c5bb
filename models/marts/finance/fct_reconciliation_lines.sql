-- One row per period x provider x billing account x project/workspace x model x usage
-- type (the line grain): billed vs observed, a status and a variance category.
with

billed as (

    select * from {{ ref('int_billed_lines_aggregated_to_line_grain') }}

),

observed as (

    select * from {{ ref('int_observed_costs_aggregated_to_line_grain') }}

),

decisions as (

    select * from {{ ref('stg_finance_inputs__decisions') }}

),

joined as (

    select
        coalesce(billed.billing_period, observed.billing_period) as billing_period,
        coalesce(billed.provider, observed.provider) as provider,
        coalesce(billed.billing_account_id, observed.billing_account_id) as billing_account_id,
        coalesce(billed.project_key, observed.project_key) as project_key,
        coalesce(billed.model_key, observed.model_key) as model_key,
        coalesce(billed.usage_type, observed.usage_type) as usage_type,
        coalesce(billed.line_type, 'usage') as line_type,
        billed.corrects_period,
        coalesce(billed.billed_usd, 0) as billed_usd,
        coalesce(observed.observed_usd, 0) as observed_usd,
        billed.billed_quantity,
        observed.observed_quantity,
        coalesce(observed.unpriced_quantity, 0) as unpriced_quantity,
        coalesce(observed.observed_request_count, 0) as observed_request_count,
        billed.billing_period is not null as has_billed,
        observed.billing_period is not null as has_observed
    from billed
    full outer join observed
        on
            billed.billing_period = observed.billing_period
            and billed.provider = observed.provider
            and billed.billing_account_id = observed.billing_account_id
            and billed.project_key = observed.project_key
            and billed.model_key = observed.model_key
            and billed.usage_type = observed.usage_type
            and billed.line_type = 'usage'

),

categorized as (

    select
        {{ surrogate_key([
            'billing_period', 'provider', 'billing_account_id', 'project_key', 'model_key',
            'usage_type', 'line_type'
        ]) }} as reconciliation_line_id,
        *,
        {{ to_money('billed_usd - observed_usd') }} as variance_usd,
        case
            when line_type = 'credit' then 'credit_or_promo'
            when line_type in ('tax', 'fee') then 'tax_or_fee'
            when line_type = 'adjustment' and corrects_period is not null
                then 'prior_period_correction'
            when line_type = 'adjustment' then 'unexplained'
            when line_type = 'rounding' then 'fx_rounding'
            when unpriced_quantity > 0 then 'unpriced_model'
            when not has_observed then 'missing_telemetry'
            when not has_billed then 'unbilled_usage'
            when
                abs(billed_usd - observed_usd)
                <= abs(billed_usd) * {{ var('auto_match_variance_pct') }} / 100
                then 'none'
            else 'unexplained'
        end as variance_category
    from joined

),

statused as (

    select
        categorized.*,
        case
            when categorized.variance_category = 'none' and categorized.has_observed and categorized.has_billed then 'auto_matched'
            when
                abs(categorized.variance_usd) <= abs(categorized.billed_usd) * {{ var('suggest_variance_pct') }} / 100
                and categorized.has_observed and categorized.has_billed
                then 'suggested'
            else 'unreconciled'
        end as match_status
    from categorized

),

decided as (

    -- The latest decision for a line applies: by line id, by variance category, or '*'
    -- for every line of the provider and period.
    select
        statused.reconciliation_line_id,
        decisions.decision_id,
        decisions.decision_action,
        decisions.note,
        decisions.actor,
        decisions.decided_at,
        row_number() over (
            partition by statused.reconciliation_line_id
            order by decisions.decided_at desc, decisions.decision_id desc
        ) as decision_rank
    from statused
    inner join decisions
        on
            statused.billing_period = decisions.period
            and statused.provider = decisions.provider
            and decisions.record_status = 'valid'
            and decisions.line_selector in (
                statused.reconciliation_line_id, statused.variance_category, '*'
            )

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
        statused.model_key as model,
        statused.usage_type,
        statused.line_type,
        statused.corrects_period,
        statused.variance_category,
        case
            when decided.decision_action = 'CONFIRM' then 'confirmed'
            when decided.decision_action = 'WRITE_OFF' then 'written_off'
            when decided.decision_action = 'DEFER' then 'deferred'
            else statused.match_status
        end as status,
        statused.match_status as auto_status,
        decided.decision_action as decision,
        decided.note,
        decided.actor,
        ---------- numerics
        {{ to_money('statused.billed_usd') }} as billed_usd,
        {{ to_money('statused.observed_usd') }} as observed_usd,
        statused.variance_usd,
        statused.billed_quantity,
        statused.observed_quantity,
        statused.unpriced_quantity,
        statused.observed_request_count,
        ---------- booleans
        statused.has_billed,
        statused.has_observed,
        decided.decision_action = 'WRITE_OFF' and decided.note is null
            as is_write_off_missing_note,
        ---------- timestamps
        decided.decided_at
    from statused
    left join decided
        on
            statused.reconciliation_line_id = decided.reconciliation_line_id
            and decided.decision_rank = 1

)

select * from final
