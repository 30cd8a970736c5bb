-- One row per row of the company's configuration file budgets.csv,
-- typed by the load (raw.config__budgets); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'budgets') }}

),

renamed as (

    select
        period,
        team,
        budget_usd,
        soft_limit_pct,
        hard_limit_pct,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
