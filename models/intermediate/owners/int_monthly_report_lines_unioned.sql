-- The monthly report's lines before the owner's comment (fct_monthly_report): per period x
-- provider x team x cost center x environment x workflow x model x request type x service
-- tier x inference geography x speed x price rows, the observed usage with its amount per
-- token type in USD and, each rounded to the cent at the period's one rate, in the
-- reporting currency; plus, per period
-- x provider x owner, one billed_minus_observed line: what the chargeback posts to the
-- owner minus the observed amounts of its lines. A view; its key is tested on the mart.
with

request_costs as (

    select * from {{ ref('fct_request_costs') }}

),

chargeback as (

    select * from {{ ref('fct_chargeback_ledger') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

usage_rows as (

    -- One price row set, inference geography and speed per row (price_ids, inference_geo,
    -- speed), so each rate below is the one applied (US-only inference and fast mode at
    -- their multiples).
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
        request_costs.inference_geo,
        request_costs.speed,
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
        sum(request_costs.video_seconds) as video_seconds,
        coalesce(sum(request_costs.input_uncached_cost_usd), 0) as input_cost_usd,
        coalesce(sum(request_costs.cache_read_cost_usd), 0) as cached_cost_usd,
        coalesce(sum(request_costs.cache_write_cost_usd), 0) as cache_write_cost_usd,
        coalesce(sum(request_costs.output_cost_usd), 0) as output_cost_usd,
        -- Video seconds apart (their own amount and rate), the other per-unit types together.
        coalesce(sum(request_costs.video_seconds_cost_usd), 0) as video_cost_usd,
        coalesce(sum(request_costs.per_unit_cost_usd), 0)
        - coalesce(sum(request_costs.video_seconds_cost_usd), 0) as per_unit_cost_usd
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
        request_costs.inference_geo,
        request_costs.speed,
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
        {{ to_reporting('usage_rows.video_cost_usd', 'fx_reporting.reporting_units_per_usd') }}
            as video_reporting,
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
            + video_cost_usd + per_unit_cost_usd
        ) as observed_usd,
        sum(
            input_reporting + cached_reporting + cache_write_reporting + output_reporting
            + video_reporting + per_unit_reporting
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
        inference_geo,
        speed,
        price_ids,
        request_count,
        unpriced_request_count,
        input_tokens,
        cached_tokens,
        cache_write_tokens,
        output_tokens,
        image_count,
        audio_seconds,
        video_seconds,
        input_cost_usd,
        cached_cost_usd,
        cache_write_cost_usd,
        output_cost_usd,
        video_cost_usd,
        per_unit_cost_usd,
        input_cost_usd + cached_cost_usd + cache_write_cost_usd + output_cost_usd
        + video_cost_usd + per_unit_cost_usd as observed_usd,
        cast(0 as {{ money_type() }}) as billed_minus_observed_usd,
        input_reporting,
        cached_reporting,
        cache_write_reporting,
        output_reporting,
        video_reporting,
        per_unit_reporting,
        input_reporting + cached_reporting + cache_write_reporting + output_reporting
        + video_reporting + per_unit_reporting as observed_reporting,
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
        cast(null as string) as inference_geo,
        cast(null as string) as speed,
        cast(null as string) as price_ids,
        0 as request_count,
        0 as unpriced_request_count,
        0 as input_tokens,
        0 as cached_tokens,
        0 as cache_write_tokens,
        0 as output_tokens,
        0 as image_count,
        0 as audio_seconds,
        0 as video_seconds,
        0 as input_cost_usd,
        0 as cached_cost_usd,
        0 as cache_write_cost_usd,
        0 as output_cost_usd,
        0 as video_cost_usd,
        0 as per_unit_cost_usd,
        0 as observed_usd,
        billed_minus_observed_usd,
        0 as input_reporting,
        0 as cached_reporting,
        0 as cache_write_reporting,
        0 as output_reporting,
        0 as video_reporting,
        0 as per_unit_reporting,
        0 as observed_reporting,
        billed_minus_observed_reporting
    from difference_rows

),

final as (

    select * from report_rows

)

select * from final
