{#- One provider vocabulary for every telemetry reader: LiteLLM's custom_llm_provider and
    OTel's gen_ai.provider.name (or the older gen_ai.system) become the names billing uses
    (openai, anthropic, aws_bedrock, azure_openai); other names are kept, lower-cased. -#}
{% macro canonical_provider(expression) -%}
    case lower(trim({{ expression }}))
        when '' then null
        when 'aws.bedrock' then 'aws_bedrock'
        when 'bedrock' then 'aws_bedrock'
        when 'bedrock_converse' then 'aws_bedrock'
        when 'azure' then 'azure_openai'
        when 'azure.ai.openai' then 'azure_openai'
        else lower(trim({{ expression }}))
    end
{%- endmacro %}
