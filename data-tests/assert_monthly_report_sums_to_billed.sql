-- Per period and provider the monthly report's rows sum to what the provider billed, as
-- fct_period_summary holds it: to the cent in the reporting currency, and in USD to the
-- exact decimal within a cent (the chargeback's proportional USD splits are exact to
-- 1e-10 only); and every row adds up (observed = its token types, total = observed +
-- billed minus observed).
with

report as (

    select * from {{ ref('fct_monthly_report') }}

),

summary as (

    select * from {{ ref('fct_period_summary') }}
    where provider != 'all'

),

report_totals as (

    select
        billing_period,
        provider,
        sum(total_usd) as total_usd,
        sum(total_reporting) as total_reporting,
        count(*) filter (
            where
            observed_reporting
            != input_reporting + cached_reporting + cache_write_reporting
            + output_reporting + video_reporting + per_unit_reporting
            or total_reporting != observed_reporting + billed_minus_observed_reporting
            or total_usd != observed_usd + billed_minus_observed_usd
        ) as rows_not_adding_up
    from report
    group by billing_period, provider

)

select
    coalesce(summary.billing_period, report_totals.billing_period) as billing_period,
    coalesce(summary.provider, report_totals.provider) as provider,
    summary.billed_usd,
    report_totals.total_usd,
    summary.billed_reporting,
    report_totals.total_reporting,
    report_totals.rows_not_adding_up
from summary
full outer join report_totals
    on
        summary.billing_period = report_totals.billing_period
        and summary.provider = report_totals.provider
where
    coalesce(summary.billed_reporting, 0) != coalesce(report_totals.total_reporting, 0)
    or abs(coalesce(summary.billed_usd, 0) - coalesce(report_totals.total_usd, 0)) >= 0.005
    or report_totals.rows_not_adding_up > 0
