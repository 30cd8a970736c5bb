-- One row per result of an OpenAI moderations usage page (bucket x project x user x key x
-- model x pull): input_tokens as input_uncached (tokens); shared logic in
-- macros/openai_usage_endpoint.sql.
with

source as (

    select * from {{ source('openai', 'usage_moderations') }}

),

{{ openai_usage_endpoint(
    quantity_field='input_tokens',
    usage_type='input_uncached',
    quantity_unit='tokens',
    endpoint_family='moderation'
) }}
