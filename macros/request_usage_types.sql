{#- The usage types a request is priced on, each with the request column holding its
    quantity (int_usage_requests_priced, int_usage_request_lines_priced). -#}
{% macro request_usage_types() -%}
    {{ return([
        ('input_uncached', 'input_uncached_tokens'),
        ('cache_read', 'cache_read_tokens'),
        ('cache_write_5m', 'cache_write_5m_tokens'),
        ('cache_write_1h', 'cache_write_1h_tokens'),
        ('output', 'output_tokens'),
        ('images', 'image_count'),
        ('audio_seconds', 'audio_seconds'),
        ('video_seconds', 'video_seconds'),
        ('requests', 'request_units'),
    ]) }}
{%- endmacro %}
