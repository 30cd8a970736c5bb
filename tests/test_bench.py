"""The benchmark's day hold-back: the newest day of telemetry is moved aside before the
full build and landed again for the incremental run, every file of it and nothing else."""

from ai_spend_recon import bench, bench_garbage


def landing(tmp_path):
    raw = tmp_path / "raw"
    for source, name in [
        ("litellm", "spend_logs_{}.csv"),
        ("otel", "spans_{}.jsonl"),
        ("requests", "requests_{}.parquet"),
    ]:
        folder = raw / "telemetry" / source
        folder.mkdir(parents=True)
        for day in ("2026-10-30", "2026-10-31"):
            (folder / name.format(day)).write_text(day)
    return raw


def test_the_newest_day_is_held_back_and_landed_again(tmp_path):
    raw, held = landing(tmp_path), tmp_path / "held"
    day = bench.last_telemetry_day(raw)
    assert day == "2026-10-31"
    assert bench.move_day(raw, held, day, back=False) == 3
    assert sorted(p.name for p in raw.rglob("*_2026-10-31.*")) == []
    assert len(list(raw.rglob("*_2026-10-30.*"))) == 3
    assert bench.last_telemetry_day(raw) == "2026-10-30"
    assert bench.move_day(raw, held, day, back=True) == 3
    assert len(list(raw.rglob("*_2026-10-31.*"))) == 3


def test_paths_are_quoted_as_sql_strings():
    assert bench.sql_text("/data/o'neil exports") == "/data/o''neil exports"


def test_the_garbage_file_has_the_header_then_lines_of_another_field_count(tmp_path):
    path = tmp_path / "garbage.csv"
    header = "a,b,c,d,e,f,g,h,i\n"
    lines = bench_garbage.write_garbage_csv(path, header, megabytes=1)
    written = path.read_text().splitlines()
    assert written[0] == header.strip()
    assert len(written) - 1 == lines > 10_000
    assert path.stat().st_size >= 1_000_000
    assert all('"' not in line and line.count(",") < 8 for line in written[1:])
