-- The memo adds up: on every line tier, each variance category's billed side minus its
-- observed side is the amount attributed to it, and on every memo line of fct_variances
-- the billed side minus the observed side is the variance the sentence states, exactly.
-- The sides are derived on their own (int_reconciliation_line_tiers: the cost the clock
-- offset moves in and out, the cache reads at both rates, the observed quantity at both
-- rates, ...), never as the other side plus the variance, so a side that leaves out part
-- of its category, or a category whose steps change without its sides, fails here.
{%- set categories = variance_category_names() %}
with

line_tiers as (

    select * from {{ ref('int_reconciliation_line_tiers') }}

),

variances as (

    select * from {{ ref('fct_variances') }}

),

tier_sides_off as (

    {%- for category in categories %}
        select
            'line tier ' || reconciliation_line_id || ' ' || service_tier as checked_row,
            '{{ category }}' as variance_category,
            {{ category }}_billed_usd as billed_side_usd,
            {{ category }}_observed_usd as observed_side_usd,
            {{ category }}_usd as amount_usd
        from line_tiers
        where
            coalesce({{ category }}_billed_usd, 0) - coalesce({{ category }}_observed_usd, 0)
            != {{ category }}_usd
            or {{ category }}_billed_usd is null
            or {{ category }}_observed_usd is null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

memo_sides_off as (

    select
        'memo line ' || billing_period || ' ' || provider as checked_row,
        variance_category,
        billed_usd as billed_side_usd,
        observed_usd as observed_side_usd,
        amount_usd
    from variances
    where billed_usd - observed_usd != amount_usd

),

failures as (

    select * from tier_sides_off
    union all
    select * from memo_sides_off

)

select * from failures
