-- One row per disputed reconciliation line (a DISPUTE decision is its latest): the claim
-- against the provider with its evidence (quantities, unit rates and amounts on both sides,
-- the difference claimed) and the provider credit that settles it, when one has landed.
-- The match rule (DECISIONLOG "Disputes and the credits that settle them"): a credit is a
-- reconciliation line of line_type credit with a negative billed amount (an invoice credit
-- line, a FOCUS row of ChargeCategory Credit); it settles a claim of the same provider and
-- billing account when its amount is the claimed amount to the cent, it is billed in the
-- claim's period or later, and it names the claim's project and model or none ('(none)').
-- Claims and credits of one provider, account and amount are paired in order, the
-- earliest claim (period, decision time, line id) with the earliest credit (period, line
-- id); a pair that breaks the period or project/model condition leaves the claim open.
with

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

claims as (

    select
        reconciliation_line_id as claim_line_id,
        decision_id,
        provider,
        billing_account_id,
        project_id,
        billing_period,
        model,
        usage_type,
        line_type,
        variance_category,
        note,
        actor,
        billed_usd,
        observed_usd,
        variance_usd as claimed_usd,
        provider_quantity,
        observed_quantity,
        decided_at,
        row_number() over (
            partition by provider, billing_account_id, round(variance_usd, 2)
            order by billing_period, decided_at, reconciliation_line_id
        ) as match_rank
    from lines
    where status = 'disputed'

),

credits as (

    select
        reconciliation_line_id as credit_line_id,
        provider,
        billing_account_id,
        project_id,
        model,
        billing_period,
        billed_usd,
        row_number() over (
            partition by provider, billing_account_id, round(-billed_usd, 2)
            order by billing_period, reconciliation_line_id
        ) as match_rank
    from lines
    where line_type = 'credit' and billed_usd < 0

),

matched as (

    select
        claims.*,
        credits.credit_line_id,
        credits.billing_period as credit_period,
        credits.billed_usd as credit_usd
    from claims
    left join credits
        on
            claims.provider = credits.provider
            and claims.billing_account_id = credits.billing_account_id
            and round(claims.claimed_usd, 2) = round(-credits.billed_usd, 2)
            and claims.match_rank = credits.match_rank
            and claims.claimed_usd > 0
            and credits.billing_period >= claims.billing_period
            and credits.project_id in (claims.project_id, '(none)')
            and credits.model in (claims.model, '(none)')

),

final as (

    select
        ---------- ids
        claim_line_id,
        decision_id,
        credit_line_id,
        provider,
        billing_account_id,
        project_id,
        ---------- strings
        billing_period,
        model,
        usage_type,
        line_type,
        variance_category,
        case when credit_line_id is null then 'open' else 'settled' end as claim_status,
        credit_period,
        note,
        actor,
        ---------- numerics
        billed_usd,
        observed_usd,
        claimed_usd,
        credit_usd,
        provider_quantity,
        observed_quantity,
        cast(provider_quantity - observed_quantity as decimal(38, 6)) as quantity_difference,
        case
            when provider_quantity > 0
                then cast(billed_usd / provider_quantity as {{ unit_rate_type() }})
        end as provider_unit_rate,
        case
            when observed_quantity > 0
                then cast(observed_usd / observed_quantity as {{ unit_rate_type() }})
        end as observed_unit_rate,
        ---------- booleans
        note is null as is_note_missing,
        ---------- timestamps
        decided_at
    from matched

)

select * from final
