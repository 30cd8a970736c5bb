-- One row per result of an OpenAI audio transcriptions usage page (bucket x project x user x key x
-- model x pull): seconds as audio_seconds (seconds); shared logic in
-- macros/openai_usage_endpoint.sql.
with

source as (

    select * from {{ source('openai', 'usage_audio_transcriptions') }}

),

{{ openai_usage_endpoint(
    quantity_field='seconds',
    usage_type='audio_seconds',
    quantity_unit='seconds',
    endpoint_family='audio'
) }}
