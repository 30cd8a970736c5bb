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


{#- The owner-mapping match (SCD2), once: a mapping row applies to a request when the
    provider matches, the key is of the level ('api_key', or 'project': a project or
    workspace mapping) and equals the request's, and the day is in [valid_from, valid_to).
    Which mapping wins (the key's, else the project's) is int_usage_requests_owned's rule. -#}
{% macro owner_mapping_applies(requests, mapping, level, at_date) -%}
    {{ requests }}.provider = {{ mapping }}.provider
    {%- if level == 'api_key' %}
        and {{ mapping }}.key_type = 'api_key'
        and {{ requests }}.api_key_id = {{ mapping }}.key_id
    {%- else %}
        and {{ mapping }}.key_type in ('project', 'workspace')
        and {{ requests }}.project_id = {{ mapping }}.key_id
    {%- endif %}
        and {{ at_date }} >= {{ mapping }}.valid_from
        and {{ at_date }} < {{ mapping }}.valid_to
{%- endmacro %}
