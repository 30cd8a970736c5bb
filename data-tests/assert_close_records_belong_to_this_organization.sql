{{ config(severity='error') }}
-- A close record is this organization's: every line it records is billed to a provider
-- account of this configuration (billing_policy.csv). A record copied from another
-- organization's RECON_CLOSE_DIR passes its own checksums but names other accounts; it
-- would put that organization's billed lines into the period. This test stops the build
-- naming the record's folder, before anything built from it is published.
{% call raise_failure_messages('Close records of another organization: ') %}
select
    'close_period=' || close_records.close_period || ' records '
    || cast(count(*) as string) || ' lines billed to ' || close_records.provider || ' account '
    || coalesce(close_records.billing_account_id, '(none)')
    || ', which billing_policy.csv does not have: a record copied from another organization?'
    || ' Remove the folder from RECON_CLOSE_DIR and build again' as failure_message,
    close_records.close_period,
    close_records.provider,
    close_records.billing_account_id
from {{ ref('stg_close_records__reconciliation_lines') }} as close_records
left join {{ ref('stg_config__billing_policy') }} as billing_policy
    on
        close_records.provider = billing_policy.provider
        and close_records.billing_account_id = billing_policy.billing_account_id
where close_records.billing_account_id is not null and billing_policy.provider is null
group by close_records.close_period, close_records.provider, close_records.billing_account_id
{% endcall %}
