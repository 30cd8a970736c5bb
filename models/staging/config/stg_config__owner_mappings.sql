-- One row per row of the company's configuration file owner_mappings.csv,
-- typed by the load (raw.config__owner_mappings); no file, an empty file or a
-- header alone give no rows.
with

source as (

    select * from {{ source('config', 'owner_mappings') }}

),

renamed as (

    select
        owner_mapping_id,
        provider,
        key_type,
        key_id,
        project_id,
        team,
        cost_center,
        environment,
        workflow,
        budget_owner,
        budget_owner_email,
        valid_from,
        valid_to,
        source_file,
        line_number as file_row_number
    from source

)

select * from renamed
