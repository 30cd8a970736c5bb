{{ config(materialized='table') }}

-- One row per provider x model name as reported anywhere (telemetry and billing): the
-- price-book model the name stands for, resolved as the maintained catalog resolves it
-- (genai-prices Provider.find_model), so dated snapshots (gpt-4o-2024-08-06), Bedrock ids
-- (us.anthropic.claude-...-v1:0), case and whitespace need no hand-written alias:
--   1. the name is compared lower-cased and trimmed; then with a LiteLLM-style provider
--      prefix (openai/, bedrock/, ...) removed; then with a compact date (-20251211)
--      written the catalog's way (-2025-12-11); the first form that resolves wins;
--   2. a form equal to a model id with price rows (book or contract override) is that
--      model; else the catalog's first model (model_rank) with an alternative whose
--      clauses all hold (seeds/model_match_rules.csv).
-- A name nothing resolves has model_id NULL: it stays unpriced and is listed as an
-- unpriced_model exception with its quantity. Effective-dated aliases in the company's
-- model_aliases.csv still win where valid (macro resolved_model_id, the one rule).
-- Every provider of the rules is tried for every name, because a gateway mapping can bill
-- a request to another provider than the one its telemetry names.
with

litellm as (

    select * from {{ ref('stg_telemetry__litellm_spend_logs') }}

),

otel as (

    select * from {{ ref('stg_telemetry__otel_spans') }}

),

gateway_requests as (

    select * from {{ ref('stg_telemetry__requests') }}

),

openai_costs as (

    select * from {{ ref('stg_openai__costs') }}

),

anthropic_costs as (

    select * from {{ ref('stg_anthropic__cost_report') }}

),

anthropic_usage as (

    select * from {{ ref('stg_anthropic__usage_messages') }}

),

focus as (

    select * from {{ ref('stg_focus__cost_and_usage') }}

),

aws_cur2 as (

    select * from {{ ref('stg_aws__cur2_cost_and_usage') }}

),

azure_cost_details as (

    select * from {{ ref('stg_azure__cost_details') }}

),

google_billing_rows as (

    select * from {{ ref('stg_google__billing_export') }}

),

invoices as (

    select * from {{ ref('stg_invoices__invoice_lines') }}

),

match_rules as (

    select * from {{ ref('model_match_rules') }}

),

price_rows as (

    select * from {{ ref('int_price_rows_effective') }}

),

reported_names as (

    select model_name from litellm
    union
    select model_name from otel
    union
    select model_name from gateway_requests
    union
    select model_name from openai_costs
    union
    select model_name from anthropic_costs
    union
    select model_name from anthropic_usage
    union
    select model_name from focus
    union
    select model_name from aws_cur2
    union
    select model_name from azure_cost_details
    union
    select model_name from google_billing_rows
    union
    select model_name from invoices

),

providers as (

    select provider from match_rules
    union
    select provider from price_rows

),

unprefixed_names as (

    -- Lower-cased and trimmed, then without a LiteLLM-style provider prefix.
    select
        model_name,
        lower(trim(model_name)) as lowered,
        regexp_replace(lower(trim(model_name)), '^[a-z_]+/', '') as unprefixed
    from reported_names
    where model_name is not null

),

name_forms as (

    -- Each name in the forms the catalog tries, in order (form_rank).
    select
        model_name,
        1 as form_rank,
        lowered as name_form
    from unprefixed_names
    union all
    select
        model_name,
        2 as form_rank,
        unprefixed as name_form
    from unprefixed_names
    union all
    select
        model_name,
        3 as form_rank,
        {{ regex_replace_first(
            'unprefixed',
            '-(20[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(-|:|\\z)',
            '-\\1-\\2-\\3\\4'
        ) }} as name_form
    from unprefixed_names

),

priced_model_ids as (

    select distinct
        provider,
        model_id
    from price_rows

),

exact_matches as (

    select
        providers.provider,
        name_forms.model_name,
        name_forms.form_rank,
        0 as model_rank,
        priced_model_ids.model_id,
        'price_book_id' as resolved_by
    from name_forms
    cross join providers
    inner join priced_model_ids
        on
            providers.provider = priced_model_ids.provider
            and name_forms.name_form = lower(priced_model_ids.model_id)

),

clause_results as (

    select
        match_rules.provider,
        name_forms.model_name,
        name_forms.form_rank,
        match_rules.model_id,
        match_rules.model_rank,
        match_rules.alternative,
        case match_rules.match_kind
            when 'equals' then name_forms.name_form = match_rules.match_text
            when 'starts_with'
                then
                    left(name_forms.name_form, length(match_rules.match_text))
                    = match_rules.match_text
            when 'ends_with'
                then
                    right(name_forms.name_form, length(match_rules.match_text))
                    = match_rules.match_text
            when 'contains' then contains(name_forms.name_form, match_rules.match_text)
            when 'regex' then {{ regex_contains('name_forms.name_form', 'match_rules.match_text') }}
            -- the catalog's negative lookahead ^(?!.*X), which RE2 cannot read (price_book.py)
            when 'not_regex'
                then not {{ regex_contains('name_forms.name_form', 'match_rules.match_text') }}
        end as is_clause_met
    from name_forms
    cross join match_rules

),

rule_matches as (

    -- An alternative matches when every one of its clauses holds.
    select
        provider,
        model_name,
        form_rank,
        model_rank,
        model_id,
        'catalog_rule' as resolved_by
    from clause_results
    group by provider, model_name, form_rank, model_rank, model_id, alternative
    having bool_and(is_clause_met)

),

candidates as (

    select * from exact_matches
    union all
    select * from rule_matches

),

resolved as (

    select
        provider,
        model_name,
        model_id,
        resolved_by,
        form_rank
    from candidates
    qualify row_number() over (
        partition by provider, model_name
        order by form_rank, model_rank, model_id
    ) = 1

),

model_names as (

    select distinct model_name from name_forms

),

final as (

    select
        providers.provider,
        model_names.model_name,
        resolved.model_id,
        resolved.resolved_by,
        resolved.form_rank as resolved_form_rank
    from model_names
    cross join providers
    left join resolved
        on
            providers.provider = resolved.provider
            and model_names.model_name = resolved.model_name

)

select * from final
