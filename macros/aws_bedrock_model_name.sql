{#- The model an AWS Bedrock billed row is for, from what AWS writes (one rule for the FOCUS
    and CUR 2.0 readers): the model id a system inference profile's or foundation model's ARN
    names (arn:aws:bedrock:<region>:<account>:inference-profile/us.anthropic.claude-…-v1:0,
    resolved by the catalog like the telemetry's id); else a Marketplace edition's product
    name without " (Amazon Bedrock Edition)", " (global)" added for global routing; else the
    model token of the usage type (Claude4.5Sonnet), "-cross-region-global" added for global
    routing. The last two are AWS's names, not ids: model_aliases.csv maps them. An
    application inference profile's ARN names no model and is passed over. -#}
{% macro aws_bedrock_model_name(resource_id, product_name, usage_type) -%}
    coalesce(
        case
            when {{ regex_contains(
                resource_id,
                "'^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(inference-profile|foundation-model)/.'"
            ) }}
                then {{ regex_replace_first(resource_id, '^arn:[^/]*/', '') }}
        end,
        case
            when {{ product_name }} ilike '%(Amazon Bedrock Edition)%'
                then {{ regex_replace_first(
                    product_name, ' *[(]Amazon Bedrock Edition[)].*', ''
                ) }}
                || case
                    when {{ aws_usage_type_part(usage_type, 'is_cross_region_global') }}
                        then ' (global)'
                    else ''
                end
        end,
        {{ aws_usage_type_part(usage_type, 'model') }}
        || case
            when {{ aws_usage_type_part(usage_type, 'is_cross_region_global') }}
                then '-cross-region-global'
            else ''
        end
    )
{%- endmacro %}
