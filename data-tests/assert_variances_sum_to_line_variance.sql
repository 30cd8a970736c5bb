-- The attributed categories of fct_variances add up to the reconciliation lines' variance
-- per period and provider, exactly: nothing is attributed twice or lost.
with

variances as (

    select
        billing_period,
        provider,
        sum(amount_usd) as attributed_usd
    from {{ ref('fct_variances') }}
    group by billing_period, provider

),

lines as (

    select
        billing_period,
        provider,
        sum(variance_usd) as variance_usd
    from {{ ref('fct_reconciliation_lines') }}
    group by billing_period, provider

)

select
    lines.billing_period,
    lines.provider,
    lines.variance_usd,
    variances.attributed_usd
from lines
full outer join variances
    on
        lines.billing_period = variances.billing_period
        and lines.provider = variances.provider
where coalesce(lines.variance_usd, 0) != coalesce(variances.attributed_usd, 0)
