"""`serve --workers N` shares the database's connections out: all N workers fit under its max_connections."""

from __future__ import annotations

import pytest

from assetgraph.config import Settings
from assetgraph.serve_workers import KEPT_FOR_OTHER_CLIENTS, WorkerPlan


@pytest.mark.parametrize("workers", [1, 2, 4, 8, 11])
def test_every_worker_count_fits_under_the_servers_connection_limit(workers: int) -> None:
    # given the embedded server's limit (max_connections 100 less 3 reserved for superusers)
    plan = WorkerPlan.for_database(Settings(), workers, connection_limit=97)
    # then N workers at their busiest leave connections for CLI commands and `assetgraph worker`
    assert plan.connections <= 97 - KEPT_FOR_OTHER_CLIENTS
    assert 1 <= plan.pool_size <= Settings().database_pool_size


def test_few_workers_keep_the_configured_pool_and_share_the_job_concurrency() -> None:
    plan = WorkerPlan.for_database(Settings(database_pool_size=10, worker_concurrency=4), 2, connection_limit=97)
    assert (plan.pool_size, plan.job_concurrency) == (10, 2)
    assert WorkerPlan.for_database(Settings(worker_concurrency=4), 3, connection_limit=97).job_concurrency == 2


def test_more_workers_than_the_server_can_take_get_one_connection_each_and_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    plan = WorkerPlan.for_database(Settings(), 40, connection_limit=97)
    assert plan.pool_size == 1
    assert [r.getMessage() for r in caplog.records] == ["serve_workers_exceed_max_connections"]
