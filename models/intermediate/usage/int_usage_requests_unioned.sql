with

litellm as (

    select * from {{ ref('stg_telemetry__litellm_spend_logs') }}

),

otel as (

    select * from {{ ref('stg_telemetry__otel_spans') }}

),

gateway_requests as (

    select * from {{ ref('stg_telemetry__requests') }}

),

{%- set source_identity_fields = {
    'litellm': ['deployment_id', 'gateway_key_hash', 'gateway_key_alias', 'gateway_team_id'],
    'otel': ['service_name', 'server_address'],
    'requests': [],
} %}

unioned as (

    {% for source_name, relation in [
        ('litellm', 'litellm'), ('otel', 'otel'), ('requests', 'gateway_requests')
    ] %}
        select
            '{{ source_name }}' as telemetry_source,
            request_id,
            provider,
            {%- if source_name == 'requests' %}
                -- The in-house request log names the provider project and key it called.
                project_id,
                api_key_id,
            {%- else %}
                -- Gateways and spans do not: int_usage_requests_attributed maps them.
                cast(null as string) as project_id,
                cast(null as string) as api_key_id,
            {%- endif %}
            {%- for identity in gateway_identity_fields() %}
                {%- if identity in source_identity_fields[source_name] %}
                    {{ identity }},
                {%- else %}
                    cast(null as string) as {{ identity }},
                {%- endif %}
            {%- endfor %}
            model_name,
            endpoint_family,
            service_tier,
            {%- if source_name == 'litellm' %}
                inference_geo,
                speed,
            {%- else %}
                -- Neither the OTel GenAI conventions nor the request log name a geography
                -- or a speed.
                cast(null as string) as inference_geo,
                cast(null as string) as speed,
            {%- endif %}
            status,
            failure_kind,
            route,
            fallback_from_model,
            input_uncached_tokens,
            cache_read_tokens,
            cache_write_5m_tokens,
            cache_write_1h_tokens,
            output_tokens,
            reasoning_tokens,
            retry_count,
            {%- if source_name == 'requests' %}
                image_count,
                audio_seconds,
                cast(video_seconds as decimal(18, 3)) as video_seconds,
                request_units,
            {%- else %}
                -- LiteLLM and OTel GenAI spans log tokens (LiteLLM also a video's seconds).
                cast(0 as bigint) as image_count,
                cast(0 as decimal(18, 3)) as audio_seconds,
                {%- if source_name == 'litellm' %}
                    cast(video_seconds as decimal(18, 3)) as video_seconds,
                {%- else %}
                    cast(0 as decimal(18, 3)) as video_seconds,
                {%- endif %}
                cast(1 as bigint) as request_units,
            {%- endif %}
            source_file,
            source_file_version,
            {{ 'line_number' if source_name == 'otel' else 'file_row_number' }} as record_position,
            requested_date,
            requested_at
        from {{ relation }}
        where record_status = 'valid'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ surrogate_key(['telemetry_source', 'requested_date', 'request_id']) }} as request_key,
        *,
        input_uncached_tokens + cache_read_tokens + cache_write_5m_tokens
        + cache_write_1h_tokens as total_input_tokens,
        status != 'success' as is_failed
    from unioned

)

select * from final
