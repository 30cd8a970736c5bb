-- One row per period x provider x variance category with a non-zero amount: the
-- attributed amount, what each side said for that category (its two sides differ by
-- exactly the amount: assert_memo_sides_differ_by_their_variance), which side is
-- authoritative, the reviewers' decision and a one-sentence memo line in the shape of
-- the variance memo ("Provider billed $X for ...; internal record shows $Y because
-- .... Provider rate applied. Variance: $Z. Accepted.").
with

line_categories as (

    select * from {{ ref('int_variance_line_categories') }}

),

fx_reporting as (

    select * from {{ ref('int_fx_rates_reporting_currency') }}

),

line_tiers as (

    select * from {{ ref('int_reconciliation_line_tiers') }}

),

clock_offsets as (

    select * from {{ ref('int_telemetry_clock_offsets') }}

),

volume_tiers as (

    select * from {{ ref('stg_config__contract_volume_tiers') }}

),

aggregated as (

    select
        billing_period,
        provider,
        variance_category,
        sum(amount_usd) as amount_usd,
        sum(billed_side_usd) filter (where amount_usd != 0) as billed_usd,
        sum(observed_side_usd) filter (where amount_usd != 0) as observed_usd,
        count(*) filter (where amount_usd != 0) as line_count,
        count(*) filter (
            where amount_usd != 0 and status in ('unreconciled', 'suggested')
            and not is_settling_credit
        ) as open_line_count,
        count(*) filter (where amount_usd != 0 and status = 'deferred') as deferred_line_count,
        count(*) filter (where amount_usd != 0 and status = 'disputed') as disputed_line_count,
        count(*) filter (where amount_usd != 0 and claim_status = 'settled')
            as settled_claim_count,
        count(*) filter (where amount_usd != 0 and is_settling_credit)
            as settling_credit_count,
        {{ ordered_string_agg('status', "', '", distinct=true, filter='amount_usd != 0') }}
            as line_statuses,
        {{ ordered_string_agg('note', "' / '", distinct=true, filter='amount_usd != 0') }}
            as decision_notes,
        {{ ordered_string_agg('actor', "', '", distinct=true, filter='amount_usd != 0') }}
            as decided_by
    from line_categories
    group by billing_period, provider, variance_category

),

project_amounts as (

    select
        billing_period,
        provider,
        variance_category,
        project_id,
        sum(amount_usd) as amount_usd,
        project_id || ' (' || {{ format_usd('sum(amount_usd)') }} || ')' as project_phrase,
        row_number() over (
            partition by billing_period, provider, variance_category
            order by abs(sum(amount_usd)) desc, project_id
        ) as project_rank,
        count(*) over (partition by billing_period, provider, variance_category)
            as project_count
    from line_categories
    -- (a line without a project, such as tax on the invoice, names none)
    where amount_usd != 0 and project_id != '(none)'
    group by billing_period, provider, variance_category, project_id

),

projects_named as (

    -- Where: the one project or workspace carrying the amount, else the two largest with
    -- their amounts (and how many more).
    select
        billing_period,
        provider,
        variance_category,
        case
            when max(project_count) = 1 then max(project_id)
            else
                {{ ordered_string_agg(
                    'project_phrase', "', '", order_by='project_rank', filter='project_rank <= 2'
                ) }}
                || case
                    when max(project_count) > 2
                        then ' and ' || cast(max(project_count) - 2 as string) || ' more'
                    else ''
                end
        end as projects
    from project_amounts
    group by billing_period, provider, variance_category

),

clock_sentences as (

    -- When: each telemetry source's measured clock offset and the window it moves.
    select
        provider,
        telemetry_source,
        telemetry_source || ' clock measured ' || cast(abs(clock_offset_minutes) as string)
        || ' minutes '
        || case
            when clock_offset_minutes > 0
                then
                    'behind the provider''s: calls in the first '
                    || cast(clock_offset_minutes as string)
                    || ' minutes of a month UTC were logged in the month before'
            else
                'ahead of the provider''s: calls in the last '
                || cast(-clock_offset_minutes as string)
                || ' minutes of a month UTC were logged in the month after'
        end as sentence
    from clock_offsets
    where clock_offset_minutes != 0

),

clock_evidence as (

    select
        provider,
        {{ ordered_string_agg('sentence', "'; '", order_by='telemetry_source') }} as evidence
    from clock_sentences
    group by provider

),

unobserved_keys as (

    select
        billing_period,
        provider,
        {{ split_text_rows('unobserved_api_keys', ', ') }} as api_key
    from line_tiers
    where unobserved_api_keys is not null and missing_telemetry_usd != 0

),

key_evidence as (

    -- Which keys bypassed the gateway: the provider's keys no telemetry named.
    select
        billing_period,
        provider,
        'keys no telemetry named: '
        || {{ ordered_string_agg('api_key', "', '", distinct=true) }} as evidence
    from unobserved_keys
    group by billing_period, provider

),

tier_sentences as (

    -- The contract volume tier crossed (the discount without trailing zeros: 12.5, not
    -- 12.5000).
    select
        provider,
        volume_tier_id,
        'above ' || {{ format_number_grouped('threshold_quantity_per_period') }} || ' '
        || usage_type || ' per month, '
        || trim(trailing '.' from trim(trailing '0' from cast(discount_pct as string)))
        || '% off' as sentence
    from volume_tiers

),

tier_evidence as (

    select
        provider,
        {{ ordered_string_agg('sentence', "'; '", order_by='volume_tier_id') }} as evidence
    from tier_sentences
    group by provider

),

described as (

    select
        aggregated.*,
        case aggregated.variance_category
            {%- for category in variance_categories() %}
                when '{{ category.name }}' then {{ sql_string(category.billed) }}
            {%- endfor %}
        end as billed_description,
        case aggregated.variance_category
            {%- for category in variance_categories() %}
                when '{{ category.name }}' then {{ sql_string(category.reason) }}
            {%- endfor %}
        end as observed_reason,
        case aggregated.variance_category
            {%- for category in variance_categories() %}
                when '{{ category.name }}' then {{ sql_string(category.applied) }}
            {%- endfor %}
        end as applied_sentence,
        case
            when aggregated.variance_category = 'unexplained' then 'none'
            else 'provider'
        end as authoritative_side,
        case
            when aggregated.open_line_count > 0 then 'open'
            when aggregated.disputed_line_count > 0 then 'disputed'
            when aggregated.deferred_line_count > 0 then 'deferred'
            else 'accepted'
        end as decision,
        projects_named.projects,
        case aggregated.variance_category
            when 'timing_window' then clock_evidence.evidence
            when 'missing_telemetry' then key_evidence.evidence
            when 'tier_breakpoint' then tier_evidence.evidence
        end as evidence
    from aggregated
    left join projects_named
        on
            aggregated.billing_period = projects_named.billing_period
            and aggregated.provider = projects_named.provider
            and aggregated.variance_category = projects_named.variance_category
    left join clock_evidence
        on aggregated.provider = clock_evidence.provider
    left join key_evidence
        on
            aggregated.billing_period = key_evidence.billing_period
            and aggregated.provider = key_evidence.provider
    left join tier_evidence
        on aggregated.provider = tier_evidence.provider
    -- A category with no amount has nothing to explain: it is left out.
    where aggregated.amount_usd != 0

),

converted as (

    select
        described.*,
        fx_reporting.reporting_units_per_usd
    from described
    left join fx_reporting
        on described.billing_period = fx_reporting.period

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['billing_period', 'provider', 'variance_category']) }}
            as variance_id,
        provider,
        ---------- strings
        billing_period,
        variance_category,
        authoritative_side,
        decision,
        line_statuses,
        decision_notes,
        decided_by,
        -- The two sides in cents foot to the variance in cents: the observed side is
        -- printed as the billed side less the variance, each rounded to the cent (it is
        -- within a cent of observed_usd, and exact whenever observed_usd is whole cents).
        'Provider billed ' || {{ format_usd('round(coalesce(billed_usd, 0), 2)') }}
        || ' for ' || billed_description || coalesce(' on ' || projects, '') || ' ('
        || provider || ', ' || billing_period || '); internal record shows '
        || {{ format_usd(
            'round(coalesce(billed_usd, 0), 2) - round(amount_usd, 2)'
        ) }} || ' because ' || observed_reason
        || coalesce(' (' || evidence || ')', '') || '. ' || applied_sentence
        || ' Variance: ' || {{ format_usd('round(amount_usd, 2)') }} || '. '
        || case decision
            when 'accepted' then 'Accepted.'
            when 'deferred' then 'Deferred to the next period.'
            when 'disputed' then 'Disputed.'
            else 'Open: escalated for review.'
        end
        -- Claims against the provider (fct_provider_claims), open or settled by a credit.
        || case
            when disputed_line_count > 0
                then
                    ' ' || cast(disputed_line_count as string)
                    || ' line(s) held as a claim against the provider ('
                    || case
                        when settled_claim_count = disputed_line_count
                            then 'settled by a provider credit'
                        when settled_claim_count > 0
                            then
                                cast(settled_claim_count as string)
                                || ' settled by a provider credit'
                        else 'open, no credit yet'
                    end || ').'
            when settling_credit_count > 0
                then ' A provider credit that settles a claim against the provider.'
            else ''
        end
        || coalesce(' Note: ' || decision_notes || '.', '') as memo_line,
        ---------- numerics
        {{ to_money('amount_usd') }} as amount_usd,
        {{ to_money('coalesce(billed_usd, 0)') }} as billed_usd,
        {{ to_money('coalesce(observed_usd, 0)') }} as observed_usd,
        '{{ var("reporting_currency") }}' as reporting_currency,
        {{ to_reporting('amount_usd', 'reporting_units_per_usd') }} as amount_reporting,
        line_count,
        open_line_count
    from converted

)

select * from final
