-- One row per prepaid balance movement (top-up, promo credit, consumption draw, refund,
-- expiry) with the running balance per provider account, following FOCUS's prepaid
-- pattern (purchases raise the balance, usage draws it down). Each top-up carries its
-- trigger, the threshold and whether the balance had really crossed it, its approval
-- ticket and approver, and the usage segment (team x model x workflow) that spent the most
-- in the spike window before it. Unapproved top-ups and consumption draws that do not
-- match the provider's billed usage for the period are flagged.
with

movements as (

    select * from {{ ref('stg_finance_inputs__recharges') }}

),

request_costs as (

    select * from {{ ref('fct_request_costs') }}

),

billed_lines as (

    select * from {{ ref('int_billed_lines_unioned') }}

),

balances as (

    select
        *,
        sum(amount) over (
            partition by provider, billing_account_id
            order by occurred_at, recharge_id
            rows between unbounded preceding and current row
        ) as running_balance,
        {{ format_datetime('occurred_at', '%Y-%m') }} as billing_period
    from movements
    where record_status = 'valid'

),

spike_windows as (

    -- Cost per segment in the spike window before each top-up, and in the window before.
    select
        balances.recharge_id,
        request_costs.team,
        request_costs.canonical_model,
        request_costs.workflow,
        sum(request_costs.cost_usd) filter (
            where request_costs.requested_at >= balances.occurred_at
            - {{ var('recharge_spike_window_days') }} * interval 1 day
        ) as window_cost_usd,
        sum(request_costs.cost_usd) filter (
            where request_costs.requested_at < balances.occurred_at
            - {{ var('recharge_spike_window_days') }} * interval 1 day
        ) as prior_window_cost_usd
    from balances
    inner join request_costs
        on
            balances.provider = request_costs.provider
            and request_costs.requested_at < balances.occurred_at
            and request_costs.requested_at >= balances.occurred_at
            - 2 * {{ var('recharge_spike_window_days') }} * interval 1 day
    where balances.movement_type = 'top_up'
    group by all

),

spikes as (

    select
        *,
        row_number() over (
            partition by recharge_id
            order by window_cost_usd desc nulls last, team asc, canonical_model asc, workflow asc
        ) as spike_rank
    from spike_windows

),

billed_usage as (

    select
        provider,
        billing_account_id,
        billing_period,
        cast(round(sum(amount), 2) as decimal(38, 2)) as billed_usage_amount
    from billed_lines
    where line_type = 'usage'
    group by all

),

final as (

    select
        ---------- ids
        balances.recharge_id,
        balances.provider,
        balances.billing_account_id,
        ---------- strings
        balances.billing_period,
        balances.movement_type,
        balances.currency_code,
        balances.recharge_trigger,
        balances.quota_state,
        balances.approval_ticket,
        balances.approver,
        balances.note,
        spikes.team as spike_team,
        spikes.canonical_model as spike_model,
        spikes.workflow as spike_workflow,
        ---------- numerics
        balances.amount,
        {{ to_money('balances.running_balance - balances.amount') }} as balance_before,
        {{ to_money('balances.running_balance') }} as running_balance,
        balances.threshold_amount,
        {{ to_money('spikes.window_cost_usd') }} as spike_window_cost_usd,
        {{ to_money('spikes.prior_window_cost_usd') }} as spike_prior_window_cost_usd,
        billed_usage.billed_usage_amount,
        ---------- booleans
        balances.movement_type = 'top_up' and balances.approval_ticket is null
            as is_unapproved_top_up,
        coalesce(
            balances.threshold_amount is not null
            and balances.running_balance - balances.amount < balances.threshold_amount,
            false
        ) as is_threshold_crossed,
        coalesce(
            balances.movement_type = 'consumption'
            and -balances.amount != billed_usage.billed_usage_amount,
            false
        ) as is_consumption_mismatch,
        balances.running_balance < 0 as is_negative_balance,
        ---------- timestamps
        balances.occurred_at
    from balances
    left join spikes
        on
            balances.recharge_id = spikes.recharge_id
            and spikes.spike_rank = 1
    left join billed_usage
        on
            balances.movement_type = 'consumption'
            and balances.provider = billed_usage.provider
            and balances.billing_account_id = billed_usage.billing_account_id
            and balances.billing_period = billed_usage.billing_period

)

select * from final
