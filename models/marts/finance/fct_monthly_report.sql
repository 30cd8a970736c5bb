-- The one-format monthly report (domain article 004): one row per period x provider x
-- team x cost center x environment x workflow x model (resolved: the alias chain ends at
-- the price-book model) x request type x service tier x price rows used, with tokens by
-- type, requests, the rate per 1M tokens and the amount per token type; plus, per period x
-- provider x owner, one billed_minus_observed row: what the chargeback posts to the owner
-- minus the observed amounts of its rows. Per period and provider the rows sum to what the
-- provider billed (fct_period_summary), in USD and, to the cent, in the reporting currency;
-- per team they sum to the team's actual (fct_budget_status), whose limit, variance and
-- a one-line comment every row of the team carries (DECISIONLOG "The monthly report").
-- Nothing is priced, allocated or converted here that a mart does not already hold.
with

request_costs as (

    select * from {{ ref('fct_request_costs') }}

),

chargeback as (

    select * from {{ ref('fct_chargeback_ledger') }}

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

usage_rows as (

    -- One price row set per row (price_ids), so each rate below is the one applied.
    select
        request_costs.billing_period,
        request_costs.provider,
        request_costs.team,
        request_costs.cost_center,
        request_costs.environment,
        request_costs.workflow,
        request_costs.canonical_model as model,
        request_costs.endpoint_family as request_type,
        request_costs.service_tier,
        request_costs.price_ids,
        {{ ordered_string_agg('request_costs.reported_model', "', '", distinct=true) }}
            as reported_models,
        count(*) as request_count,
        count(*) filter (where not request_costs.is_priced) as unpriced_request_count,
        sum(request_costs.input_uncached_tokens) as input_tokens,
        sum(request_costs.cache_read_tokens) as cached_tokens,
        sum(request_costs.cache_write_5m_tokens + request_costs.cache_write_1h_tokens)
            as cache_write_tokens,
        sum(request_costs.output_tokens) as output_tokens,
        sum(request_costs.image_count) as image_count,
        sum(request_costs.audio_seconds) as audio_seconds,
        coalesce(sum(request_costs.input_uncached_cost_usd), 0) as input_cost_usd,
        coalesce(sum(request_costs.cache_read_cost_usd), 0) as cached_cost_usd,
        coalesce(sum(request_costs.cache_write_cost_usd), 0) as cache_write_cost_usd,
        coalesce(sum(request_costs.output_cost_usd), 0) as output_cost_usd,
        coalesce(sum(request_costs.per_unit_cost_usd), 0) as per_unit_cost_usd
    from request_costs
    group by
        request_costs.billing_period,
        request_costs.provider,
        request_costs.team,
        request_costs.cost_center,
        request_costs.environment,
        request_costs.workflow,
        request_costs.canonical_model,
        request_costs.endpoint_family,
        request_costs.service_tier,
        request_costs.price_ids

),

usage_converted as (

    -- Each token type's amount converted once at the period's rate and rounded to the
    -- cent; the row's observed amount is the sum of those, so every row adds up.
    select
        usage_rows.*,
        fx_reporting.reporting_units_per_usd,
        {{ to_reporting('usage_rows.input_cost_usd', 'fx_reporting.reporting_units_per_usd') }}
            as input_reporting,
        {{ to_reporting('usage_rows.cached_cost_usd', 'fx_reporting.reporting_units_per_usd') }}
            as cached_reporting,
        {{ to_reporting(
            'usage_rows.cache_write_cost_usd', 'fx_reporting.reporting_units_per_usd'
        ) }} as cache_write_reporting,
        {{ to_reporting('usage_rows.output_cost_usd', 'fx_reporting.reporting_units_per_usd') }}
            as output_reporting,
        {{ to_reporting(
            'usage_rows.per_unit_cost_usd', 'fx_reporting.reporting_units_per_usd'
        ) }} as per_unit_reporting
    from usage_rows
    left join fx_reporting
        on usage_rows.billing_period = fx_reporting.period

),

observed_per_owner as (

    select
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        sum(
            input_cost_usd + cached_cost_usd + cache_write_cost_usd + output_cost_usd
            + per_unit_cost_usd
        ) as observed_usd,
        sum(
            input_reporting + cached_reporting + cache_write_reporting + output_reporting
            + per_unit_reporting
        ) as observed_reporting
    from usage_converted
    group by billing_period, provider, team, cost_center, environment

),

difference_rows as (

    -- What the chargeback posts to an owner (the provider's billed total split by its
    -- rules, fct_chargeback_ledger) minus the owner's observed amounts above.
    select
        coalesce(chargeback.billing_period, observed_per_owner.billing_period)
            as billing_period,
        coalesce(chargeback.provider, observed_per_owner.provider) as provider,
        coalesce(chargeback.team, observed_per_owner.team) as team,
        coalesce(chargeback.cost_center, observed_per_owner.cost_center) as cost_center,
        coalesce(chargeback.environment, observed_per_owner.environment) as environment,
        coalesce(chargeback.usage_allocated_usd + chargeback.other_allocated_usd, 0)
        - coalesce(observed_per_owner.observed_usd, 0) as billed_minus_observed_usd,
        coalesce(chargeback.posted_amount, 0)
        - coalesce(observed_per_owner.observed_reporting, 0) as billed_minus_observed_reporting
    from chargeback
    full outer join observed_per_owner
        on
            chargeback.billing_period = observed_per_owner.billing_period
            and chargeback.provider = observed_per_owner.provider
            and chargeback.team = observed_per_owner.team
            and chargeback.cost_center = observed_per_owner.cost_center
            and chargeback.environment = observed_per_owner.environment

),

report_rows as (

    select
        'observed_usage' as line_kind,
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        workflow,
        model,
        reported_models,
        request_type,
        service_tier,
        price_ids,
        request_count,
        unpriced_request_count,
        input_tokens,
        cached_tokens,
        cache_write_tokens,
        output_tokens,
        image_count,
        audio_seconds,
        input_cost_usd,
        cached_cost_usd,
        cache_write_cost_usd,
        output_cost_usd,
        per_unit_cost_usd,
        input_cost_usd + cached_cost_usd + cache_write_cost_usd + output_cost_usd
        + per_unit_cost_usd as observed_usd,
        cast(0 as {{ money_type() }}) as billed_minus_observed_usd,
        input_reporting,
        cached_reporting,
        cache_write_reporting,
        output_reporting,
        per_unit_reporting,
        input_reporting + cached_reporting + cache_write_reporting + output_reporting
        + per_unit_reporting as observed_reporting,
        cast(0 as {{ money_type() }}) as billed_minus_observed_reporting
    from usage_converted

    union all

    select
        'billed_minus_observed' as line_kind,
        billing_period,
        provider,
        team,
        cost_center,
        environment,
        cast(null as string) as workflow,
        cast(null as string) as model,
        cast(null as string) as reported_models,
        cast(null as string) as request_type,
        cast(null as string) as service_tier,
        cast(null as string) as price_ids,
        0 as request_count,
        0 as unpriced_request_count,
        0 as input_tokens,
        0 as cached_tokens,
        0 as cache_write_tokens,
        0 as output_tokens,
        0 as image_count,
        0 as audio_seconds,
        0 as input_cost_usd,
        0 as cached_cost_usd,
        0 as cache_write_cost_usd,
        0 as output_cost_usd,
        0 as per_unit_cost_usd,
        0 as observed_usd,
        billed_minus_observed_usd,
        0 as input_reporting,
        0 as cached_reporting,
        0 as cache_write_reporting,
        0 as output_reporting,
        0 as per_unit_reporting,
        0 as observed_reporting,
        billed_minus_observed_reporting
    from difference_rows

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
                workflow asc, environment asc, service_tier asc, price_ids asc
        ) as cost_rank
    from report_rows
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
            'report_rows.line_kind', 'report_rows.billing_period', 'report_rows.provider',
            'report_rows.team', 'report_rows.cost_center', 'report_rows.environment',
            'report_rows.workflow', 'report_rows.model', 'report_rows.request_type',
            'report_rows.service_tier', 'report_rows.price_ids'
        ]) }} as monthly_report_line_id,
        report_rows.provider,
        report_rows.team,
        report_rows.cost_center,
        ---------- strings
        report_rows.billing_period,
        report_rows.line_kind,
        report_rows.environment,
        report_rows.workflow,
        report_rows.model,
        report_rows.reported_models,
        report_rows.request_type,
        report_rows.service_tier,
        report_rows.price_ids,
        '{{ var("reporting_currency") }}' as reporting_currency,
        team_comments.limit_state as team_limit_state,
        team_comments.team_comment,
        ---------- numerics
        cast(report_rows.request_count as bigint) as request_count,
        cast(report_rows.unpriced_request_count as bigint) as unpriced_request_count,
        cast(report_rows.input_tokens as bigint) as input_tokens,
        cast(report_rows.cached_tokens as bigint) as cached_tokens,
        cast(report_rows.cache_write_tokens as bigint) as cache_write_tokens,
        cast(report_rows.output_tokens as bigint) as output_tokens,
        cast(report_rows.image_count as bigint) as image_count,
        cast(report_rows.audio_seconds as decimal(18, 3)) as audio_seconds,
        -- The rate per 1M tokens applied (one price row set per row; NULL when the row is
        -- unpriced), in DOUBLE as DuckDB divides decimals, then as money.
        {% for token_type in ['input', 'cached', 'cache_write', 'output'] %}
            case
                when report_rows.unpriced_request_count < report_rows.request_count
                    then {{ to_money(round_double(
                        'cast(report_rows.' ~ token_type ~ '_cost_usd as double) * 1000000'
                        ~ ' / nullif(report_rows.' ~ token_type ~ '_tokens, 0)', 6
                    )) }}
            end as {{ token_type }}_rate_per_million_usd,
        {% endfor %}
        {{ to_money('report_rows.input_cost_usd') }} as input_cost_usd,
        {{ to_money('report_rows.cached_cost_usd') }} as cached_cost_usd,
        {{ to_money('report_rows.cache_write_cost_usd') }} as cache_write_cost_usd,
        {{ to_money('report_rows.output_cost_usd') }} as output_cost_usd,
        {{ to_money('report_rows.per_unit_cost_usd') }} as per_unit_cost_usd,
        {{ to_money('report_rows.observed_usd') }} as observed_usd,
        {{ to_money('report_rows.billed_minus_observed_usd') }} as billed_minus_observed_usd,
        {{ to_money('report_rows.observed_usd + report_rows.billed_minus_observed_usd') }}
            as total_usd,
        fx_reporting.reporting_units_per_usd,
        {% for token_type in ['input', 'cached', 'cache_write', 'output'] %}
            case
                when report_rows.unpriced_request_count < report_rows.request_count
                    then {{ to_money(round_double(
                        'cast(report_rows.' ~ token_type ~ '_cost_usd as double) * 1000000'
                        ~ ' * cast(fx_reporting.reporting_units_per_usd as double)'
                        ~ ' / nullif(report_rows.' ~ token_type ~ '_tokens, 0)', 6
                    )) }}
            end as {{ token_type }}_rate_per_million_reporting,
        {% endfor %}
        {{ to_money('report_rows.input_reporting') }} as input_reporting,
        {{ to_money('report_rows.cached_reporting') }} as cached_reporting,
        {{ to_money('report_rows.cache_write_reporting') }} as cache_write_reporting,
        {{ to_money('report_rows.output_reporting') }} as output_reporting,
        {{ to_money('report_rows.per_unit_reporting') }} as per_unit_reporting,
        {{ to_money('report_rows.observed_reporting') }} as observed_reporting,
        {{ to_money('report_rows.billed_minus_observed_reporting') }}
            as billed_minus_observed_reporting,
        {{ to_money(
            'report_rows.observed_reporting + report_rows.billed_minus_observed_reporting'
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
    from report_rows
    left join fx_reporting
        on report_rows.billing_period = fx_reporting.period
    left join team_comments
        on
            report_rows.billing_period = team_comments.billing_period
            and report_rows.team = team_comments.team
    left join exports_dated
        on
            report_rows.billing_period = exports_dated.billing_period
            and report_rows.provider = exports_dated.provider

)

select * from final
