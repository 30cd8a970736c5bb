-- The one-format monthly report (domain article 004): one row per period x provider x
-- team x cost center x environment x workflow x model (resolved: the alias chain ends at
-- the price-book model) x request type x service tier x price rows used, with tokens by
-- type, video seconds, requests, the rate per 1M tokens and per video second and the
-- amount per token type and of the video seconds; plus, per period x
-- provider x owner, one billed_minus_observed row: what the chargeback posts to the owner
-- minus the observed amounts of its rows. Per period and provider the rows sum to what the
-- provider billed (fct_period_summary), in USD and, to the cent, in the reporting currency;
-- per team they sum to the team's actual (fct_budget_status), whose limit, variance and
-- a one-line comment every row of the team carries (DECISIONLOG "The monthly report").
-- Nothing is priced, allocated or converted here that a mart does not already hold: the
-- lines and their amounts come from int_monthly_report_lines_unioned; this model adds the
-- team's comment, its budget figures, the rates (macro monthly_report_rates) and the key.
with

report_lines as (

    select * from {{ ref('int_monthly_report_lines_unioned') }}

),

budget_status as (

    select * from {{ ref('fct_budget_status') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

exports_dated as (

    select * from {{ ref('int_billing_exports_dated') }}

),

team_largest_rows as (

    -- The team's largest observed row in the period: the comment names it.
    select
        billing_period,
        team,
        provider,
        model,
        request_type,
        workflow,
        observed_usd,
        -- The row's share of the team's observed cost, in DOUBLE as DuckDB divides decimals
        -- (the same in any currency, so the comment is).
        {{ round_double(
            'cast(100 * observed_usd as double) / nullif(cast(sum(observed_usd) over ('
            ~ 'partition by billing_period, team) as double), 0)', 1
        ) }} as team_share_pct,
        row_number() over (
            partition by billing_period, team
            order by
                observed_usd desc, provider asc, model asc, request_type asc,
                workflow asc, environment asc, service_tier asc, inference_geo asc,
                speed asc, price_ids asc
        ) as cost_rank
    from report_lines
    where line_kind = 'observed_usage'

),

team_comments as (

    select
        budget_status.billing_period,
        budget_status.team,
        budget_status.limit_state,
        budget_status.budget_amount,
        budget_status.actual_amount,
        budget_status.variance_amount,
        budget_status.variance_pct,
        budget_status.budget_usd,
        budget_status.actual_usd,
        budget_status.variance_usd,
        case budget_status.limit_state
            when 'no_budget' then 'No budget set for this team'
            when 'hard_limit_exceeded'
                then concat(
                    'Over budget by ',
                    {{ format_number_grouped('budget_status.variance_pct', 2) }},
                    '% (hard limit exceeded)'
                )
            when 'soft_limit_exceeded'
                then concat(
                    'Soft limit exceeded: ',
                    {{ format_number_grouped('100 + budget_status.variance_pct', 2) }},
                    '% of the budget used'
                )
            else concat(
                'Within budget: ',
                {{ format_number_grouped('100 + budget_status.variance_pct', 2) }},
                '% used'
            )
        end
        || case
            when team_largest_rows.observed_usd > 0
                then concat(
                    '; largest cost ',
                    team_largest_rows.model,
                    ' ',
                    team_largest_rows.request_type,
                    ' for ',
                    coalesce(team_largest_rows.workflow, 'no workflow'),
                    ' (',
                    team_largest_rows.provider,
                    ', ',
                    {{ format_number_grouped('team_largest_rows.team_share_pct', 1) }},
                    '% of the team observed cost)'
                )
            else ''
        end || '.' as team_comment
    from budget_status
    left join team_largest_rows
        on
            budget_status.billing_period = team_largest_rows.billing_period
            and budget_status.team = team_largest_rows.team
            and team_largest_rows.cost_rank = 1

),

final as (

    select
        ---------- ids
        {{ surrogate_key([
            'report_lines.line_kind', 'report_lines.billing_period', 'report_lines.provider',
            'report_lines.team', 'report_lines.cost_center', 'report_lines.environment',
            'report_lines.workflow', 'report_lines.model', 'report_lines.request_type',
            'report_lines.service_tier', 'report_lines.inference_geo', 'report_lines.speed',
            'report_lines.price_ids'
        ]) }} as monthly_report_line_id,
        report_lines.provider,
        report_lines.team,
        report_lines.cost_center,
        ---------- strings
        report_lines.billing_period,
        report_lines.line_kind,
        report_lines.environment,
        report_lines.workflow,
        report_lines.model,
        report_lines.reported_models,
        report_lines.request_type,
        report_lines.service_tier,
        report_lines.inference_geo,
        report_lines.speed,
        report_lines.price_ids,
        '{{ var("reporting_currency") }}' as reporting_currency,
        team_comments.limit_state as team_limit_state,
        team_comments.team_comment,
        ---------- numerics
        cast(report_lines.request_count as bigint) as request_count,
        cast(report_lines.unpriced_request_count as bigint) as unpriced_request_count,
        cast(report_lines.input_tokens as bigint) as input_tokens,
        cast(report_lines.cached_tokens as bigint) as cached_tokens,
        cast(report_lines.cache_write_tokens as bigint) as cache_write_tokens,
        cast(report_lines.output_tokens as bigint) as output_tokens,
        cast(report_lines.image_count as bigint) as image_count,
        cast(report_lines.audio_seconds as decimal(18, 3)) as audio_seconds,
        cast(report_lines.video_seconds as decimal(18, 3)) as video_seconds,
        -- The rates applied (one price row set per line), macro monthly_report_rates.
        {{ monthly_report_rates('report_lines') }},
        {{ to_money('report_lines.input_cost_usd') }} as input_cost_usd,
        {{ to_money('report_lines.cached_cost_usd') }} as cached_cost_usd,
        {{ to_money('report_lines.cache_write_cost_usd') }} as cache_write_cost_usd,
        {{ to_money('report_lines.output_cost_usd') }} as output_cost_usd,
        {{ to_money('report_lines.video_cost_usd') }} as video_cost_usd,
        {{ to_money('report_lines.per_unit_cost_usd') }} as per_unit_cost_usd,
        {{ to_money('report_lines.observed_usd') }} as observed_usd,
        {{ to_money('report_lines.billed_minus_observed_usd') }} as billed_minus_observed_usd,
        {{ to_money('report_lines.observed_usd + report_lines.billed_minus_observed_usd') }}
            as total_usd,
        fx_reporting.reporting_units_per_usd,
        {{ monthly_report_rates('report_lines', 'fx_reporting.reporting_units_per_usd') }},
        {{ to_money('report_lines.input_reporting') }} as input_reporting,
        {{ to_money('report_lines.cached_reporting') }} as cached_reporting,
        {{ to_money('report_lines.cache_write_reporting') }} as cache_write_reporting,
        {{ to_money('report_lines.output_reporting') }} as output_reporting,
        {{ to_money('report_lines.video_reporting') }} as video_reporting,
        {{ to_money('report_lines.per_unit_reporting') }} as per_unit_reporting,
        {{ to_money('report_lines.observed_reporting') }} as observed_reporting,
        {{ to_money('report_lines.billed_minus_observed_reporting') }}
            as billed_minus_observed_reporting,
        {{ to_money(
            'report_lines.observed_reporting + report_lines.billed_minus_observed_reporting'
        ) }} as total_reporting,
        team_comments.budget_amount as team_budget_amount,
        team_comments.actual_amount as team_actual_amount,
        team_comments.variance_amount as team_variance_amount,
        team_comments.budget_usd as team_budget_usd,
        team_comments.actual_usd as team_actual_usd,
        team_comments.variance_usd as team_variance_usd,
        team_comments.variance_pct as team_variance_pct,
        ---------- dates
        exports_dated.exported_on as data_exported_on
    from report_lines
    left join fx_reporting
        on report_lines.billing_period = fx_reporting.period
    left join team_comments
        on
            report_lines.billing_period = team_comments.billing_period
            and report_lines.team = team_comments.team
    left join exports_dated
        on
            report_lines.billing_period = exports_dated.billing_period
            and report_lines.provider = exports_dated.provider

)

select * from final
