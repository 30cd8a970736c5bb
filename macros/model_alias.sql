{#- The canonical model for a provider's reported model name at a date: the alias seed row
    valid at that date, else the name itself, else '(none)'. Aggregated so the correlated
    subquery is valid on Spark too. -#}
{% macro canonical_model_key(provider, model_name, at_date) -%}
    coalesce(
        (
            select max(model_aliases.model_id)
            from {{ ref('stg_config__model_aliases') }} as model_aliases
            where
                model_aliases.provider = {{ provider }}
                and model_aliases.alias = {{ model_name }}
                and {{ at_date }} >= model_aliases.valid_from
                and {{ at_date }} < model_aliases.valid_to
        ),
        {{ model_name }},
        '(none)'
    )
{%- endmacro %}
