"""A benchmark run against the previous kept table: the kept Markdown reads back, and slower pages,
pages with more queries, new and vanished pages are named."""

from pathlib import Path

from django.conf import settings

from xuncha.synth.bench import compare

KEPT = Path(settings.BASE_DIR) / "bench" / "results" / "2026-11-29-s100-postgresql.md"


def _result(key: str, role: str, queries: int, median: float) -> dict:
    return {"key": key, "role": role, "kind": "list", "queries": queries, "median_ms": median}


def test_the_kept_scale_100_table_reads_back():
    rows = compare.read_table(KEPT)
    assert len(rows) > 40
    home = rows[("home", "staff")]
    assert (home.kind, home.queries, home.median_ms) == ("detail", 10, 15.6)
    # Only the page table: the documents table below it has other columns.
    assert {r.kind for r in rows.values()} <= {"ceiling", "detail", "list", "document", "pdf"}


def test_slower_pages_and_more_queries_are_regressions_noise_is_not():
    previous = compare.read_table(KEPT)
    current = [
        _result("home", "staff", 10, 15.6 * 2),  # twice as slow and 15 ms more
        _result("rounds", "staff", 9, 16.4),  # one query more
        _result("org tree", "staff", 7, 16.0 * 1.4),  # within the noise
        _result("users", "city", 10, 66.1 / 3),  # much faster
        _result("statistics", "city", 12, 40.0),  # new
    ]
    found = compare.changes(previous, current)
    assert [line.split(":")[0] for line in found["regressions"]] == ["home (staff)", "rounds (staff)"]
    assert "queries 8 → 9" in found["regressions"][1]
    assert [line.split(":")[0] for line in found["faster"]] == ["users (city)"]
    assert found["new"] == ["statistics (city)"]
    assert "people (staff)" in found["gone"] and "home (staff)" not in found["gone"]


def test_a_query_added_to_every_page_is_counted_once_on_the_floor():
    """The trivial layout page gained a query (a sign-in check every request makes): the pages
    that gained that one query are not each a regression; a page that gained two is."""
    previous = compare.read_table(KEPT)
    current = [
        _result(compare.FLOOR, "staff", previous[(compare.FLOOR, "staff")].queries + 1, 8.9),
        _result("rounds", "staff", 9, 16.4),  # 8 → 9: the floor's query
        _result("home", "staff", 12, 15.6),  # 10 → 12: one of its own
    ]
    found = compare.changes(previous, current)
    assert [line.split(":")[0] for line in found["regressions"]] == [f"{compare.FLOOR} (staff)", "home (staff)"]


def test_times_compare_on_the_same_machine_speed():
    """On a machine 2.5× slower (most pages 2.5× slower) a page 2.5× slower has not changed, one
    2.5 × 2 slower has, and one as fast as before is faster."""
    previous = compare.read_table(KEPT)
    floor = previous[(compare.FLOOR, "staff")]
    current = [
        _result(compare.FLOOR, "staff", floor.queries, floor.median_ms * 2.5),
        _result("rounds", "staff", 8, 16.4 * 2.5),
        _result("home", "staff", 10, 15.6 * 2.5 * 2),
        _result("users", "city", 10, 66.1),  # as fast as before on a slower machine: faster
    ]
    assert compare.machine_ratio(previous, current) == 2.5
    found = compare.changes(previous, current)
    assert [line.split(":")[0] for line in found["regressions"]] == ["home (staff)"]
    assert [line.split(":")[0] for line in found["faster"]] == ["users (city)"]


def test_the_previous_table_is_the_newest_before_today(tmp_path):
    for name in ("2026-11-01-s100-postgresql.md", "2026-11-29-s100-postgresql.md", "2026-11-30-s10-postgresql.md"):
        (tmp_path / name).write_text("")
    assert compare.previous_table(tmp_path, 100, "postgresql", "2026-12-08").name == "2026-11-29-s100-postgresql.md"
    assert compare.previous_table(tmp_path, 100, "postgresql", "2026-11-29").name == "2026-11-01-s100-postgresql.md"
    assert compare.previous_table(tmp_path, 100, "sqlite", "2026-12-08") is None
    assert compare.section(None, []) == []
