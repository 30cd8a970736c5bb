{{ config(severity='error') }}
-- Every kind billing_policy.billable_failure_kinds lists is one the project can recognise
-- in telemetry (var failure_kinds), or the list is 'none': a misspelt kind would silently
-- bill nothing. Returns the unknown kinds with their billing account.
with

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

listed_kinds as (

    select
        source_file,
        file_row_number,
        billing_account_id,
        {{ split_text_rows('billable_failure_kinds', ';') }} as listed_kind
    from billing_policy
    where billable_failure_kinds is not null

),

trimmed_kinds as (

    select
        source_file,
        file_row_number,
        billing_account_id,
        trim(listed_kind) as failure_kind
    from listed_kinds

)

select *
from trimmed_kinds
where failure_kind not in {{ in_list(var('failure_kinds') + ['none']) }}
