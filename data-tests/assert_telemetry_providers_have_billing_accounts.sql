{{ config(severity='error') }}
-- Every provider telemetry names (or a gateway mapping supplies) has a billing account in
-- billing_policy.csv: without one a request has no billing time zone, hence no billing
-- period, and could be reconciled with nothing (LiteLLM's custom_llm_provider azure in an
-- organization configured without Azure). Stops the build before any per-request model,
-- naming the provider, how many requests name it and in which files, and the row to add.
{% call raise_failure_messages('Providers without a billing account: ') %}
with

requests as (

    select * from {{ ref('int_usage_requests_deduplicated') }}

),

gateway_mappings as (

    select * from {{ ref('stg_config__gateway_mappings') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

providers_named as (

    select
        provider,
        count(*) as request_count,
        min(source_file) as first_file,
        count(distinct source_file) as file_count
    from requests
    where provider is not null
    group by provider

    union all

    select
        provider,
        0 as request_count,
        min(source_file) as first_file,
        count(*) as file_count
    from gateway_mappings
    where provider is not null
    group by provider

),

unaccounted as (

    select
        providers_named.provider,
        sum(providers_named.request_count) as request_count,
        min(providers_named.first_file) as first_file,
        sum(providers_named.file_count) as file_count
    from providers_named
    left join billing_policy
        on providers_named.provider = billing_policy.provider
    where billing_policy.provider is null
    group by providers_named.provider

)

select
    'telemetry or gateway_mappings.csv name provider ' || provider || ' (' || cast(request_count as string)
    || ' requests; ' || first_file || case when file_count > 1 then ' and others' else '' end
    || ') and billing_policy.csv has no billing account for it: add the row ' || provider
    || ',<billing_account_id>,<name>,<billing_timezone>,...' as failure_message,
    provider
from unaccounted
{% endcall %}
