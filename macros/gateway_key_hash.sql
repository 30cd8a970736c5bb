{#- A gateway's key column as a hash, whatever the gateway wrote: LiteLLM's own hashed
    token (64 hex digits) as is; a raw key, already redacted to sha256:<hex> where it was
    read, as that hash (the same SHA-256 LiteLLM would have stored); any other value
    hashed. -#}
{% macro gateway_key_hash(expression) -%}
    {%- set trimmed = 'trim(' ~ expression ~ ')' -%}
    case
        when nullif(trim({{ expression }}), '') is null then null
        when {{ regex_full_match(trimmed, '[0-9a-f]{64}') }} then {{ trimmed }}
        when {{ regex_full_match(trimmed, 'sha256:[0-9a-f]{64}') }} then substr({{ trimmed }}, 8)
        else {{ sha256_hex(trimmed) }}
    end
{%- endmacro %}
