-- One row per reconciliation line x variance category with a non-zero amount: the
-- line's attributed amount for the category and what each side said for it (the tiers'
-- sides from int_reconciliation_line_tiers; a prior_period_adjustment line's own sides; a
-- closed line whose record no longer matches today's tiers: the recorded amount on the
-- side it falls on), with the line's status, note, reviewer and claim. fct_variances
-- aggregates it per period, provider and category into the memo.
{%- set categories = variance_category_names() %}
with

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

line_tiers as (

    select * from {{ ref('int_reconciliation_line_tiers') }}

),

line_claims as (

    select * from {{ ref('int_reconciliation_line_claims') }}

),

lines_with_claims as (

    -- A disputed line's claim, and whether a line is a provider credit settling a claim.
    select
        lines.*,
        line_claims.claim_status,
        coalesce(line_claims.is_settling_credit, false) as is_settling_credit
    from lines
    left join line_claims
        on lines.reconciliation_line_id = line_claims.reconciliation_line_id

),

tier_sides as (

    -- Each line's category sides, from its tiers (int_reconciliation_line_tiers, where
    -- they are derived with the attribution).
    select
        reconciliation_line_id,
        {%- for category in categories %}
            sum({{ category }}_usd) as {{ category }}_usd,
            sum({{ category }}_billed_usd) as {{ category }}_billed_usd,
            sum({{ category }}_observed_usd) as {{ category }}_observed_usd
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from line_tiers
    group by reconciliation_line_id

),

line_categories as (

    -- One row per line and category, with what each side says for the category: the
    -- tiers' sides; on a prior_period_adjustment line (one category, no tiers) the line's
    -- own sides; on a closed line whose record no longer matches today's tiers, the
    -- recorded amount on the side it falls on (DECISIONLOG "The memo adds up").
    {%- for category in categories %}
        {%- set is_correction = category == 'prior_period_correction' %}
        select
            lines.reconciliation_line_id,
            lines.billing_period,
            lines.provider,
            lines.project_id,
            lines.status,
            lines.note,
            lines.actor,
            lines.claim_status,
            lines.is_settling_credit,
            '{{ category }}' as variance_category,
            lines.{{ category }}_usd as amount_usd,
            case
                when lines.line_type = 'prior_period_adjustment'
                    then {{ 'lines.billed_usd' if is_correction else '0' }}
                when tier_sides.{{ category }}_usd = lines.{{ category }}_usd
                    then tier_sides.{{ category }}_billed_usd
                else greatest(lines.{{ category }}_usd, 0)
            end as billed_side_usd,
            case
                when lines.line_type = 'prior_period_adjustment'
                    then {{ 'lines.observed_usd' if is_correction else '0' }}
                when tier_sides.{{ category }}_usd = lines.{{ category }}_usd
                    then tier_sides.{{ category }}_observed_usd
                else greatest(-lines.{{ category }}_usd, 0)
            end as observed_side_usd
        from lines_with_claims as lines
        left join tier_sides
            on lines.reconciliation_line_id = tier_sides.reconciliation_line_id
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

final as (

    select * from line_categories
    -- a category with no amount on a line says nothing about it
    where amount_usd != 0

)

select * from final
