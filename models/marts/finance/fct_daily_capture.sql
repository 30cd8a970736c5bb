-- One row per provider x usage day (UTC) with billed usage or priced telemetry: what the
-- provider billed for usage that day (cost-export and FOCUS usage lines, in USD at the
-- period's rate), what the gateways observed (priced telemetry of that UTC day), the share
-- of billed spend telemetry captured, the same three month to date, and whether the day's
-- share is under the alert threshold (var capture_alert_pct, on days billing at least var
-- capture_min_billed_usd). `recon check` reports the flagged days; a gateway that stopped
-- logging shows here the next morning. Days are UTC days and the month is the UTC month
-- of the day: no measured clock offset is applied, so a gateway whose clock runs behind
-- moves spend across midnight (the reconciliation lines apply the offset, not this mart).
with

billed_lines as (

    select * from {{ ref('int_billed_lines_unioned') }}
    where line_type = 'usage'

),

fx_rates as (

    select * from {{ ref('int_fx_rates') }}

),

observed_lines as (

    select * from {{ ref('int_usage_request_lines_aggregated_to_day') }}

),

billed_daily as (

    select
        billed_lines.provider,
        billed_lines.usage_date,
        sum(billed_lines.amount * {{ to_unit_rate('1.0 / fx_rates.units_per_usd') }})
            as billed_usd
    from billed_lines
    left join fx_rates
        on
            billed_lines.billing_period = fx_rates.period
            and billed_lines.currency_code = fx_rates.currency_code
    group by billed_lines.provider, billed_lines.usage_date

),

observed_daily as (

    select
        provider,
        requested_date as usage_date,
        sum(cost_usd) as observed_usd
    from observed_lines
    group by provider, requested_date

),

joined as (

    select
        coalesce(billed_daily.provider, observed_daily.provider) as provider,
        coalesce(billed_daily.usage_date, observed_daily.usage_date) as usage_date,
        {{ to_money('coalesce(billed_daily.billed_usd, 0)') }} as billed_usd,
        {{ to_money('coalesce(observed_daily.observed_usd, 0)') }} as observed_usd
    from billed_daily
    full outer join observed_daily
        on
            billed_daily.provider = observed_daily.provider
            and billed_daily.usage_date = observed_daily.usage_date

),

month_to_date as (

    select
        *,
        {{ format_datetime('usage_date', '%Y-%m') }} as billing_period,
        sum(billed_usd) over (
            partition by provider, {{ format_datetime('usage_date', '%Y-%m') }}
            order by usage_date
            rows between unbounded preceding and current row
        ) as month_to_date_billed_usd,
        sum(observed_usd) over (
            partition by provider, {{ format_datetime('usage_date', '%Y-%m') }}
            order by usage_date
            rows between unbounded preceding and current row
        ) as month_to_date_observed_usd
    from joined

),

shares as (

    select
        *,
        -- In DOUBLE, as DuckDB divides a decimal: every engine gives the same share.
        {{ round_double(
            'cast(observed_usd as double) * 100 / cast(nullif(billed_usd, 0) as double)', 2
        ) }} as capture_pct,
        {{ round_double(
            'cast(month_to_date_observed_usd as double) * 100'
            ~ ' / cast(nullif(month_to_date_billed_usd, 0) as double)',
            2
        ) }} as month_to_date_capture_pct
    from month_to_date

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['provider', 'usage_date']) }} as daily_capture_id,
        provider,
        ---------- strings
        billing_period,
        ---------- numerics
        billed_usd,
        observed_usd,
        capture_pct,
        {{ to_money('month_to_date_billed_usd') }} as month_to_date_billed_usd,
        {{ to_money('month_to_date_observed_usd') }} as month_to_date_observed_usd,
        month_to_date_capture_pct,
        cast({{ var('capture_alert_pct') }} as double) as capture_alert_pct,
        ---------- booleans
        coalesce(
            billed_usd >= {{ var('capture_min_billed_usd') }}
            and capture_pct < {{ var('capture_alert_pct') }},
            false
        ) as is_capture_drop,
        ---------- dates
        usage_date
    from shares

)

select * from final
