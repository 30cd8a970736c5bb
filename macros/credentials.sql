{#-
    No credential is ever persisted. Text shaped like one (var credential_pattern) is
    replaced, wherever a landed file is read (landing()), by sha256:<hex>, the SHA-256 of the
    matched text: the secret is gone, and the same key still reads as the same value, so a
    raw gateway key keeps identifying its requests (gateway_key_hash in LiteLLM staging is
    then the SHA-256 of the raw key, which is what LiteLLM itself stores). The pattern runs
    only on values holding one of var('credential_markers'); the rest is evaluated only
    where it matches; the replacement holds no quote, so JSON text stays valid.
    The text is split around the matches and zipped with them: (text before a match, the
    match), the last text with none.
-#}
{% macro redact_credentials(expression) -%}
    {%- set pattern = sql_string(var('credential_pattern')) -%}
    case
        when
            (
                {%- for marker in var('credential_markers') %}
                contains({{ expression }}, {{ sql_string(marker) }}){% if not loop.last %} or{% endif %}
                {%- endfor %}
            )
            and regexp_matches({{ expression }}, {{ pattern }})
            then array_to_string(list_transform(
                list_zip(
                    regexp_split_to_array({{ expression }}, {{ pattern }}),
                    regexp_extract_all({{ expression }}, {{ pattern }})
                ),
                lambda kept: kept[1] || coalesce('sha256:' || sha256(kept[2]), '')
            ), '')
        else {{ expression }}
    end
{%- endmacro %}


{#- A gateway's key column as a hash, whatever the gateway wrote: LiteLLM's own hashed
    token (64 hex digits) as is; a raw key, already redacted to sha256:<hex> where it was
    read, as that hash (the same SHA-256 LiteLLM would have stored); any other value
    hashed. -#}
{% macro gateway_key_hash(expression) -%}
    case
        when nullif(trim({{ expression }}), '') is null then null
        when regexp_full_match(trim({{ expression }}), '[0-9a-f]{64}') then trim({{ expression }})
        when regexp_full_match(trim({{ expression }}), 'sha256:[0-9a-f]{64}')
            then substr(trim({{ expression }}), 8)
        else sha256(trim({{ expression }}))
    end
{%- endmacro %}
