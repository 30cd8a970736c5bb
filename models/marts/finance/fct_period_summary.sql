-- One row per period x provider, plus one all-provider row per period (provider = 'all'):
-- billed, observed, written off, held as claims against the provider (disputed lines and
-- the credits that settle them) and residual (= billed - observed - written off -
-- disputed), the
-- tolerance from the billing policy (the all row is within it only when every provider
-- is), sign-offs and whether the period is closed: it has a close record, or every
-- provider is within tolerance with three sign-offs, no quarantined rows, no note-less
-- write-off and no decision that matches no line, and every earlier period is closed too
-- (then the build's on-run-end hook writes its close record).
with

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

signoffs as (

    select * from {{ ref('stg_finance_inputs__signoffs') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

quarantined_rows as (

    select * from {{ ref('int_quarantined_rows_unioned') }}

),

decisions as (

    select * from {{ ref('int_decisions_matched') }}

),

line_claims as (

    select * from {{ ref('int_reconciliation_line_claims') }}

),

lines_with_claims as (

    -- A disputed line is held apart as a claim against the provider, and so is a provider
    -- credit matched to a claim (it settles the claim, it is not a new difference).
    select
        lines.*,
        coalesce(lines.status = 'disputed', false)
        or coalesce(line_claims.is_settling_credit, false) as is_held_as_claim
    from lines
    left join line_claims
        on lines.reconciliation_line_id = line_claims.reconciliation_line_id

),

closed_lines as (

    select * from {{ ref('stg_close_records__reconciliation_lines') }}

),

recorded_periods as (

    select distinct close_period as period from closed_lines

),

periods as (

    select distinct reconciled_in_period as billing_period from lines

),

quarantine_per_period as (

    -- A quarantined row without a period (e.g. an unreadable file) blocks every period.
    select
        periods.billing_period as period,
        count(quarantined_rows.quarantined_row_id) as quarantined_row_count,
        {{ to_money('sum(quarantined_rows.amount)') }} as quarantined_amount
    from periods
    inner join quarantined_rows
        on
            quarantined_rows.billing_period = periods.billing_period
            or quarantined_rows.billing_period is null
    group by periods.billing_period

),

per_provider as (

    -- A deferred line is reconciled in the next period (reconciled_in_period).
    select
        lines.reconciled_in_period as billing_period,
        lines.provider,
        {{ to_money('sum(lines.billed_usd)') }} as billed_usd,
        {{ to_money('sum(lines.observed_usd)') }} as observed_usd,
        {{ to_money(
            "sum(case when lines.status = 'written_off' and not lines.is_held_as_claim"
            ~ " then lines.variance_usd else 0 end)"
        ) }} as written_off_usd,
        {{ to_money(
            'coalesce(sum(lines.variance_usd) filter (where lines.is_held_as_claim), 0)'
        ) }} as disputed_usd,
        count(*) filter (where lines.status = 'disputed') as disputed_line_count,
        {{ to_money('sum(lines.unexplained_usd)') }} as unexplained_usd,
        {{ to_money(
            'coalesce(sum(lines.variance_usd) filter ('
            ~ 'where lines.billing_period != lines.reconciled_in_period), 0)'
        ) }} as deferred_in_variance_usd,
        count(*) filter (
            where lines.status in ('unreconciled', 'suggested') and not lines.is_held_as_claim
        ) as open_line_count,
        sum(lines.billed_reporting) as line_rounded_billed_reporting
    from lines_with_claims as lines
    group by lines.reconciled_in_period, lines.provider

),

with_all as (

    select * from per_provider

    union all

    select
        billing_period,
        'all' as provider,
        sum(billed_usd) as billed_usd,
        sum(observed_usd) as observed_usd,
        sum(written_off_usd) as written_off_usd,
        sum(disputed_usd) as disputed_usd,
        sum(disputed_line_count) as disputed_line_count,
        sum(unexplained_usd) as unexplained_usd,
        sum(deferred_in_variance_usd) as deferred_in_variance_usd,
        sum(open_line_count) as open_line_count,
        sum(line_rounded_billed_reporting) as line_rounded_billed_reporting
    from per_provider
    group by billing_period

),

signoffs_per_period as (

    select
        period,
        count(distinct signoff_role) filter (where record_status = 'valid') as signoff_count,
        count(distinct signer) filter (where record_status = 'valid') as signer_count
    from signoffs
    group by period

),

residuals as (

    -- The residual (billed - observed - written off - held as claims) and the provider's tolerance
    -- (tolerance_pct of billed, at least tolerance_floor_usd), each written once; the
    -- tolerance in DOUBLE, as DuckDB divides a decimal.
    select
        with_all.*,
        with_all.billed_usd - with_all.observed_usd - with_all.written_off_usd
        - with_all.disputed_usd as residual,
        coalesce(billing_policy.tolerance_pct, {{ var('default_tolerance_pct') }})
            as tolerance_pct,
        greatest(
            cast(
                abs(with_all.billed_usd)
                * coalesce(billing_policy.tolerance_pct, {{ var('default_tolerance_pct') }})
                as double
            ) / 100,
            coalesce(billing_policy.tolerance_floor_usd, {{ var('default_tolerance_floor_usd') }})
        ) as tolerance
    from with_all
    left join billing_policy
        on with_all.provider = billing_policy.provider

),

final as (

    select
        ---------- ids
        residuals.provider,
        ---------- strings
        residuals.billing_period,
        ---------- numerics
        residuals.billed_usd,
        residuals.observed_usd,
        residuals.written_off_usd,
        residuals.disputed_usd,
        residuals.unexplained_usd,
        residuals.deferred_in_variance_usd,
        {{ to_money('residuals.residual') }} as residual_usd,
        -- In DOUBLE, as DuckDB divides decimals.
        {{ round_double(
            'cast(100.0 * residuals.residual as double) / nullif(residuals.billed_usd, 0)', 4
        ) }} as residual_pct,
        residuals.tolerance_pct,
        {{ double_to_money('residuals.tolerance') }} as tolerance_usd,
        residuals.open_line_count,
        residuals.disputed_line_count,
        coalesce(signoffs_per_period.signoff_count, 0) as signoff_count,
        coalesce(signoffs_per_period.signer_count, 0) as signer_count,
        -- Reporting currency: each USD figure converted once at the period's fixed rate and
        -- rounded to the cent (the chargeback posts billed_reporting per provider).
        '{{ var("reporting_currency") }}' as reporting_currency,
        fx_reporting.reporting_units_per_usd,
        {{ to_reporting('residuals.billed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as billed_reporting,
        {{ to_reporting('residuals.observed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as observed_reporting,
        {{ to_reporting('residuals.written_off_usd', 'fx_reporting.reporting_units_per_usd') }}
            as written_off_reporting,
        {{ to_reporting('residuals.disputed_usd', 'fx_reporting.reporting_units_per_usd') }}
            as disputed_reporting,
        {{ to_reporting('residuals.residual', 'fx_reporting.reporting_units_per_usd') }}
            as residual_reporting,
        -- Sum of the lines' cent-rounded billed_reporting minus the total converted once:
        -- the rounding difference of converting line by line.
        {{ to_money(
            'residuals.line_rounded_billed_reporting - round(residuals.billed_usd'
            ~ ' * fx_reporting.reporting_units_per_usd, 2)'
        ) }} as reporting_rounding_difference,
        ---------- booleans
        abs(residuals.residual) <= residuals.tolerance as is_within_tolerance,
        -- Three roles signed by three different people (segregation of duties).
        coalesce(signoffs_per_period.signoff_count, 0) = 3
        and coalesce(signoffs_per_period.signer_count, 0) = 3 as has_all_signoffs,
        coalesce(quarantine_per_period.quarantined_row_count, 0) as quarantined_row_count,
        quarantine_per_period.quarantined_amount,
        recorded_periods.period is not null as is_closed_by_record
    from residuals
    left join signoffs_per_period
        on residuals.billing_period = signoffs_per_period.period
    left join quarantine_per_period
        on residuals.billing_period = quarantine_per_period.period
    left join recorded_periods
        on residuals.billing_period = recorded_periods.period
    left join fx_reporting
        on residuals.billing_period = fx_reporting.period

),

problems as (

    -- A write-off or a dispute without a note and a decision that matches no line block
    -- their period's close, as their close checks do.
    select billing_period from lines where is_write_off_missing_note
    union all
    select billing_period from lines where status = 'disputed' and note is null
    union all
    select period as billing_period from decisions where matched_line_count = 0

),

decision_problems as (

    select
        billing_period,
        count(*) as decision_problem_count
    from problems
    group by billing_period

),

period_closability as (

    -- One row per period: closable when every provider is within tolerance, with three
    -- sign-offs, no quarantined rows and no decision problem.
    select
        final.billing_period,
        bool_or(final.is_closed_by_record) as is_closed_by_record,
        bool_and(final.is_within_tolerance)
        and bool_and(final.has_all_signoffs)
        and bool_and(final.quarantined_row_count = 0)
        and coalesce(max(decision_problems.decision_problem_count), 0) = 0 as is_closable
    from final
    left join decision_problems on final.billing_period = decision_problems.billing_period
    group by final.billing_period

),

period_closes as (

    -- Periods close in order: one closes only when every earlier period is closed by a
    -- record or closes in this build.
    select
        billing_period,
        is_closed_by_record
        or (
            is_closable
            and coalesce(bool_and(is_closed_by_record or is_closable) over (
                order by billing_period rows between unbounded preceding and 1 preceding
            ), true)
        ) as is_closed
    from period_closability

),

closed as (

    -- The all-provider row is within tolerance only when every provider is: providers'
    -- residuals of opposite sign must not net to a pass.
    -- (The contract puts the columns in its order.)
    select
        {{ star_except('final', ['is_within_tolerance']) }},
        case
            when final.provider = 'all'
                then bool_and(final.is_within_tolerance) filter (where final.provider != 'all')
                    over (partition by final.billing_period)
            else final.is_within_tolerance
        end as is_within_tolerance,
        period_closes.is_closed
    from final
    inner join period_closes on final.billing_period = period_closes.billing_period

)

select * from closed
