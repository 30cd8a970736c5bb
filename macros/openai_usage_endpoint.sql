{#-
    Staging body shared by the single-quantity OpenAI usage endpoints (embeddings,
    moderations, images, audio_speeches, audio_transcriptions): each result is one
    bucket x project x user x key x model (x image size and source) with one quantity and
    num_model_requests. The quantity becomes (usage_type, quantity, quantity_unit) in the
    contract's normalized units. A result missing its quantity or request count, with a
    negative one, or with an implausible bucket time is quarantined; a newer pull of the
    same natural key supersedes the older one.
      quantity_field  the result's quantity field (input_tokens, images, characters, seconds)
      usage_type      normalized usage type (input_uncached, images, input_characters, audio_seconds)
      quantity_unit   tokens, images, characters or seconds
      endpoint_family embeddings, moderation, image or audio
      dimensions      extra group-by fields as (field, column) pairs (images: size, source)
-#}
{% macro openai_usage_endpoint(
    quantity_field, usage_type, quantity_unit, endpoint_family, dimensions=[]
) -%}
{%- set key_fields = ['bucket_start_at', 'project_id', 'user_id', 'api_key_id', 'model_name']
    + dimensions | map(attribute=1) | list -%}
parsed as (

    select
        source_file,
        record_number,
        {{ pulled_at('source_file', 'source_file_modified_at') }} as pulled_at,
        project_id,
        user_id,
        api_key_id,
        model as model_name,
        {%- for field, column in dimensions %}
        {{ field }} as {{ column }},
        {%- endfor %}
        {{ quantity_field }} as quantity_text,
        {{ parse_quantity(quantity_field) }} as quantity,
        {{ parse_quantity("num_model_requests") }} as request_count,
        {{ unix_seconds_to_timestamp("bucket__start_time") }} as bucket_start_at,
        {{ unix_seconds_to_timestamp("bucket__end_time") }} as bucket_end_at
    from source

),

validated as (

    select
        *,
        case
            when quantity_text is null or request_count is null then 'missing_required_quantity'
            when quantity is null then 'quantity_not_a_whole_number'
            when quantity < 0 or request_count < 0 then 'negative_usage'
            when not {{ is_plausible_timestamp('bucket_start_at') }} then 'bad_bucket_timestamp'
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key(key_fields) }} as usage_row_id,
        row_number() over (
            partition by quarantine_reason is null, {{ key_fields | join(', ') }}
            order by pulled_at desc, source_file desc
        ) as pull_rank
    from validated

),

final as (

    select
        ---------- ids
        usage_row_id,
        'openai' as provider,
        project_id,
        user_id,
        api_key_id,
        ---------- strings
        model_name,
        '{{ endpoint_family }}' as endpoint_family,
        '{{ usage_type }}' as usage_type,
        '{{ quantity_unit }}' as quantity_unit,
        'standard' as service_tier,
        {%- for field, column in dimensions %}
        {{ column }},
        {%- endfor %}
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'pull_rank > 1') }} as record_status,
        quantity_text,
        ---------- numerics
        quantity,
        request_count,
        record_number,
        ---------- dates
        cast(bucket_start_at as date) as usage_date,
        ---------- timestamps
        bucket_start_at,
        bucket_end_at,
        pulled_at
    from ranked

)

select * from final
{%- endmacro %}
