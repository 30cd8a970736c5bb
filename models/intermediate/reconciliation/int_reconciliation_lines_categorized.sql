-- One row per open reconciliation line (period x provider x billing account x
-- project/workspace x model x usage type x line type) and per prior_period_adjustment line,
-- before any reviewer decision: billed vs observed, the variance attributed to the
-- contract's categories (int_reconciliation_line_tiers), the category carrying the largest
-- amount and the automatic status. Status rules (DECISIONLOG "Match status"): auto_matched
-- when both sides exist and the variance is within auto_match_variance_pct of billed;
-- suggested when both sides exist and the unexplained part is within that band or the
-- variance within suggest_variance_pct; otherwise unreconciled.
-- Closed periods (macros/record_closed_periods.sql): a closed period's lines are not here (they
-- come verbatim from its close record, int_reconciliation_lines_decided); what the landing
-- zone now says differently (a re-pull, a late invoice line) is posted once as a
-- prior_period_adjustment line in the next open period: the difference between today's
-- figures, the record and the adjustments already posted.
{%- set categories = variance_category_names() %}
with

line_tiers as (

    select * from {{ ref('int_reconciliation_line_tiers') }}

),

closed_lines_recorded as (

    select * from {{ ref('stg_close_records__reconciliation_lines') }}

),

lines as (

    select
        reconciliation_line_id,
        billing_period,
        provider,
        billing_account_id,
        project_key,
        model_key,
        usage_type,
        line_type,
        max(corrects_period) as corrects_period,
        {{ ordered_string_agg('service_tier', "','", distinct=true) }} as service_tiers,
        sum(billed_usd) as billed_usd,
        sum(observed_usd) as observed_usd,
        sum(variance_usd) as variance_usd,
        sum(provider_quantity) as provider_quantity,
        sum(observed_quantity) as observed_quantity,
        sum(unpriced_quantity) as unpriced_quantity,
        sum(observed_request_count) as observed_request_count,
        sum(failed_request_count) as failed_request_count,
        {%- for category in categories %}
            sum({{ category }}_usd) as {{ category }}_usd,
        {%- endfor %}
        bool_or(has_billed) as has_billed,
        bool_or(has_observed) as has_observed,
        bool_or(is_tier_relabelled) as has_tier_relabelled,
        cast(null as string) as adjusts_line_id
    from line_tiers
    group by all

),

closed_lines as (

    select {{ star_except(none, ['close_period']) }} from closed_lines_recorded

),

closed_periods as (

    select distinct close_period as period from closed_lines_recorded

),

frozen_lines as (

    select * from closed_lines where adjusts_line_id is null

),

posted_adjustments as (

    select
        adjusts_line_id,
        sum(billed_usd) as billed_usd,
        sum(observed_usd) as observed_usd
    from closed_lines
    where adjusts_line_id is not null
    group by adjusts_line_id

),

lines_of_closed_periods as (

    -- Today's version of every line that belongs to a closed period.
    select lines.*
    from lines
    left join frozen_lines
        on lines.reconciliation_line_id = frozen_lines.reconciliation_line_id
    where
        frozen_lines.reconciliation_line_id is not null
        or lines.billing_period in (select closed_periods.period from closed_periods)

),

months_after_closed_periods as (

    select
        {{ format_datetime("cast(period || '-01' as date) + interval 1 month", '%Y-%m') }}
            as period
    from closed_periods

),

adjustment_targets as (

    -- The next open period after each closed one.
    select
        closed_periods.period as closed_period,
        min(candidates.period) as target_period
    from closed_periods
    inner join months_after_closed_periods as candidates
        on candidates.period > closed_periods.period
    where candidates.period not in (select recorded.period from closed_periods as recorded)
    group by closed_periods.period

),

differences as (

    select
        coalesce(today.reconciliation_line_id, frozen.reconciliation_line_id) as adjusts_line_id,
        coalesce(frozen.billing_period, today.billing_period) as closed_period,
        coalesce(today.provider, frozen.provider) as provider,
        coalesce(today.billing_account_id, frozen.billing_account_id) as billing_account_id,
        coalesce(today.project_key, frozen.project_id) as project_key,
        coalesce(today.model_key, frozen.model) as model_key,
        coalesce(today.usage_type, frozen.usage_type) as usage_type,
        coalesce(today.billed_usd, 0) - coalesce(frozen.billed_usd, 0)
        - coalesce(posted.billed_usd, 0) as billed_usd,
        coalesce(today.observed_usd, 0) - coalesce(frozen.observed_usd, 0)
        - coalesce(posted.observed_usd, 0) as observed_usd
    from lines_of_closed_periods as today
    full outer join frozen_lines as frozen
        on today.reconciliation_line_id = frozen.reconciliation_line_id
    left join posted_adjustments as posted
        on
            coalesce(today.reconciliation_line_id, frozen.reconciliation_line_id)
            = posted.adjusts_line_id

),

adjustment_lines as (

    select
        {{ surrogate_key(['differences.adjusts_line_id', 'adjustment_targets.target_period']) }}
            as reconciliation_line_id,
        adjustment_targets.target_period as billing_period,
        differences.provider,
        differences.billing_account_id,
        differences.project_key,
        differences.model_key,
        differences.usage_type,
        'prior_period_adjustment' as line_type,
        differences.closed_period as corrects_period,
        cast(null as string) as service_tiers,
        differences.billed_usd,
        differences.observed_usd,
        differences.billed_usd - differences.observed_usd as variance_usd,
        cast(null as decimal(38, 6)) as provider_quantity,
        cast(null as decimal(38, 6)) as observed_quantity,
        cast(null as decimal(38, 6)) as unpriced_quantity,
        0 as observed_request_count,
        0 as failed_request_count,
        {%- for category in categories %}
            {% if category == 'prior_period_correction' -%}
                differences.billed_usd - differences.observed_usd
            {%- else -%}0{%- endif %} as {{ category }}_usd,
        {%- endfor %}
        differences.billed_usd != 0 as has_billed,
        differences.observed_usd != 0 as has_observed,
        false as has_tier_relabelled,
        differences.adjusts_line_id
    from differences
    inner join adjustment_targets
        on differences.closed_period = adjustment_targets.closed_period
    where differences.billed_usd != 0 or differences.observed_usd != 0

),

open_lines as (

    select *
    from lines
    where
        reconciliation_line_id not in (
            select lines_of_closed_periods.reconciliation_line_id
            from lines_of_closed_periods
        )

    -- adjustment_lines has the columns of lines, in the same order.
    union all

    select * from adjustment_lines

),

category_amounts as (

    -- The largest absolute amount any category carries on the line (0 when none does).
    select
        *,
        greatest(
            {%- for category in categories %}
                coalesce(abs({{ category }}_usd), 0){% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as largest_category_amount_usd
    from open_lines

),

categorized as (

    -- The line's category is the one carrying the largest absolute amount, the first in
    -- attribution order on a tie; 'none' when no category carries an amount.
    select
        {{ star_except(none, ['largest_category_amount_usd']) }},
        case
            when largest_category_amount_usd = 0 then 'none'
            {%- for category in categories %}
                when abs({{ category }}_usd) = largest_category_amount_usd then '{{ category }}'
            {%- endfor %}
        end as variance_category
    from category_amounts

),

statused as (

    select
        *,
        case
            when
                has_observed and has_billed
                and abs(variance_usd)
                <= abs(billed_usd) * {{ var('auto_match_variance_pct') }} / 100
                then 'auto_matched'
            when
                has_observed and has_billed
                and (
                    abs(unexplained_usd)
                    <= abs(billed_usd) * {{ var('auto_match_variance_pct') }} / 100
                    or abs(variance_usd)
                    <= abs(billed_usd) * {{ var('suggest_variance_pct') }} / 100
                )
                then 'suggested'
            else 'unreconciled'
        end as auto_status
    from categorized

)

select * from statused
