{#- The texts of a group joined with a delimiter in a given order (an aggregate SQL
    expression; NULL texts are skipped, no text gives NULL), optionally each distinct text
    once, optionally only the rows a condition keeps. string_agg(... order by ...) on
    DuckDB; listagg(...) within group (order by ...) on Spark, where a NULL sorts last as
    on DuckDB. dbt.listagg would drop the order on Spark. -#}
{% macro ordered_string_agg(expression, delimiter, order_by=none, distinct=false, filter=none) -%}
    {%- set keys = [expression] if order_by is none else (
        [order_by] if order_by is string else order_by
    ) -%}
    {%- if distinct and keys != [expression] %}
        {{ exceptions.raise_compiler_error(
            'ordered_string_agg: a distinct aggregate is ordered by its expression'
        ) }}
    {%- endif %}
    {{- return(adapter.dispatch('ordered_string_agg')(expression, delimiter, keys, distinct, filter)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(expression, delimiter, keys, distinct, filter) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, {{ delimiter }} order by {{ keys | join(', ') }})
    {%- if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}

{#- A distinct aggregate is the sorted set of the texts (Spark 4.3's listagg(distinct ...)
    fails beside another distinct aggregate or a FILTER clause); a condition then moves
    into the expression (a NULL is skipped), and no text gives NULL, not ''. -#}
{% macro spark__ordered_string_agg(expression, delimiter, keys, distinct, filter) -%}
    {%- if distinct -%}
        {%- set kept = expression if not filter else (
            'case when ' ~ filter ~ ' then ' ~ expression ~ ' end'
        ) -%}
        case
            when count({{ kept }}) > 0
                then array_join(array_sort(collect_set({{ kept }})), {{ delimiter }})
        end
    {%- else -%}
        {%- set spark_keys = [] -%}
        {%- for key in keys -%}
            {%- do spark_keys.append(key if 'nulls' in key | lower else key ~ ' nulls last') -%}
        {%- endfor -%}
        listagg({{ expression }}, {{ delimiter }})
        within group (order by {{ spark_keys | join(', ') }})
        {%- if filter %} filter (where {{ filter }}){% endif %}
    {%- endif -%}
{%- endmacro %}
