-- One row per telemetry request (int_usage_requests_deduplicated) with the provider side it
-- is billed to: provider, billing account, project or workspace, API key and service tier.
-- What the telemetry itself names wins (the in-house request log names its project and key;
-- a span or log may name its tier); the rest comes from the gateway mapping valid on the
-- request's day whose identity field matches first, in the order of
-- gateway_identity_fields() (deployment, virtual key, key alias, team, service, server).
-- A request that neither names a project nor matches a mapping keeps project_id NULL and
-- is listed in fct_exceptions as unmapped_telemetry with its identity and cost.
with

requests as (

    select * from {{ ref('int_usage_requests_deduplicated') }}

),

gateway_mappings as (

    select * from {{ ref('stg_config__gateway_mappings') }}

),

matched as (

    select
        requests.*,
        coalesce(
            {%- for field in gateway_identity_fields() %}
                by_{{ field }}.gateway_mapping_id{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as gateway_mapping_id
    from requests
    {% for field in gateway_identity_fields() %}
        left join gateway_mappings as by_{{ field }}
            on
                requests.telemetry_source = by_{{ field }}.telemetry_source
                and by_{{ field }}.match_field = '{{ field }}'
                and requests.{{ field }} = by_{{ field }}.match_value
                and requests.requested_date >= by_{{ field }}.valid_from
                and requests.requested_date < by_{{ field }}.valid_to
    {% endfor %}

),

attributed as (

    select
        {{ star_except('matched', ['provider', 'project_id', 'api_key_id', 'service_tier']) }},
        coalesce(gateway_mappings.provider, matched.provider) as provider,
        gateway_mappings.billing_account_id as mapped_billing_account_id,
        coalesce(matched.project_id, gateway_mappings.project_id) as project_id,
        coalesce(matched.api_key_id, gateway_mappings.api_key_id) as api_key_id,
        coalesce(matched.service_tier, gateway_mappings.service_tier, 'standard')
            as service_tier,
        -- The identity that attributed the request, else the most specific one it has.
        coalesce(
            gateway_mappings.match_field || '=' || gateway_mappings.match_value,
            {%- for field in gateway_identity_fields() %}
                '{{ field }}=' || matched.{{ field }},
            {%- endfor %}
            matched.telemetry_source || ' without a gateway identity'
        ) as gateway_identity
    from matched
    left join gateway_mappings
        on matched.gateway_mapping_id = gateway_mappings.gateway_mapping_id

)

select * from attributed
