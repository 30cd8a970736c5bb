{{ config(severity='error') }}
-- A gateway identity maps to one provider project/key on any day: two windows of the same
-- source, field and value that overlap would count the identity's requests twice.
select
    earlier.gateway_mapping_id,
    later.gateway_mapping_id as overlapping_gateway_mapping_id,
    earlier.telemetry_source,
    earlier.match_field,
    earlier.match_value
from {{ ref('stg_config__gateway_mappings') }} as earlier
inner join {{ ref('stg_config__gateway_mappings') }} as later
    on
        earlier.telemetry_source = later.telemetry_source
        and earlier.match_field = later.match_field
        and earlier.match_value = later.match_value
        and earlier.gateway_mapping_id < later.gateway_mapping_id
        and earlier.valid_from < later.valid_to
        and later.valid_from < earlier.valid_to
