-- One row per calendar day from var earliest_plausible_date to var latest_plausible_date:
-- the semantic layer's time spine (MetricFlow joins and aggregates time on it; the
-- time_spine config in _semantic__models.yml). Engine-neutral: a series of day offsets
-- (integer_series_rows) added to the first day with dbt's cross-database dateadd.
with

day_offsets as (

    select
        {{ integer_series_rows(
            0,
            dbt.datediff(
                "cast('" ~ var('earliest_plausible_date') ~ "' as date)",
                "cast('" ~ var('latest_plausible_date') ~ "' as date)",
                'day'
            )
        ) }} as day_offset

),

final as (

    select
        cast(
            {{ dbt.dateadd(
                'day', 'day_offset', "cast('" ~ var('earliest_plausible_date') ~ "' as date)"
            ) }} as date
        ) as date_day
    from day_offsets

)

select * from final
