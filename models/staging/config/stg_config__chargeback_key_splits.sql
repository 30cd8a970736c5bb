-- One row per row of the company's configuration file chargeback_key_splits.csv,
-- typed by the load (raw.config__chargeback_key_splits); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'chargeback_key_splits') }}

),

renamed as (

    select
        key_split_id,
        provider,
        key_id,
        team,
        cost_center,
        environment,
        share_pct,
        valid_from,
        valid_to,
        rule_reference,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
