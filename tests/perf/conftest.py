import pytest

from benchmarks._common import migrated_template, pg_available


@pytest.fixture(scope="session")
def bench_template():
    """One migrated database per test process for the benchmark smoke runs to copy (``BENCH_TEMPLATE_DB`` in the
    environment they inherit) instead of each running every migration (~45 s of CPU each)."""
    if not pg_available():
        yield None
        return
    with migrated_template() as name:
        yield name
