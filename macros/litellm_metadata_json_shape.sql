{#- The LiteLLM SpendLogs metadata fields this project reads, as a shape for
    json_text_to_struct (every leaf 'text'): a field of another shape reads as NULL, other
    keys (a leaked key, payload echoes) are never read. Of a failure's error_information
    only the classifying error_class and error_code are: its error_message and traceback
    can hold prompt text. -#}
{% macro litellm_metadata_json_shape() -%}
    {{ return({
        'user_api_key_alias': 'text',
        'user_api_key_team_id': 'text',
        'spend_logs_metadata': {
            'route': 'text', 'fallback_from_model': 'text', 'retries': 'text'
        },
        'usage_object': {
            'duration_seconds': 'text',
            'inference_geo': 'text',
            'speed': 'text',
            'prompt_tokens_details': {'cached_tokens': 'text'},
            'completion_tokens_details': {'reasoning_tokens': 'text'}
        },
        'error_information': {'error_class': 'text', 'error_code': 'text'},
        'additional_usage_values': {
            'cache_read_input_tokens': 'text', 'cache_creation_input_tokens': 'text'
        }
    }) }}
{%- endmacro %}
