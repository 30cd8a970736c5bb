{#- One part of an Azure OpenAI meter as Azure writes it in the cost details' `meterName`
    (and `meterSubCategory`): the model, then the token kind (`Inp` / `Inpt` / `Input`,
    `cached Inp` / `cchd Inp`, `Outp` / `Output`), `Batch` before it for batch deployments,
    then the deployment type (`glbl` / `global`, `Data Zone` / `DZone` / `DataZone`,
    `regnl` / `regional` / `rgnl`), then ` Tokens`: `gpt-4o-0806-Inp-glbl Tokens`,
    `gpt 4o 0806 cached Inp Data Zone Tokens`, `gpt-4o-mini-0718-Batch-Outp-glbl Tokens`.
    Azure writes the words with spaces or hyphens and in either case, so each is read as a
    word between separators. Parts: 'token_kind' (input_uncached, cache_read, output; NULL for
    an audio meter or a meter naming no token kind), 'deployment_type' (global, data_zone,
    regional; NULL when the meter names none), 'service_tier' (batch or standard), 'model'
    (the meter's words before the token kind, e.g. gpt-4o-0806 or gpt 4o mini 0718: Azure's
    name for the model and version, which model_aliases.csv maps), 'is_token_meter' (the
    meter counts tokens: its name ends in Tokens). -#}
{% macro azure_meter_part(meter_name, meter_sub_category, part) -%}
    {%- set meter = 'coalesce(' ~ meter_name ~ ", '')" -%}
    {%- set both = '(' ~ meter ~ " || ' ' || coalesce(" ~ meter_sub_category ~ ", ''))" -%}
    {%- set kind_words = '(batch[ -]*)?(input|inpt|inp|output|outp|out)' -%}
    {%- if part == 'token_kind' -%}
        case
            when {{ regex_contains(meter, "'(?i)(^|[ -])(aud|audio)([ -]|$)|aud[0-9]'") }} then null
            when {{ regex_contains(meter, "'(?i)(^|[ -])(cached|cchd)[ -]+(input|inpt|inp)([ -]|$)'") }}
                then 'cache_read'
            when {{ regex_contains(meter, "'(?i)[ -](batch[ -]*)?(input|inpt|inp)([ -]|$)'") }}
                then 'input_uncached'
            when {{ regex_contains(meter, "'(?i)[ -](batch[ -]*)?(output|outp|out)([ -]|$)'") }}
                then 'output'
        end
    {%- elif part == 'deployment_type' -%}
        case
            when {{ regex_contains(both, "'(?i)(data ?zone|dzone|dzn)'") }} then 'data_zone'
            when {{ regex_contains(both, "'(?i)(^|[ -])(regional|regnl|rgnl|regn)([ -]|$)'") }}
                then 'regional'
            when {{ regex_contains(both, "'(?i)(^|[ -])(global|glbl)([ -]|$)'") }} then 'global'
        end
    {%- elif part == 'service_tier' -%}
        case
            when {{ regex_contains(both, "'(?i)(^|[ -])batch'") }} then 'batch'
            else 'standard'
        end
    {%- elif part == 'model' -%}
        case
            when {{ regex_contains(meter, "'(?i)[ -]" ~ kind_words ~ "([ -]|$)'") }}
                then nullif(trim({{ regex_replace_first(
                    meter,
                    '(?i)[ -]+((cached|cchd)[ -]+)?' ~ kind_words ~ '([ -].*)?\\z',
                    ''
                ) }}), '')
        end
    {%- elif part == 'is_token_meter' -%}
        coalesce({{ regex_contains(meter, "'(?i)[ -]tokens *$'") }}, false)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "azure_meter_part: part must be token_kind, deployment_type, service_tier, model"
            ~ " or is_token_meter, not " ~ part
        ) }}
    {%- endif -%}
{%- endmacro %}
