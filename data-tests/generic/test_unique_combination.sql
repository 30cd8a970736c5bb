{% test unique_combination(model, columns) %}

with

duplicates as (

    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1

)

select * from duplicates

{% endtest %}
