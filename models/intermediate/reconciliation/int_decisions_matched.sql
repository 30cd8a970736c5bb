{{ config(materialized='table') }}

-- One row per valid reviewer decision x reconciliation line it selects, and one row (with
-- no line) per decision that selects none. The one place where a decision is matched to
-- lines: within its period and provider, by line id, by variance category, or '*'.
-- The lines it is matched against are every line of the period: the open lines and
-- prior-period adjustments (int_reconciliation_lines_categorized) and the lines of closed
-- periods, as their close record holds them (is_closed_line). int_reconciliation_lines_decided
-- applies the latest decision to open lines only (a closed period's lines are never
-- changed); a decision that selects a closed line still counts as matched, since it was
-- applied before the period closed. A decision that selects none (a misspelt category, an
-- unknown line id, a wrong period) would be ignored without a word: fct_exceptions lists it
-- (unmatched_decision) and it keeps its period open.
with

decisions as (

    select * from {{ ref('stg_finance_inputs__decisions') }}

),

open_lines as (

    select * from {{ ref('int_reconciliation_lines_categorized') }}

),

closed_lines as (

    select * from {{ ref('stg_close_records__reconciliation_lines') }}

),

lines as (

    select
        reconciliation_line_id,
        billing_period,
        provider,
        variance_category,
        false as is_closed_line
    from open_lines

    union all

    select
        reconciliation_line_id,
        billing_period,
        provider,
        variance_category,
        true as is_closed_line
    from closed_lines

),

matched as (

    select
        decisions.decision_id,
        decisions.source_file,
        decisions.file_row_number,
        decisions.period,
        decisions.provider,
        decisions.line_selector,
        decisions.decision_action,
        decisions.note,
        decisions.actor,
        lines.reconciliation_line_id,
        count(lines.reconciliation_line_id) over (partition by decisions.decision_id)
            as matched_line_count,
        lines.is_closed_line,
        decisions.decided_at
    from decisions
    left join lines
        on
            decisions.period = lines.billing_period
            and decisions.provider = lines.provider
            and decisions.line_selector in (
                lines.reconciliation_line_id, lines.variance_category, '*'
            )
    where decisions.record_status = 'valid'

)

select * from matched
