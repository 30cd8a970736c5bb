-- One row per row of the company's chargeback_key_splits configuration file, every declared column
-- typed (macros/config.sql); no file, an empty file or a header alone give no rows.
select * from {{ config_rows('chargeback_key_splits') }}
