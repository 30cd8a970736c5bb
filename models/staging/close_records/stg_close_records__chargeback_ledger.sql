{{ config(materialized='table') }}

-- One row per chargeback line recorded when its period closed (close_period), read back
-- from RECON_CLOSE_DIR (macros/close_records.sql), verified against its checksums first;
-- empty, with the same columns, before any period has closed.
select * from {{ close_record_relation('chargeback_ledger') }}
