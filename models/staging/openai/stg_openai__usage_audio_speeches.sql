-- One row per result of an OpenAI audio speeches usage page (bucket x project x user x key x
-- model x pull): characters as input_characters (characters); shared logic in
-- macros/openai_usage_endpoint.sql.
with

source as (

    select * from {{ source('openai', 'usage_audio_speeches') }}

),

{{ openai_usage_endpoint(
    quantity_field='characters',
    usage_type='input_characters',
    quantity_unit='characters',
    endpoint_family='audio'
) }}
