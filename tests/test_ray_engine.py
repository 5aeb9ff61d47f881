"""`dyad ingest --engine ray`: a Ray Data run on a local Ray with 2 CPUs stores the same as `--jobs 1`.

Ray is in the `test` extra, so CI runs this; it is the slowest test file (Ray starts, actors load spaCy).
"""
from __future__ import annotations

import json

import duckdb
import pytest

from conftest import PROJECT_ROOT
from dyad.engines.ray_engine import start_ray
from test_batch_store import snapshot

EXAMPLES = PROJECT_ROOT / "examples" / "corpus"


@pytest.fixture(scope="module")
def local_ray():
    ray = start_ray(num_cpus=2)  # a local Ray: no dashboard, nothing beyond localhost
    yield ray
    ray.shutdown()


def test_the_ray_path_stores_the_same_as_jobs_1_and_leaves_a_parquet_dataset(cli, local_ray, tmp_path):
    shards = tmp_path / "shards"
    by_ray = cli("ingest", EXAMPLES, "--db", tmp_path / "ray.duckdb", "--engine", "ray", "--ray-output", shards)
    assert by_ray.exit_code == 0, by_ray.output
    assert cli("ingest", EXAMPLES, "--db", tmp_path / "one.duckdb", "--jobs", "1").exit_code == 0
    expected = snapshot(tmp_path / "one.duckdb")
    assert len(expected["events"]) > 5
    assert snapshot(tmp_path / "ray.duckdb") == expected  # events, story ids and every other table

    # the shards: one row per document, which DuckDB reads in place
    con = duckdb.connect()
    rows = con.execute(f"SELECT doc_id, extraction_json, problems FROM read_parquet('{shards}/*.parquet') "
                       f"ORDER BY \"order\"").fetchall()
    stored = duckdb.connect(str(tmp_path / "one.duckdb"), read_only=True)
    assert sorted(r[0] for r in rows) == [r[0] for r in stored.execute("SELECT doc_id FROM documents ORDER BY doc_id")
                                          .fetchall()]
    events = sum(len(json.loads(r[1])["events"]) for r in rows)
    assert events == stored.execute("SELECT count(*) FROM events").fetchone()[0]
    assert all(json.loads(r[2]) == [] for r in rows)


def test_a_rerun_on_ray_finds_everything_unchanged(cli, local_ray, tmp_path):
    db = tmp_path / "ray.duckdb"
    assert cli("ingest", EXAMPLES / "japan-korea-talks.txt", "--db", db, "--engine", "ray").exit_code == 0
    again = cli("ingest", EXAMPLES / "japan-korea-talks.txt", "--db", db, "--engine", "ray")
    assert again.exit_code == 0 and "documents unchanged │        1" in again.output


def test_a_ray_output_folder_holding_files_is_refused(cli, tmp_path):
    (tmp_path / "shards").mkdir()
    (tmp_path / "shards" / "old.parquet").write_bytes(b"")
    result = cli("ingest", EXAMPLES, "--db", tmp_path / "x.duckdb", "--engine", "ray", "--ray-output",
                 tmp_path / "shards")
    assert result.exit_code == 1 and "is not empty" in result.output
