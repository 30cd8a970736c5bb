{#- One provider vocabulary for every telemetry reader: LiteLLM's custom_llm_provider and
    OTel's gen_ai.provider.name (or the older gen_ai.system) become the names billing uses
    (openai, anthropic, aws_bedrock, azure_openai, google: Vertex AI, which Google Cloud bills);
    other names are kept, lower-cased (LiteLLM's gemini and OTel's gcp.gemini, the Gemini
    Developer API, are not Vertex AI and are not read from Google's bill). -#}
{% macro canonical_provider(expression) -%}
    case lower(trim({{ expression }}))
        when '' then null
        when 'aws.bedrock' then 'aws_bedrock'
        when 'bedrock' then 'aws_bedrock'
        when 'bedrock_converse' then 'aws_bedrock'
        when 'azure' then 'azure_openai'
        when 'azure.ai.openai' then 'azure_openai'
        when 'vertex_ai' then 'google'
        when 'vertex_ai_beta' then 'google'
        when 'gcp.vertex_ai' then 'google'
        else lower(trim({{ expression }}))
    end
{%- endmacro %}
