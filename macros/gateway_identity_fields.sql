{#- The gateway identity fields a request is attributed by, most specific first: a request
    takes the provider side of the first of them that a gateway_mappings row matches
    (int_usage_requests_attributed). A LiteLLM deployment fixes the provider credential
    used, so it outranks the virtual key, its alias and its team; an OTel service outranks
    the endpoint it called. -#}
{% macro gateway_identity_fields() -%}
    {{ return([
        'deployment_id', 'gateway_key_hash', 'gateway_key_alias', 'gateway_team_id',
        'service_name', 'server_address'
    ]) }}
{%- endmacro %}
