-- One row per result of an OpenAI images usage page (bucket x project x user x key x
-- model x size x source x pull): images as images (images); shared logic in
-- macros/openai_usage_endpoint.sql.
with

source as (

    select * from {{ source('openai', 'usage_images') }}

),

{{ openai_usage_endpoint(
    quantity_field='images',
    usage_type='images',
    quantity_unit='images',
    endpoint_family='image',
    dimensions=[('size', 'image_size'), ('source', 'image_source')]
) }}
