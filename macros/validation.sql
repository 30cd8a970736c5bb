{#- True when a timestamp is plausible (catches seconds-vs-milliseconds mistakes). -#}
{% macro is_plausible_timestamp(expression) -%}
    ({{ expression }} is not null
        and {{ expression }} >= cast('{{ var("earliest_plausible_date") }}' as timestamp)
        and {{ expression }} < cast('{{ var("latest_plausible_date") }}' as timestamp))
{%- endmacro %}

{#- SQL list of accepted ISO currency codes. -#}
{% macro accepted_currency_list() -%}
    ({% for code in var('accepted_currencies') %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- Unix seconds (int or string) to a UTC timestamp; NULL when not plausible seconds. -#}
{% macro unix_seconds_to_timestamp(expression) -%}
    case
        when try_cast({{ expression }} as bigint) between 946684800 and 4102444800
            then cast(to_timestamp(try_cast({{ expression }} as bigint)) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}

{#- RFC 3339 / ISO text to a UTC timestamp; NULL when unparseable. -#}
{% macro iso_to_timestamp(expression) -%}
    cast(try_cast({{ expression }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#- Staging status from a quarantine reason and a superseded flag. -#}
{% macro record_status(reason_column, superseded_expression) -%}
    case
        when {{ reason_column }} is not null then 'quarantined'
        when {{ superseded_expression }} then 'superseded'
        else 'valid'
    end
{%- endmacro %}

{#- A SQL IN-list from a Jinja list of strings: ('a', 'b') -#}
{% macro in_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#-
    Telemetry time text to a UTC timestamp, whatever the exporter wrote: ISO 8601 with an
    offset (+02:00, +0530, -05) or Z, or a time followed by a zone name or abbreviation
    (America/New_York, EST), converted to UTC; ISO without a zone (taken as UTC); unix
    seconds (10 digits) or unix milliseconds (13 digits). NULL when it is none of these.
-#}
{% macro text_to_utc_timestamp(expression) -%}
    case
        when regexp_full_match(trim({{ expression }}), '[0-9]{9,10}')
            then cast(to_timestamp(cast(trim({{ expression }}) as bigint)) at time zone 'UTC' as timestamp)
        when regexp_full_match(trim({{ expression }}), '[0-9]{12,13}')
            then epoch_ms(cast(trim({{ expression }}) as bigint))
        -- A time followed by a zone (Z, +02:00, +0530, -05, EST, America/New_York) is
        -- converted from that zone; only a time with no zone is read as UTC.
        when regexp_matches(
            trim({{ expression }}),
            '[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z_/+-]*)$'
        )
            then cast(try_cast(trim({{ expression }}) as timestamptz) at time zone 'UTC' as timestamp)
        else try_cast(trim({{ expression }}) as timestamp)
    end
{%- endmacro %}


{#- The kind of a failed request, from the status its telemetry reported (LiteLLM
    status, the OTel span status message, the request log's status), in the vocabulary
    billing_policy.billable_failure_kinds is written in (var failure_kinds):
    stream_interrupted (the stream broke or the client disconnected after the provider
    started), timeout, rate_limited, error (anything else). -#}
{% macro failure_kind(status_expression) -%}
    case
        when {{ status_expression }} similar to '.*(interrupt|disconnect|stream).*'
            then 'stream_interrupted'
        when {{ status_expression }} similar to '.*(timeout|timed.out).*' then 'timeout'
        when {{ status_expression }} similar to '.*(rate.?limit|429).*' then 'rate_limited'
        else 'error'
    end
{%- endmacro %}


{#- One service-tier vocabulary for every reader: standard, batch, flex, priority, scale.
    What providers and gateways write for the default tier (OpenAI default/auto, Bedrock
    on-demand, Anthropic standard, blank) is standard; any other value is kept, lower
    case, so an unknown tier stays visible (priced at its own row, else standard, and
    flagged when listed in var unusual_service_tiers). -#}
{% macro canonical_service_tier(expression) -%}
    case
        when coalesce(lower(trim({{ expression }})), '') in (
            '', 'standard', 'default', 'auto', 'on_demand', 'on-demand'
        ) then 'standard'
        else lower(trim({{ expression }}))
    end
{%- endmacro %}


{#- The quarantine reason when a billed amount's sign contradicts its charge type, one rule
    for invoices and FOCUS: a credit is negative, usage is not (a correction of usage is an
    adjustment, which may have either sign). NULL when the sign fits. -#}
{% macro sign_contradicts_charge(is_usage, is_credit, amount) -%}
    case
        when ({{ is_credit }}) and {{ amount }} > 0 then 'credit_with_positive_amount'
        when ({{ is_usage }}) and {{ amount }} < 0 then 'usage_with_negative_amount'
    end
{%- endmacro %}


{#- A billing period as YYYY-MM with a real month (2026-13 is not one). -#}
{% macro is_billing_period(expression) -%}
    regexp_full_match(coalesce({{ expression }}, ''), '[0-9]{4}-(0[1-9]|1[0-2])')
{%- endmacro %}


{#- A canonical provider name outside var('providers') (which the telemetry readers
    quarantine as unknown_provider). NULL (no provider named) is not unknown: a gateway
    mapping may supply it. -#}
{% macro is_unknown_provider(expression) -%}
    ({{ expression }} is not null and {{ expression }} not in {{ in_list(var('providers')) }})
{%- endmacro %}


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
