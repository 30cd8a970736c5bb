-- One row per row of the company's configuration file billing_policy.csv,
-- typed by the load (raw.config__billing_policy); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'billing_policy') }}

),

renamed as (

    select
        provider,
        billing_account_id,
        billing_account_name,
        billing_timezone,
        billing_currency,
        billable_failure_kinds,
        rounding_rule,
        tolerance_pct,
        tolerance_floor_usd,
        clock_skew_minutes,
        prepaid,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
