{#-
    Unnest provider API pages ({"data": [bucket, ...], "has_more": ...}) read with
    read_text into one row per result, keeping file, bucket and result positions.
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

    buckets as (

        select
            source_file,
            pulled_at,
            is_valid_json,
            is_page_sequence_complete,
            unnest(coalesce(json_extract(page_json, '$.data[*]'), [null::json])) as bucket_json,
            unnest(range(1, cast(greatest(json_array_length(page_json, '$.data'), 1) as bigint) + 1))
                as bucket_index
        from pages

    ),

    results as (

        select
            source_file,
            pulled_at,
            is_valid_json,
            is_page_sequence_complete,
            bucket_json,
            bucket_index,
            unnest(coalesce(json_extract(bucket_json, '$.results[*]'), [null::json]))
                as result_json,
            unnest(range(1, cast(greatest(json_array_length(bucket_json, '$.results'), 1) as bigint) + 1))
                as result_index
        from buckets

    )
{%- endmacro %}
