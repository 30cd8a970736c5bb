{{ config(materialized='table') }}

-- One row per provider x telemetry source: the clock offset (in whole minutes, within the
-- billing policy's clock_skew_minutes) that best lines telemetry up with the provider's
-- own daily usage. Evidence: for every candidate offset, requests logged near midnight are
-- re-bucketed into days and the absolute daily token gap to the provider-reported usage
-- (per project) is summed; the smallest gap wins, ties go to the smaller offset. Only
-- requests within the skew window of a day edge can move, so the search stays cheap.
-- The reported usage is scaled by the source's coverage of the project (its tokens over
-- the provider's, over all days): a source that sees only part of a project (another
-- gateway or telemetry source on it, dropped fields) is compared with its share, so its
-- daily gaps do not all keep one sign, which would make every offset tie.
-- Two passes: a source sharing a project with another is compared, in the second pass,
-- with what the provider reported minus the other sources' tokens as corrected by their
-- first-pass offsets. Otherwise the other source's clock skew moves tokens between days
-- in the provider's figures and the fit of an on-time source chases it (a small in-house
-- log next to a gateway 20 minutes behind measured -12).
-- A table: the attribution and its tests read the fit; a view would redo the search each time.
with

daily_lines as (

    select * from {{ ref('int_usage_request_lines_aggregated_to_day') }}

),

reported_usage as (

    select * from {{ ref('int_provider_usage_reported_daily') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

daily_tokens as (

    select
        daily_lines.provider,
        daily_lines.telemetry_source,
        daily_lines.project_key,
        daily_lines.requested_date,
        daily_lines.edge_minute_at,
        daily_lines.quantity as tokens,
        coalesce(billing_policy.clock_skew_minutes, 0) as clock_skew_minutes
    from daily_lines
    left join billing_policy
        on daily_lines.provider = billing_policy.provider
    where daily_lines.usage_type in (
        'input_uncached', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output'
    )

),

observed_daily as (

    select
        provider,
        telemetry_source,
        project_key,
        requested_date as usage_date,
        sum(tokens) as tokens
    from daily_tokens
    group by all

),

telemetry_projects as (

    select distinct
        provider,
        telemetry_source,
        project_key,
        clock_skew_minutes
    from daily_tokens

),

reported_daily as (

    select
        telemetry_projects.provider,
        telemetry_projects.telemetry_source,
        telemetry_projects.project_key,
        reported_usage.usage_date,
        sum(reported_usage.reported_quantity) as tokens
    from reported_usage
    inner join telemetry_projects
        on
            reported_usage.provider = telemetry_projects.provider
            and reported_usage.project_key = telemetry_projects.project_key
    group by all

),

candidate_offsets as (

    select distinct
        telemetry_projects.provider,
        telemetry_projects.telemetry_source,
        unnest(
            range(
                -cast(telemetry_projects.clock_skew_minutes as bigint),
                cast(telemetry_projects.clock_skew_minutes as bigint) + 1
            )
        ) as offset_minutes
    from telemetry_projects

),

edge_minutes as (

    -- Minutes near a UTC day edge (the aggregate also keeps minutes near billing-period
    -- edges in the billing timezone; a shift within the skew cannot move those a day).
    select
        provider,
        telemetry_source,
        project_key,
        edge_minute_at as minute_at,
        sum(tokens) as tokens
    from daily_tokens
    where
        edge_minute_at < date_trunc('day', edge_minute_at) + to_minutes(clock_skew_minutes)
        or edge_minute_at >= date_trunc('day', edge_minute_at) + interval 1 day
        - to_minutes(clock_skew_minutes)
    group by all

),

moves as (

    select
        edge_minutes.provider,
        edge_minutes.telemetry_source,
        edge_minutes.project_key,
        candidate_offsets.offset_minutes,
        cast(edge_minutes.minute_at as date) as from_date,
        cast(edge_minutes.minute_at + to_minutes(candidate_offsets.offset_minutes) as date)
            as to_date,
        edge_minutes.tokens
    from edge_minutes
    inner join candidate_offsets
        on
            edge_minutes.provider = candidate_offsets.provider
            and edge_minutes.telemetry_source = candidate_offsets.telemetry_source

),

day_deltas as (

    select
        provider,
        telemetry_source,
        project_key,
        offset_minutes,
        usage_date,
        sum(tokens) as tokens
    from (
        select
            provider,
            telemetry_source,
            project_key,
            offset_minutes,
            from_date as usage_date,
            -tokens as tokens
        from moves
        where from_date != to_date
        union all
        select
            provider,
            telemetry_source,
            project_key,
            offset_minutes,
            to_date as usage_date,
            tokens
        from moves
        where from_date != to_date
    ) as signed_moves
    group by all

),

evidence_days as (

    select
        provider,
        telemetry_source,
        project_key,
        usage_date
    from observed_daily
    union
    select
        provider,
        telemetry_source,
        project_key,
        usage_date
    from reported_daily
    union
    select
        provider,
        telemetry_source,
        project_key,
        usage_date
    from day_deltas

),

corrected_daily_0 as (

    -- Pass 1 subtracts nothing from the provider's usage.
    select
        provider,
        telemetry_source,
        project_key,
        usage_date,
        tokens
    from observed_daily
    where false

),

{%- for pass in [1, 2] %}

    targets_{{ pass }} as (

        -- What the source is compared with, per project and day: the provider's tokens less
        -- the other sources' tokens on the project as corrected in the previous pass.
        select
            reported_daily.provider,
            reported_daily.telemetry_source,
            reported_daily.project_key,
            reported_daily.usage_date,
            reported_daily.tokens - coalesce(sum(other_sources.tokens), 0) as tokens
        from reported_daily
        left join corrected_daily_{{ pass - 1 }} as other_sources
            on
                reported_daily.provider = other_sources.provider
                and reported_daily.project_key = other_sources.project_key
                and reported_daily.usage_date = other_sources.usage_date
                and reported_daily.telemetry_source != other_sources.telemetry_source
        group by
            reported_daily.provider,
            reported_daily.telemetry_source,
            reported_daily.project_key,
            reported_daily.usage_date,
            reported_daily.tokens

    ),

    coverage_{{ pass }} as (

        -- The share of the target's tokens this source sees, over all days.
        select
            observed_totals.provider,
            observed_totals.telemetry_source,
            observed_totals.project_key,
            observed_totals.tokens / nullif(target_totals.tokens, 0) as coverage_ratio
        from (
            select
                provider,
                telemetry_source,
                project_key,
                sum(tokens) as tokens
            from observed_daily
            group by all
        ) as observed_totals
        inner join (
            select
                provider,
                telemetry_source,
                project_key,
                sum(tokens) as tokens
            from targets_{{ pass }}
            group by all
        ) as target_totals
            on
                observed_totals.provider = target_totals.provider
                and observed_totals.telemetry_source = target_totals.telemetry_source
                and observed_totals.project_key = target_totals.project_key

    ),

    scored_{{ pass }} as (

        select
            candidate_offsets.provider,
            candidate_offsets.telemetry_source,
            candidate_offsets.offset_minutes,
            count(*) as evidence_day_count,
            sum(abs(
                coalesce(coverage.coverage_ratio, 1) * coalesce(reported_daily.tokens, 0)
                - coalesce(observed_daily.tokens, 0)
                - coalesce(day_deltas.tokens, 0)
            )) as daily_token_gap
        from evidence_days
        inner join candidate_offsets
            on
                evidence_days.provider = candidate_offsets.provider
                and evidence_days.telemetry_source = candidate_offsets.telemetry_source
        left join targets_{{ pass }} as reported_daily
            on
                evidence_days.provider = reported_daily.provider
                and evidence_days.telemetry_source = reported_daily.telemetry_source
                and evidence_days.project_key = reported_daily.project_key
                and evidence_days.usage_date = reported_daily.usage_date
        left join observed_daily
            on
                evidence_days.provider = observed_daily.provider
                and evidence_days.telemetry_source = observed_daily.telemetry_source
                and evidence_days.project_key = observed_daily.project_key
                and evidence_days.usage_date = observed_daily.usage_date
        left join coverage_{{ pass }} as coverage
            on
                evidence_days.provider = coverage.provider
                and evidence_days.telemetry_source = coverage.telemetry_source
                and evidence_days.project_key = coverage.project_key
        left join day_deltas
            on
                evidence_days.provider = day_deltas.provider
                and evidence_days.telemetry_source = day_deltas.telemetry_source
                and evidence_days.project_key = day_deltas.project_key
                and evidence_days.usage_date = day_deltas.usage_date
                and candidate_offsets.offset_minutes = day_deltas.offset_minutes
        where
            exists (
                select 1 from reported_daily as any_reported
                where
                    any_reported.provider = evidence_days.provider
                    and any_reported.telemetry_source = evidence_days.telemetry_source
            )
        group by all

    ),

    ranked_{{ pass }} as (

        select
            *,
            min(daily_token_gap) filter (where offset_minutes = 0) over (
                partition by provider, telemetry_source
            ) as daily_token_gap_at_zero,
            row_number() over (
                partition by provider, telemetry_source
                order by daily_token_gap, abs(offset_minutes), offset_minutes
            ) as offset_rank
        from scored_{{ pass }}

    ),

    chosen_{{ pass }} as (

        -- The best offset counts only when it cuts the gap at zero by the share in var
        -- clock_offset_min_gap_reduction_pct: a smaller gain is the day-to-day noise of what
        -- the source does not see (other keys, dropped usage), not a clock.
        select
            provider,
            telemetry_source,
            evidence_day_count,
            daily_token_gap_at_zero,
            case when is_material then offset_minutes else 0 end as offset_minutes,
            case when is_material then daily_token_gap else daily_token_gap_at_zero end
                as daily_token_gap
        from (
            select
                *,
                daily_token_gap <= daily_token_gap_at_zero
                * (1 - {{ var('clock_offset_min_gap_reduction_pct') }} / 100.0) as is_material
            from ranked_{{ pass }}
            where offset_rank = 1
        ) as best_offsets

    ),

    corrected_daily_{{ pass }} as (

        -- Each source's daily tokens on each project after this pass's offset.
        select
            observed_daily.provider,
            observed_daily.telemetry_source,
            observed_daily.project_key,
            observed_daily.usage_date,
            observed_daily.tokens + coalesce(day_deltas.tokens, 0) as tokens
        from observed_daily
        left join chosen_{{ pass }}
            on
                observed_daily.provider = chosen_{{ pass }}.provider
                and observed_daily.telemetry_source = chosen_{{ pass }}.telemetry_source
        left join day_deltas
            on
                observed_daily.provider = day_deltas.provider
                and observed_daily.telemetry_source = day_deltas.telemetry_source
                and observed_daily.project_key = day_deltas.project_key
                and observed_daily.usage_date = day_deltas.usage_date
                and chosen_{{ pass }}.offset_minutes = day_deltas.offset_minutes

    ),
{%- endfor %}

final as (

    select
        telemetry_projects.provider,
        telemetry_projects.telemetry_source,
        max(telemetry_projects.clock_skew_minutes) as clock_skew_minutes,
        coalesce(max(ranked.offset_minutes), 0) as clock_offset_minutes,
        max(ranked.daily_token_gap_at_zero) as daily_token_gap_at_zero,
        max(ranked.daily_token_gap) as daily_token_gap_at_offset,
        coalesce(max(ranked.evidence_day_count), 0) as evidence_day_count,
        max(ranked.offset_minutes) is not null as has_provider_evidence
    from telemetry_projects
    left join chosen_2 as ranked
        on
            telemetry_projects.provider = ranked.provider
            and telemetry_projects.telemetry_source = ranked.telemetry_source
    group by telemetry_projects.provider, telemetry_projects.telemetry_source

)

select * from final
