{#-
    Unnest provider API pages ({"data": [bucket, ...], "has_more": ...}) read with
    read_text into one row per result, keeping file, bucket and result positions. Pages
    saved in a slightly different shape are read alike: the data array alone, data or a
    bucket's results as a single object.
    Files that are not valid JSON yield one row with page_json NULL, so staging can
    quarantine them with their file name instead of failing the whole build.
    A pull is one folder of pages named in page order (page_0001.json, ...). When its last
    page still says has_more, the sequence was cut short: is_page_sequence_complete is
    false for every result of that pull, and staging quarantines them rather than let an
    incomplete pull supersede an older complete one.
-#}
{% macro json_page_results(text_relation) -%}
    page_files as (

        select
            filename as source_file,
            regexp_replace(filename, '/[^/]*$', '') as pull_folder,
            {{ pulled_at('filename', 'last_modified') }} as pulled_at,
            case when json_valid(content) then cast(content as json) end as page_json,
            json_valid(content) as is_valid_json
        from {{ text_relation }}

    ),

    pages as (

        select
            *,
            not coalesce(
                -- has_more that is not a boolean ("unknown"): the pull may go on.
                last_value(case
                    when page_json ->> 'has_more' is not null
                        then coalesce(try_cast(page_json ->> 'has_more' as boolean), true)
                end) over (
                    partition by pull_folder order by source_file asc
                    rows between unbounded preceding and unbounded following
                ),
                false
            ) as is_page_sequence_complete
        from page_files

    ),

    page_buckets as (

        -- The buckets of a page as the API returns it ({"data": [...]}), of the data array
        -- saved alone (a bare array), or of a page whose data is one bucket (an object).
        -- A page without buckets keeps one row with none.
        select
            *,
            coalesce(nullif(
                case
                    when json_type(page_json) = 'ARRAY' then json_extract(page_json, '$[*]')
                    when json_type(page_json, '$.data') = 'OBJECT' then [page_json -> '$.data']
                    else json_extract(page_json, '$.data[*]')
                end,
                []
            ), [null::json]) as bucket_list
        from pages

    ),

    buckets as (

        select
            source_file,
            pulled_at,
            is_valid_json,
            is_page_sequence_complete,
            unnest(bucket_list) as bucket_json,
            unnest(range(1, len(bucket_list) + 1)) as bucket_index
        from page_buckets

    ),

    bucket_results as (

        -- The results of a bucket: an array, or one result written as an object.
        select
            *,
            coalesce(nullif(
                case
                    when json_type(bucket_json, '$.results') = 'OBJECT'
                        then [bucket_json -> '$.results']
                    else json_extract(bucket_json, '$.results[*]')
                end,
                []
            ), [null::json]) as result_list
        from buckets

    ),

    results as (

        select
            source_file,
            pulled_at,
            is_valid_json,
            is_page_sequence_complete,
            bucket_json,
            bucket_index,
            unnest(result_list) as result_json,
            unnest(range(1, len(result_list) + 1)) as result_index
        from bucket_results

    )
{%- endmacro %}
