-- The prepaid balance rolls forward: each movement starts from the previous movement's
-- balance (across months), and each month opens where the previous one closed.
with

movements as (

    select
        *,
        lag(running_balance) over (
            partition by provider, billing_account_id order by occurred_at, recharge_id
        ) as previous_balance
    from {{ ref('fct_recharge_ledger') }}

)

select
    recharge_id,
    billing_period,
    previous_balance,
    balance_before
from movements
where coalesce(previous_balance, 0) != balance_before
