{#- One part of an AWS Bedrock usage type (CUR 2.0 `line_item_usage_type`, FOCUS 1.2
    `SkuMeter`, FOCUS 1.0 `x_UsageType`), as AWS writes it (Bedrock user guide,
    "Understanding your Amazon Bedrock Cost and Usage Report data"): a region prefix, the
    model, the token type (`-input-tokens`, `-output-tokens`,
    `-cache-read-input-token-count`, `-cache-write-input-token-count`, the bedrock-mantle
    `-mantle-input-tokens-<tier>`), then the service tier (`-flex`, `-priority`, `-batch`;
    none is standard) and cross-region routing (`-cross-region-global`) in either order;
    the Marketplace editions of partner models write `<region>-MP:<region>_InputTokenCount-
    Units` (`_Global` for global routing) and name the model in their product. Parts:
    'token_kind' (input_uncached, output, cache_read, cache_write_5m, cache_write_1h, NULL
    when not a token usage type), 'service_tier' (standard, flex, priority, batch),
    'is_cross_region_global' (boolean), 'model' (the model as the usage type names it,
    e.g. Claude4.5Sonnet; NULL for a Marketplace usage type, which names none). -#}
{% macro aws_usage_type_part(expression, part) -%}
    {%- set text = 'coalesce(' ~ expression ~ ", '')" -%}
    {%- if part == 'token_kind' -%}
        case
            when {{ regex_contains(text, "'(?i)cache-?read'") }} then 'cache_read'
            when {{ regex_contains(text, "'(?i)cache-?write.*1h'") }} then 'cache_write_1h'
            when {{ regex_contains(text, "'(?i)cache-?write'") }} then 'cache_write_5m'
            when {{ regex_contains(text, "'(?i)output-?token'") }} then 'output'
            when {{ regex_contains(text, "'(?i)input-?token'") }} then 'input_uncached'
        end
    {%- elif part == 'service_tier' -%}
        case
            when {{ regex_contains(text, "'(?i)[-_]batch([-_]|$)'") }} then 'batch'
            when {{ regex_contains(text, "'(?i)[-_]flex([-_]|$)'") }} then 'flex'
            when {{ regex_contains(text, "'(?i)[-_]priority([-_]|$)'") }} then 'priority'
            else 'standard'
        end
    {%- elif part == 'is_cross_region_global' -%}
        coalesce({{ regex_contains(
            text, "'(?i)(cross-region-global|-global-standard|_global-units)'"
        ) }}, false)
    {%- elif part == 'model' -%}
        case
            when {{ regex_contains(text, "'(?i)(^|-)MP:'") }} then null
            when {{ regex_contains(text, "'(?i)-(mantle-)?(cache-(read|write)[a-z0-9-]*|input|output)-token'") }}
                then nullif({{ regex_replace_first(
                    regex_replace_first(text, '^[A-Z]{2,4}[0-9]?-', ''),
                    '-(mantle-)?(cache-(read|write)[a-z0-9-]*|input|output)-token.*',
                    ''
                ) }}, '')
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "aws_usage_type_part: part must be token_kind, service_tier, "
            ~ "is_cross_region_global or model, not " ~ part
        ) }}
    {%- endif -%}
{%- endmacro %}
