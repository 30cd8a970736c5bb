-- One row per reconciliation line recorded when its period closed (close_period), loaded from
-- RECON_CLOSE_DIR by `recon load` after every record was verified against its checksums;
-- empty, with the same columns, before any period has closed.
with

source as (

    select * from {{ source('close_records', 'reconciliation_lines') }}

)

select * from source
