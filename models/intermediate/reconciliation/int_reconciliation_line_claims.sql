-- One row per reconciliation line: the claim held against the provider on it (a disputed
-- line's claim status) and whether it is a provider credit settling a claim. The one place
-- the settling rule is read (int_provider_claims_matched_to_credits pairs the credits);
-- int_variance_line_categories and fct_period_summary read it.
with

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

claims as (

    select * from {{ ref('int_provider_claims_matched_to_credits') }}

),

settling_credits as (

    select distinct credit_line_id from claims where credit_line_id is not null

),

final as (

    select
        lines.reconciliation_line_id,
        claims.claim_status,
        settling_credits.credit_line_id is not null as is_settling_credit
    from lines
    left join claims
        on lines.reconciliation_line_id = claims.claim_line_id
    left join settling_credits
        on lines.reconciliation_line_id = settling_credits.credit_line_id

)

select * from final
