with

source as (

    select * from {{ source('invoices', 'invoice_lines') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        trim(invoice_id) as invoice_id,
        trim(line_id) as invoice_line_id,
        lower(trim(provider)) as provider,
        trim(billing_account_id) as billing_account_id,
        nullif(trim(project_id), '') as project_id,
        nullif(trim(model), '') as model_name,
        lower(trim(line_type)) as line_type,
        description,
        nullif(trim(unit), '') as quantity_unit,
        upper(trim(currency)) as currency_code,
        amount as amount_text,
        {{ parse_money('amount') }} as amount,
        try_cast(nullif(trim(quantity), '') as decimal(38, 6)) as quantity,
        trim(billing_period) as billing_period,
        nullif(trim(corrects_period), '') as corrects_period,
        {{ text_to_date("invoice_date") }} as invoice_date
    from source

),

validated as (

    select
        *,
        case
            when invoice_id is null or invoice_line_id is null or provider is null
                then 'missing_required_id'
            when {{ is_unknown_provider('provider') }} then 'unknown_provider'
            when amount is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when
                line_type not in ('usage', 'credit', 'tax', 'fee', 'adjustment')
                or line_type is null
                then 'unknown_line_type'
            when not {{ is_billing_period('billing_period') }}
                then 'bad_billing_period'
            when
                corrects_period is not null
                and not {{ is_billing_period('corrects_period') }}
                then 'bad_corrects_period'
            else {{ sign_contradicts_charge(
                "line_type = 'usage'", "line_type = 'credit'", 'amount'
            ) }}
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        row_number() over (
            partition by quarantine_reason is null, invoice_id, invoice_line_id
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from validated

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['invoice_id', 'invoice_line_id']) }} as invoice_line_key,
        invoice_id,
        invoice_line_id,
        provider,
        billing_account_id,
        project_id,
        ---------- strings
        model_name,
        line_type,
        description,
        quantity_unit,
        currency_code,
        billing_period,
        corrects_period,
        amount_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        amount,
        quantity,
        file_row_number,
        ---------- booleans
        corrects_period is not null as is_prior_period_correction,
        ---------- dates
        invoice_date
    from ranked

)

select * from final
