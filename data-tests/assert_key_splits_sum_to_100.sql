-- Every shared-key split window allocates exactly 100% of the key.
select
    provider,
    key_id,
    valid_from,
    valid_to,
    sum(share_pct) as total_share_pct
from {{ ref('stg_config__chargeback_key_splits') }}
group by provider, key_id, valid_from, valid_to
having sum(share_pct) != 100
