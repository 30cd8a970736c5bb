-- One row per period x sign-off role (var signoff_roles): who signed it and when, or that
-- it is still missing; sign-offs that do not count (signed before the period ended, an
-- unknown role) are named with their reason, and a signer who also signed another role
-- of the period is flagged (three roles need three different people). The periods are
-- those with reconciliation lines.
with

lines as (

    select * from {{ ref('int_reconciliation_lines_decided') }}

),

signoffs as (

    select * from {{ ref('stg_finance_inputs__signoffs') }}

),

periods as (

    select distinct reconciled_in_period as billing_period from lines

),

roles as (

    select *
    from (
        values
        {%- for role in var('signoff_roles') %}
            ('{{ role }}'){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as roles (signoff_role)

),

signers as (

    -- How many roles each signer signed in each period.
    select
        period,
        signer,
        count(distinct signoff_role) as roles_signed_by_signer
    from signoffs
    where record_status = 'valid'
    group by period, signer

),

valid_signoffs as (

    select
        signoffs.*,
        signers.roles_signed_by_signer
    from signoffs
    inner join signers
        on
            signoffs.period = signers.period
            and signoffs.signer = signers.signer
    where signoffs.record_status = 'valid'

),

refused_signoffs as (

    select
        period,
        signoff_role,
        {{ ordered_string_agg(
            "signer || ' at ' || coalesce("
            ~ format_datetime('signed_at', '%Y-%m-%dT%H:%M:%SZ')
            ~ ", '?') || ': ' || quarantine_reason",
            "'; '",
            order_by=['signed_at', 'signer']
        ) }} as refused_signoffs
    from signoffs
    where record_status = 'quarantined'
    group by all

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['periods.billing_period', 'roles.signoff_role']) }} as period_signoff_id,
        ---------- strings
        periods.billing_period,
        roles.signoff_role,
        valid_signoffs.signer,
        refused_signoffs.refused_signoffs,
        ---------- booleans
        valid_signoffs.signer is not null as is_signed,
        coalesce(valid_signoffs.roles_signed_by_signer > 1, false) as is_signer_on_another_role,
        ---------- timestamps
        valid_signoffs.signed_at
    from periods
    cross join roles
    left join valid_signoffs
        on
            periods.billing_period = valid_signoffs.period
            and roles.signoff_role = valid_signoffs.signoff_role
    left join refused_signoffs
        on
            periods.billing_period = refused_signoffs.period
            and roles.signoff_role = refused_signoffs.signoff_role

)

select * from final
