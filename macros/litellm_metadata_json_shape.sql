{#- The typed shape of the LiteLLM SpendLogs metadata fields this project reads (every
    leaf as text): parsed once per row with from_json; a field of another shape reads as
    NULL, other keys (a leaked key, payload echoes) are never read. -#}
{% macro litellm_metadata_json_shape() -%}
    {"user_api_key_alias": "VARCHAR", "user_api_key_team_id": "VARCHAR", "spend_logs_metadata": {"route": "VARCHAR", "fallback_from_model": "VARCHAR", "retries": "VARCHAR"}, "usage_object": {"prompt_tokens_details": {"cached_tokens": "VARCHAR"}, "completion_tokens_details": {"reasoning_tokens": "VARCHAR"}}, "additional_usage_values": {"cache_read_input_tokens": "VARCHAR", "cache_creation_input_tokens": "VARCHAR"}}
{%- endmacro %}
