-- Per period and team the monthly report's rows sum to the team's actual in
-- fct_budget_status (the posted chargeback, all providers), in the reporting currency and
-- in USD, and every row of the team carries that actual.
with

report as (

    select * from {{ ref('fct_monthly_report') }}

),

budget_status as (

    select * from {{ ref('fct_budget_status') }}

),

report_teams as (

    select
        billing_period,
        team,
        sum(total_reporting) as total_reporting,
        sum(total_usd) as total_usd,
        min(team_actual_amount) as min_team_actual,
        max(team_actual_amount) as max_team_actual
    from report
    group by billing_period, team

)

select
    coalesce(budget_status.billing_period, report_teams.billing_period) as billing_period,
    coalesce(budget_status.team, report_teams.team) as team,
    budget_status.actual_amount,
    report_teams.total_reporting,
    budget_status.actual_usd,
    report_teams.total_usd,
    report_teams.min_team_actual,
    report_teams.max_team_actual
from budget_status
full outer join report_teams
    on
        budget_status.billing_period = report_teams.billing_period
        and budget_status.team = report_teams.team
where
    coalesce(budget_status.actual_amount, 0) != coalesce(report_teams.total_reporting, 0)
    or coalesce(budget_status.actual_usd, 0) != coalesce(report_teams.total_usd, 0)
    or report_teams.min_team_actual != budget_status.actual_amount
    or report_teams.max_team_actual != budget_status.actual_amount
