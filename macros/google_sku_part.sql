{#- One part of a Vertex AI SKU as Google writes it in the billing export's sku.description:
    the model, then qualifiers (GA, Global, Regional, Preview), the service tier (Batch,
    Priority, Flex), Thinking, the modality (Text, Image, Audio, Video) and the token kind
    (Input, Output; Caching / Cached for a cache read), e.g. `Gemini 2.5 Flash GA Text Input -
    Predictions`, `Gemini 2.5 Flash GA Thinking Text Output - Predictions`, `Gemini 2.5 Flash
    GA Input Text Caching`, `Gemini 2.0 Flash Text Input (Long) - Predictions`. Words are
    read in any case. Parts: 'usage_type' (input_uncached, input_audio, output,
    output_image, output_audio, cache_read, cache_read_audio; NULL for a SKU naming no
    token kind, e.g. `... Caching Storage`, which is billed per hour of storage),
    'service_tier' (batch, priority, flex, else standard), 'model' (the words before the
    qualifiers and the token kind, lower case, hyphens for spaces: gemini-2.5-flash;
    gemini-3.1-flash-image for `Gemini 3.1 Flash Image Text Input`), 'is_long_context'
    (the SKU says (Long)), 'is_video' (a Veo video-generation SKU). Engine-neutral: built on
    regex_contains and regex_replace_first. Used by stg_google__billing_export and, on
    Google's FOCUS ChargeDescription, by stg_focus__cost_and_usage. -#}
{% macro google_sku_part(sku_description, part) -%}
    {%- set sku = 'coalesce(' ~ sku_description ~ ", '')" -%}
    {%- set cached = regex_contains(sku, "'(?i)(^|[ ])(caching|cached)([ ]|$)'") -%}
    {%- set storage = regex_contains(sku, "'(?i)(^|[ ])storage([ ]|$)'") -%}
    {%- set audio = regex_contains(sku, "'(?i)(^|[ ])audio([ ]|$)'") -%}
    {%- if part == 'usage_type' -%}
        case
            when {{ storage }} then null
            when {{ cached }} and {{ audio }} then 'cache_read_audio'
            when {{ cached }} then 'cache_read'
            when {{ regex_contains(sku, "'(?i)(^|[ ])image +output([ ]|$)'") }} then 'output_image'
            when {{ regex_contains(sku, "'(?i)(^|[ ])audio +output([ ]|$)'") }} then 'output_audio'
            when {{ regex_contains(sku, "'(?i)(^|[ ])output([ ]|$)'") }} then 'output'
            when {{ regex_contains(sku, "'(?i)(^|[ ])audio +input([ ]|$)'") }} then 'input_audio'
            when {{ regex_contains(sku, "'(?i)(^|[ ])input([ ]|$)'") }} then 'input_uncached'
        end
    {%- elif part == 'service_tier' -%}
        case
            when {{ regex_contains(sku, "'(?i)(^|[ ])batch([ ]|$)'") }} then 'batch'
            when {{ regex_contains(sku, "'(?i)(^|[ ])priority([ ]|$)'") }} then 'priority'
            when {{ regex_contains(sku, "'(?i)(^|[ ])flex([ ]|$)'") }} then 'flex'
            else 'standard'
        end
    {%- elif part == 'model' -%}
        {%- set tail = '(?i)( +(ga|global|regional|preview))*( +(batch|priority|flex))?'
            ~ '( +thinking)?( +(text|image|audio|video))?( +thinking)?'
            ~ ' +(input|output|caching|cached)([ ].*)?\\z' -%}
        case
            when {{ regex_contains(sku, "'(?i) +(input|output|caching|cached)([ ]|$)'") }}
                then nullif(replace(lower(trim({{ regex_replace_first(sku, tail, '') }})), ' ', '-'), '')
        end
    {%- elif part == 'is_long_context' -%}
        coalesce({{ regex_contains(sku, "'(?i)[(]long[)]'") }}, false)
    {%- elif part == 'is_video' -%}
        coalesce({{ regex_contains(sku, "'(?i)(^|[ ])veo([ ]|$)'") }}, false)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "google_sku_part: part must be usage_type, service_tier, model, is_long_context"
            ~ " or is_video, not " ~ part
        ) }}
    {%- endif -%}
{%- endmacro %}
