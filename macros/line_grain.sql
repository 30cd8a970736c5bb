{#- The reconciliation line grain (period x provider x billing account x project/workspace
    x model x usage type), defined once. `extra` appends columns such as service_tier. -#}
{% macro line_grain_columns(extra=[]) -%}
    {{ return(['billing_period', 'provider', 'billing_account_id', 'project_key', 'model_key', 'usage_type'] + extra) }}
{%- endmacro %}

{#- "left.c = right.c and ..." over a list of columns. -#}
{% macro join_on_columns(left, right, columns) -%}
    {%- for column in columns %}
        {% if not loop.first %}and {% endif %}{{ left }}.{{ column }} = {{ right }}.{{ column }}
    {%- endfor %}
{%- endmacro %}


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
        ('requests', 'request_units'),
    ]) }}
{%- endmacro %}
