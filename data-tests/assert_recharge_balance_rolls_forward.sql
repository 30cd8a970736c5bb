-- The prepaid balance rolls forward: each movement starts from the previous movement's
-- balance (across months), and each month closes at the balance recomputed independently
-- from the staged movements (every valid movement up to the month's end, counted once).
with

ledger as (

    select * from {{ ref('fct_recharge_ledger') }}

),

staged as (

    select * from {{ ref('stg_finance_inputs__recharges') }}
    where record_status = 'valid'

),

movements as (

    select
        *,
        lag(running_balance) over (
            partition by provider, billing_account_id order by occurred_at, recharge_id
        ) as previous_balance,
        row_number() over (
            partition by provider, billing_account_id, billing_period
            order by occurred_at desc, recharge_id desc
        ) as reverse_rank_in_month
    from ledger

),

broken_chain as (

    select
        recharge_id as subject,
        billing_period,
        previous_balance as expected_balance,
        balance_before as ledger_balance
    from movements
    where coalesce(previous_balance, 0) != balance_before

),

month_closes as (

    select
        provider,
        billing_account_id,
        billing_period,
        occurred_at,
        running_balance
    from movements
    where reverse_rank_in_month = 1

),

recomputed as (

    select
        month_closes.provider || '/' || month_closes.billing_account_id as subject,
        month_closes.billing_period,
        coalesce(sum(staged.amount), 0) as expected_balance,
        month_closes.running_balance as ledger_balance,
        count(staged.recharge_id) as staged_movements,
        (
            select count(*)
            from ledger
            where
                ledger.provider = month_closes.provider
                and ledger.billing_account_id = month_closes.billing_account_id
                and ledger.occurred_at <= month_closes.occurred_at
        ) as ledger_movements
    from month_closes
    left join staged
        on
            month_closes.provider = staged.provider
            and month_closes.billing_account_id = staged.billing_account_id
            and staged.occurred_at <= month_closes.occurred_at
    group by all

)

select
    subject,
    billing_period,
    expected_balance,
    ledger_balance
from broken_chain
union all
select
    subject,
    billing_period,
    expected_balance,
    ledger_balance
from recomputed
where expected_balance != ledger_balance or staged_movements != ledger_movements
