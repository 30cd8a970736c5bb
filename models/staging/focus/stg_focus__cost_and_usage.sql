with

source as (

    select * from {{ source('focus', 'cost_and_usage') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        -- FOCUS names unquoted: both engines match them case-insensitively ("x" is text on
        -- Spark).
        BillingAccountId as billing_account_id,
        SubAccountId as sub_account_id,
        ResourceId as resource_id,
        InvoiceId as invoice_id,
        SkuId as sku_id,
        -- FOCUS 1.3 splits 1.2's ProviderName into ServiceProviderName and HostProviderName.
        coalesce(nullif(ServiceProviderName, ''), nullif(ProviderName, '')) as provider_name,
        nullif(HostProviderName, '') as host_provider_name,
        PublisherName as publisher_name,
        ServiceName as service_name,
        -- FOCUS spells the categories Usage, Tax, ...; Google's FOCUS view writes them in
        -- lower case (usage, correction): read in any case.
        case lower(trim(ChargeCategory))
            when 'usage' then 'Usage'
            when 'purchase' then 'Purchase'
            when 'tax' then 'Tax'
            when 'credit' then 'Credit'
            when 'adjustment' then 'Adjustment'
            else ChargeCategory
        end as charge_category,
        case
            when lower(trim(ChargeClass)) = 'correction' then 'Correction'
            else nullif(ChargeClass, '')
        end as charge_class,
        ChargeDescription as charge_description,
        -- AWS writes its usage type in SkuMeter (FOCUS 1.2 with AWS columns), in
        -- x_UsageType in FOCUS 1.0 with AWS columns; Microsoft its meter name in SkuMeter
        -- (1.2) and x_SkuMeterName (1.0 and 1.2).
        coalesce(nullif(SkuMeter, ''), nullif(x_SkuMeterName, ''), nullif(x_UsageType, ''))
            as sku_meter,
        nullif(trim(x_SkuMeterCategory), '') as meter_category,
        nullif(trim(x_SkuMeterSubcategory), '') as meter_sub_category,
        nullif(trim(x_ResourceGroupName), '') as resource_group,
        nullif(trim(x_ProjectId), '') as google_project_id,
        nullif(trim(x_ExportTime), '') as export_time_text,
        try_cast(nullif(trim(x_PricingBlockSize), '') as decimal(26, 6)) as pricing_block_size,
        nullif(x_Operation, '') as operation,
        nullif(trim(ConsumedUnit), '') as consumed_unit,
        nullif(trim(PricingUnit), '') as pricing_unit,
        RegionId as region_id,
        Tags as tags_json,
        upper(trim(BillingCurrency)) as currency_code,
        BilledCost as billed_cost_text,
        {{ parse_money('BilledCost') }} as billed_cost,
        {{ parse_money('EffectiveCost') }} as effective_cost,
        {{ parse_money('ListCost') }} as list_cost,
        nullif(trim(ConsumedQuantity), '') as consumed_quantity_text,
        nullif(trim(PricingQuantity), '') as pricing_quantity_text,
        try_cast(nullif(trim(ConsumedQuantity), '') as decimal(26, 12)) as consumed_quantity,
        try_cast(nullif(trim(PricingQuantity), '') as decimal(26, 12)) as pricing_quantity,
        {{ iso_to_timestamp('ChargePeriodStart') }} as charge_period_start_at,
        {{ iso_to_timestamp("nullif(ChargePeriodEnd, '')") }} as charge_period_end_at,
        {{ iso_to_timestamp('BillingPeriodStart') }} as billing_period_start_at
    from source

),

clouds_named as (

    select
        *,
        case
            when
                provider_name ilike 'aws%' or host_provider_name ilike 'aws%'
                or service_name ilike '%bedrock%'
                then 'aws'
            -- Microsoft's FOCUS export writes ProviderName Microsoft; Google's Google Cloud.
            when provider_name ilike 'microsoft%' then 'azure'
            when provider_name ilike 'google%' then 'google'
        end as cloud
    from parsed

),

providers_named as (

    select
        *,
        case
            when cloud = 'aws' then 'aws_bedrock'
            -- Azure OpenAI's rows by the rule stg_azure__cost_details applies; Vertex AI's by
            -- the services var google_ai_services lists, as stg_google__billing_export. Other
            -- services' rows of these clouds name no provider: read, counted, left alone.
            when cloud = 'azure'
                then case
                    when {{ is_azure_openai_row(
                        'meter_category', 'meter_sub_category', 'charge_description'
                    ) }} then 'azure_openai'
                end
            when cloud = 'google'
                then case
                    when service_name in {{ in_list(var('google_ai_services')) }}
                        then 'google'
                end
            when service_name ilike '%openai%' then 'azure_openai'
            else lower(provider_name)
        end as provider
    from clouds_named

),

units_read as (

    select
        *,
        coalesce(cloud in ('azure', 'google') and provider is null, false)
            as is_other_service,
        -- An Azure OpenAI token meter's unit through azure_token_unit (Microsoft writes Units,
        -- the block size apart). Google's FOCUS view fills PricingQuantity from
        -- price.pricing_unit_quantity, the price tier's unit quantity (1000000 for a price per
        -- million), not usage: Google's quantity is ConsumedQuantity alone; its PricingUnit
        -- must still be a unit var pricing_units lists.
        case
            when provider = 'azure_openai'
                then {{ azure_token_unit('consumed_unit', 'sku_meter') }}
            else consumed_unit
        end as consumed_unit_read,
        case
            when provider = 'azure_openai'
                then {{ azure_token_unit('pricing_unit', 'sku_meter') }}
            else pricing_unit
        end as pricing_unit_read,
        case when provider = 'google' then null else pricing_quantity end
            as pricing_quantity_read,
        case when provider = 'google' then null else pricing_quantity_text end
            as pricing_quantity_text_read,
        {{ aws_usage_type_part('sku_meter', 'token_kind') }} as aws_token_kind,
        {{ aws_usage_type_part('sku_meter', 'is_cross_region_global') }}
            as is_aws_cross_region_global,
        {{ azure_meter_part('sku_meter', 'meter_sub_category', 'token_kind') }}
            as azure_token_kind,
        {{ google_sku_part('charge_description', 'usage_type') }} as google_token_kind,
        {{ google_sku_part('charge_description', 'model') }} as google_model_name,
        {{ google_sku_part('charge_description', 'is_video') }} as is_google_video_sku
    from providers_named

),

factors as (

    select
        *,
        {{ pricing_unit_conversion('consumed_unit_read', 'factor') }} as consumed_unit_factor,
        -- Microsoft's PricingQuantity counts blocks of x_PricingBlockSize units (1000 for
        -- a 1K meter): "divide the usage quantity by the block size to get the pricing
        -- quantity" (Microsoft's FOCUS dataset metadata). Other clouds write no block size.
        cast(
            {{ pricing_unit_conversion('pricing_unit_read', 'factor') }}
            * coalesce(pricing_block_size, 1) as decimal(12, 0)
        ) as pricing_unit_factor,
        coalesce(
            {{ pricing_unit_conversion('consumed_unit_read', 'base_unit') }},
            {{ pricing_unit_conversion('pricing_unit_read', 'base_unit') }}
        ) as unit_base
    from units_read

),

quantities_converted as (

    select
        *,
        -- Google bills a token SKU's usage in count (stg_google__billing_export): a count of
        -- the SKU's tokens, on a token SKU only.
        case
            when provider = 'google' then {{ google_token_base_unit('unit_base') }}
            else unit_base
        end as base_unit,
        -- Each quantity in its own unit's base units (a PricingQuantity of 0.042215 in
        -- 1M Tokens is 42215 tokens); the consumed quantity first, the pricing one when the
        -- export leaves it out.
        coalesce(
            cast(consumed_quantity * consumed_unit_factor as decimal(38, 6)),
            cast(pricing_quantity_read * pricing_unit_factor as decimal(38, 6))
        ) as quantity,
        coalesce(
            consumed_quantity * consumed_unit_factor
            != pricing_quantity_read * pricing_unit_factor,
            false
        ) as has_quantities_disagreeing,
        (consumed_quantity_text is not null and consumed_unit_factor is null)
        or (pricing_quantity_text_read is not null and pricing_unit_factor is null)
        or (provider = 'google' and pricing_unit is not null and pricing_unit_factor is null)
            as has_unknown_unit
    from factors

),

categorized as (

    select
        *,
        case
            when charge_category = 'Tax' then 'tax'
            when charge_category = 'Credit' then 'credit'
            when charge_category = 'Adjustment' or charge_class = 'Correction' then 'adjustment'
            when charge_category = 'Purchase' then 'purchase'
            -- AWS: the token type is in the usage type, else the quantity's unit says it.
            when provider = 'aws_bedrock'
                then coalesce(
                    aws_token_kind,
                    case when base_unit in ('images', 'seconds') then base_unit end
                )
            -- Azure and Google: the token kind from the meter name or SKU description, by
            -- the macros their own exports' readers use.
            when provider = 'azure_openai' then azure_token_kind
            when provider = 'google' then google_token_kind
            when is_other_service then null
            when sku_meter ilike '%cache read%' then 'cache_read'
            when sku_meter ilike '%cache write%' then 'cache_write_5m'
            when sku_meter ilike '%input%' then 'input_uncached'
            when sku_meter ilike '%output%' then 'output'
            else 'other'
        end as usage_type,
        case
            when provider = 'aws_bedrock'
                then {{ aws_usage_type_part('sku_meter', 'service_tier') }}
            when provider = 'azure_openai'
                then {{ azure_meter_part('sku_meter', 'meter_sub_category', 'service_tier') }}
            when provider = 'google'
                then {{ google_sku_part('charge_description', 'service_tier') }}
            else 'standard'
        end as service_tier,
        case
            when provider = 'azure_openai'
                then {{ azure_meter_part('sku_meter', 'meter_sub_category', 'deployment_type') }}
        end as deployment_type,
        case
            -- The model a system inference profile or foundation-model ARN names
            -- (us.anthropic.claude-...-v1:0, which the catalog resolves), else a Marketplace
            -- edition's product ("Claude Haiku 4.5 (Amazon Bedrock Edition)"), else the model
            -- the usage type names with its cross-region routing (model_aliases.csv maps it).
            when provider = 'aws_bedrock'
                then {{ aws_bedrock_model_name('resource_id', 'service_name', 'sku_meter') }}
            -- Azure: the meter's words before the token kind (gpt-4o-0806, which
            -- model_aliases.csv maps); Google: the SKU description's model (gemini-2.5-flash,
            -- which the catalog resolves). Microsoft writes the meter in SkuMeter and
            -- x_SkuMeterName, Google the SKU's description in ChargeDescription.
            when provider = 'azure_openai'
                then {{ azure_meter_part('sku_meter', 'meter_sub_category', 'model') }}
            when provider = 'google' then google_model_name
            -- Any other publisher of FOCUS: no column it is known to write names the model
            -- (its rows are quarantined as unknown_focus_publisher, never guessed).
        end as model_name,
        case
            -- Only AWS's, Microsoft's and Google's FOCUS rows are read: where another
            -- publisher writes the model and token kind is not known (LiteLLM's FOCUS export,
            -- for one, is its own spend estimate: "LLM inference using <model> via
            -- <provider>", prompt and completion tokens in one quantity, not a bill).
            when
                coalesce(provider, '') not in ('aws_bedrock', 'azure_openai', 'google')
                and not is_other_service
                then 'unknown_focus_publisher'
            when billed_cost is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when
                charge_category not in ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')
                or charge_category is null
                then 'unknown_charge_category'
            when not {{ is_plausible_timestamp('charge_period_start_at') }}
                then 'bad_charge_period'
            -- A meter or SKU naming no token kind is never guessed (audio, hosting, cache
            -- storage per hour); Veo's video SKUs are another reader's.
            when
                charge_category = 'Usage' and coalesce(charge_class, '') != 'Correction'
                and provider = 'azure_openai' and azure_token_kind is null
                then 'unknown_meter'
            when
                charge_category = 'Usage' and provider = 'google' and is_google_video_sku
                then 'video_sku_not_read'
            when
                charge_category = 'Usage' and coalesce(charge_class, '') != 'Correction'
                and provider = 'google'
                and (
                    google_token_kind is null
                    or google_model_name is null
                )
                then 'unknown_sku'
            when
                charge_category = 'Usage' and provider = 'google'
                and (base_unit is null or has_unknown_unit)
                then 'unknown_pricing_unit'
            when charge_category = 'Usage' and quantity < 0 then 'negative_usage'
            when charge_category = 'Usage' and has_unknown_unit then 'unknown_pricing_unit'
            when charge_category = 'Usage' and has_quantities_disagreeing
                then 'quantity_units_disagree'
            when
                charge_category = 'Usage' and base_unit = 'tokens'
                and quantity != floor(quantity)
                then 'quantity_not_a_whole_number'
            else {{ sign_contradicts_charge(
                "charge_category = 'Usage' and coalesce(charge_class, '') != 'Correction'",
                "charge_category = 'Credit'",
                'billed_cost'
            ) }}
        end as row_reason
    from quantities_converted

),

validated as (

    select
        *,
        case
            -- Another Azure or Google service's row (a VM, storage) is read and left alone.
            when is_other_service then null
            else coalesce(
                row_reason,
                case
                    when
                        provider = 'aws_bedrock' and charge_category = 'Usage'
                        and coalesce(charge_class, '') != 'Correction' and usage_type is null
                        then 'unknown_usage_type'
                end
            )
        end as quarantine_reason,
        -- The project a gateway mapping names: Azure's is the Azure OpenAI resource (as
        -- stg_azure__cost_details reads it, lower case), Google's the Cloud project
        -- (x_ProjectId; Google's FOCUS view writes the billing account in SubAccountId).
        case
            when provider = 'azure_openai' then lower(resource_id)
            when provider = 'google' then coalesce(google_project_id, sub_account_id)
            else sub_account_id
        end as project_id,
        -- Extra parts of a row's identity, folded into the meter's so that a row without
        -- them keeps its key: Azure's meter sub-category (Global / Data Zone), and Google's
        -- export time (late usage is appended as new rows with a later one, which add up).
        case
            when meter_sub_category is null and export_time_text is null then sku_meter
            else concat_ws(' | ', sku_meter, meter_sub_category, export_time_text)
        end as line_key_meter
    from categorized

),

ranked as (

    select
        *,
        -- The region and the usage type are part of a row's key: AWS splits a day's usage
        -- by geography into rows that differ only there, and each is billed.
        {{ surrogate_key([
            'billing_account_id', 'sub_account_id', 'resource_id', 'sku_id',
            'charge_category', 'charge_class', 'charge_description', 'charge_period_start_at',
            'region_id', 'line_key_meter'
        ]) }} as focus_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, billing_account_id, sub_account_id,
                resource_id, sku_id, charge_category, charge_class, charge_description,
                charge_period_start_at, region_id, line_key_meter
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from validated

),

final as (

    select
        ---------- ids
        focus_line_id,
        provider,
        billing_account_id,
        sub_account_id,
        project_id,
        resource_id,
        resource_group,
        invoice_id,
        sku_id,
        ---------- strings
        model_name,
        usage_type,
        service_tier,
        deployment_type,
        charge_category,
        charge_class,
        charge_description,
        provider_name,
        host_provider_name,
        service_name,
        sku_meter,
        meter_category,
        meter_sub_category,
        operation,
        consumed_unit,
        pricing_unit,
        base_unit,
        region_id,
        tags_json,
        currency_code,
        billed_cost_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        billed_cost,
        effective_cost,
        list_cost,
        consumed_quantity,
        pricing_quantity,
        pricing_block_size,
        quantity,
        file_row_number,
        ---------- booleans
        coalesce(charge_class = 'Correction', false) as is_correction,
        is_other_service,
        coalesce(
            is_aws_cross_region_global and provider = 'aws_bedrock', false
        ) as is_cross_region_global,
        ---------- dates
        cast(charge_period_start_at as date) as usage_date,
        cast(billing_period_start_at as date) as billing_period_start_date,
        ---------- timestamps
        charge_period_start_at,
        charge_period_end_at
    from ranked

)

select * from final
