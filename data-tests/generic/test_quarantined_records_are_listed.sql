{#-
    Every record of a staging model marked quarantined, and every record or file the load
    rejected for it, is listed in int_quarantined_rows_unioned (the list the close checks
    and fct_exceptions read), once. A staging model whose quarantined rows are not added
    to that list fails here. Returns the model's counts when they differ.
-#}
{% test quarantined_records_are_listed(model) %}

with

quarantined as (

    select count(*) as quarantined_records
    from {{ model }}
    where record_status = 'quarantined'

),

rejected as (

    select count(*) as rejected_records
    from {{ ref('stg_landing__load_rejects') }}
    where staging_model = '{{ model.identifier }}'

),

listed as (

    select count(*) as listed_records
    from {{ ref('int_quarantined_rows_unioned') }}
    where staging_model = '{{ model.identifier }}'

),

compared as (

    select
        '{{ model.identifier }}' as staging_model,
        quarantined.quarantined_records,
        rejected.rejected_records,
        listed.listed_records
    from quarantined
    cross join rejected
    cross join listed
    where
        quarantined.quarantined_records + rejected.rejected_records
        != listed.listed_records

)

select * from compared

{% endtest %}
