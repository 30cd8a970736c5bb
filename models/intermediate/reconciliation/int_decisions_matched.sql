{{ config(materialized='table') }}

-- One row per valid reviewer decision, with the reconciliation lines it selects within its
-- period and provider (by line id, by variance category, or '*'). A decision that selects
-- none (a misspelt category, an unknown line id, a wrong period) would be ignored without
-- a word: fct_exceptions lists it (unmatched_decision) and it keeps its period open.
with

decisions as (

    select * from {{ ref('stg_finance_inputs__decisions') }}

),

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

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
        count(lines.reconciliation_line_id) as matched_line_count
    from decisions
    left join lines
        on
            decisions.period = lines.billing_period
            and decisions.provider = lines.provider
            and decisions.line_selector in (
                lines.reconciliation_line_id, lines.variance_category, '*'
            )
    where decisions.record_status = 'valid'
    group by all

)

select * from matched
