{#- The canonical model id for a provider's reported model name at a date: the company's
    alias row valid at that date, else the catalog's model for the name
    (int_model_names_resolved); NULL when neither knows the name. The one rule every model
    resolves names with. Aggregated so the correlated subqueries are valid on Spark too.
    Pass qualified column names (relation.column): an unqualified name would bind to the
    lookup table's own column. -#}
{% macro resolved_model_id(provider, model_name, at_date) -%}
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
        (
            select max(model_names.model_id)
            from {{ ref('int_model_names_resolved') }} as model_names
            where
                model_names.provider = {{ provider }}
                and model_names.model_name = {{ model_name }}
        )
    )
{%- endmacro %}
