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
{%- set source = ['provider', 'telemetry_source'] %}
{%- set source_project = source + ['project_key'] %}
{%- set source_project_day = source_project + ['usage_date'] %}
{%- set project_day = ['provider', 'project_key', 'usage_date'] %}
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
        {{ source_project | join(',\n        ') }},
        requested_date as usage_date,
        sum(tokens) as tokens
    from daily_tokens
    group by all

),

telemetry_projects as (

    select distinct
        {{ source_project | join(',\n        ') }},
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
        {{ integer_series_rows(
            '-cast(telemetry_projects.clock_skew_minutes as bigint)',
            'cast(telemetry_projects.clock_skew_minutes as bigint)'
        ) }} as offset_minutes
    from telemetry_projects

),

edge_minutes as (

    -- Minutes near a UTC day edge (the aggregate also keeps minutes near billing-period
    -- edges in the billing timezone; a shift within the skew cannot move those a day).
    select
        {{ source_project | join(',\n        ') }},
        edge_minute_at as minute_at,
        sum(tokens) as tokens
    from daily_tokens
    where
        edge_minute_at < date_trunc('day', edge_minute_at) + clock_skew_minutes * interval 1 minute
        or edge_minute_at >= date_trunc('day', edge_minute_at) + interval 1 day
        - clock_skew_minutes * interval 1 minute
    group by all

),

moves as (

    select
        edge_minutes.provider,
        edge_minutes.telemetry_source,
        edge_minutes.project_key,
        candidate_offsets.offset_minutes,
        cast(edge_minutes.minute_at as date) as from_date,
        cast(edge_minutes.minute_at + candidate_offsets.offset_minutes * interval 1 minute as date)
            as to_date,
        edge_minutes.tokens
    from edge_minutes
    inner join candidate_offsets
        on {{ join_on_columns('edge_minutes', 'candidate_offsets', source) }}

),

signed_moves as (

    -- A move takes its tokens out of one day and into another.
    select
        {{ source_project | join(',\n        ') }},
        offset_minutes,
        from_date as usage_date,
        -tokens as tokens
    from moves
    where from_date != to_date

    union all

    select
        {{ source_project | join(',\n        ') }},
        offset_minutes,
        to_date as usage_date,
        tokens
    from moves
    where from_date != to_date

),

day_deltas as (

    select
        {{ source_project | join(',\n        ') }},
        offset_minutes,
        usage_date,
        sum(tokens) as tokens
    from signed_moves
    group by all

),

evidence_days as (

    {%- for relation in ['observed_daily', 'reported_daily', 'day_deltas'] %}
        select {{ source_project_day | join(', ') }} from {{ relation }}
        {%- if not loop.last %}
            union
        {%- endif %}
    {%- endfor %}

),

observed_totals as (

    select
        {{ source_project | join(',\n        ') }},
        sum(tokens) as tokens
    from observed_daily
    group by all

),

corrected_daily_0 as (

    -- Pass 1 subtracts nothing from the provider's usage.
    select
        {{ source_project | join(',\n        ') }},
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
                {{ join_on_columns('reported_daily', 'other_sources', project_day) }}
                and reported_daily.telemetry_source != other_sources.telemetry_source
        group by
            reported_daily.provider,
            reported_daily.telemetry_source,
            reported_daily.project_key,
            reported_daily.usage_date,
            reported_daily.tokens

    ),

    target_totals_{{ pass }} as (

        select
            {{ source_project | join(',\n            ') }},
            sum(tokens) as tokens
        from targets_{{ pass }}
        group by all

    ),

    coverage_{{ pass }} as (

        -- The share of the target's tokens this source sees, over all days.
        select
            observed_totals.provider,
            observed_totals.telemetry_source,
            observed_totals.project_key,
            observed_totals.tokens / nullif(target_totals.tokens, 0) as coverage_ratio
        from observed_totals
        inner join target_totals_{{ pass }} as target_totals
            on {{ join_on_columns('observed_totals', 'target_totals', source_project) }}

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
            on {{ join_on_columns('evidence_days', 'candidate_offsets', source) }}
        left join targets_{{ pass }} as reported_daily
            on {{ join_on_columns('evidence_days', 'reported_daily', source_project_day) }}
        left join observed_daily
            on {{ join_on_columns('evidence_days', 'observed_daily', source_project_day) }}
        left join coverage_{{ pass }} as coverage
            on {{ join_on_columns('evidence_days', 'coverage', source_project) }}
        left join day_deltas
            on
                {{ join_on_columns('evidence_days', 'day_deltas', source_project_day) }}
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

    best_offsets_{{ pass }} as (

        -- The best offset counts only when it cuts the gap at zero by the share in var
        -- clock_offset_min_gap_reduction_pct: a smaller gain is the day-to-day noise of what
        -- the source does not see (other keys, dropped usage), not a clock.
        select
            *,
            daily_token_gap <= daily_token_gap_at_zero
            * (1 - {{ var('clock_offset_min_gap_reduction_pct') }} / 100.0) as is_material
        from ranked_{{ pass }}
        where offset_rank = 1

    ),

    chosen_{{ pass }} as (

        select
            provider,
            telemetry_source,
            evidence_day_count,
            daily_token_gap_at_zero,
            case when is_material then offset_minutes else 0 end as offset_minutes,
            case when is_material then daily_token_gap else daily_token_gap_at_zero end
                as daily_token_gap
        from best_offsets_{{ pass }}

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
            on {{ join_on_columns('observed_daily', 'chosen_' ~ pass, source) }}
        left join day_deltas
            on
                {{ join_on_columns('observed_daily', 'day_deltas', source_project_day) }}
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
        on {{ join_on_columns('telemetry_projects', 'ranked', source) }}
    group by telemetry_projects.provider, telemetry_projects.telemetry_source

)

select * from final
