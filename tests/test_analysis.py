"""dyad.analysis (series, network, changes, exports) and its commands, on hand-made stores."""
from __future__ import annotations

import json

import duckdb
import pytest

from conftest import make_extraction
from dyad.analysis import AnalysisError, changes, check_date, network, series, series_rows, write_rows
from dyad.records import ActorRef, Event
from dyad.store import Store


def ref(code: str) -> ActorRef:
    return ActorRef(text=code, name=code, code=code, sector="GOV", actor_id=f"state:{code}")


def event(n: int, type_: str, actors, recipients, date, score, story=None) -> Event:
    return Event(event_id=f"x:e{n}", doc_id="x", type=type_, mode=None, context=[], actors=[ref(c) for c in actors],
                 recipients=[ref(c) for c in recipients], date=date, date_text=None, location=None, aux=None,
                 attribution=None, evidence={"text": f"sentence {n}", "start": 0, "end": 1}, score=score,
                 confidence=0.9, story_id=story)


@pytest.fixture
def store(tmp_path):
    """Japan and Korea over three months (two reports of one story in March), Russia and Georgia once."""
    extraction = make_extraction("x", events=0)
    extraction.events = [
        event(0, "CONSULT", ["JPN", "KOR"], [], "2025-01-10", 1.0),
        event(1, "ACCUSE", ["KOR"], ["JPN"], "2025-01-20", -2.0),
        event(2, "AGREE", ["JPN"], ["KOR"], "2025-03-03", 4.0, story="s1"),
        event(3, "AGREE", ["JPN"], ["KOR"], "2025-03-04", 4.0, story="s1"),
        event(4, "SANCTION", ["RUS"], ["GEO"], "2025-03-05", -7.0),
        event(5, "REJECT", ["KOR"], ["JPN"], "2025", -4.0),
        event(6, "SUPPORT", ["JPN"], ["KOR"], "2025-03", 3.5),
    ]
    path = tmp_path / "a.duckdb"
    with Store(path) as writer:
        writer.save(extraction)
        # the stories stage links reports on its own; here two reports are one story by construction
        writer.connection.execute("UPDATE events SET story_id = event_id WHERE doc_id = 'x'")
        writer.connection.execute("UPDATE events SET story_id = 's1' WHERE event_id IN ('x:e2', 'x:e3')")
    reader = Store(path, read_only=True)
    yield reader
    reader.close()


def test_series_by_month_counts_directions_scores_and_stories(store):
    result = series(store.connection, "jpn", "KOR")
    assert [p["period"] for p in result["periods"]] == ["2025-01", "2025-02", "2025-03"]
    january, february, march = result["periods"]
    assert january["joint"] == {"CONSULT": 1} and january["b_to_a"] == {"ACCUSE": 1}
    assert january["score_sum"] == -1.0 and january["score_mean"] == -0.5
    assert february["events"] == 0 and february["score_mean"] is None
    assert march["a_to_b"] == {"AGREE": 2, "SUPPORT": 1} and march["stories"] == 2
    assert result["unplaced"] == 1 and result["events"] == 6
    assert result["stories"] == 4  # placed events: five, two of them one story


def test_series_by_day_and_week_leave_coarse_dates_unplaced(store):
    days = series(store.connection, "JPN", "KOR", freq="day")
    assert days["unplaced"] == 2
    assert sum(p["events"] for p in days["periods"]) == 4
    assert days["periods"][0]["period"] == "2025-01-10" and days["periods"][-1]["period"] == "2025-03-04"
    weeks = series(store.connection, "JPN", "KOR", freq="week")
    assert [p["period"] for p in weeks["periods"] if p["events"]] == ["2025-W02", "2025-W04", "2025-W10"]
    assert weeks["periods"][0]["start"] == "2025-01-06"


def test_series_direction_follows_the_order_of_the_pair(store):
    forward, backward = series(store.connection, "JPN", "KOR"), series(store.connection, "KOR", "JPN")
    for f, b in zip(forward["periods"], backward["periods"]):
        assert f["a_to_b"] == b["b_to_a"] and f["joint"] == b["joint"]


def test_series_date_range(store):
    assert series(store.connection, "JPN", "KOR", since="2025-02", until="2025-03")["events"] == 3
    # a month-dated event is not inside a range that ends mid-month, a year-dated one inside no month
    assert series(store.connection, "JPN", "KOR", since="2025-02", until="2025-03-03")["events"] == 1
    assert series(store.connection, "JPN", "KOR", since="2025")["events"] == 6


@pytest.mark.parametrize("kwargs, words", [
    ({"a": "JPN", "b": "jpn"}, "two different actors"),
    ({"a": "JPN", "b": " "}, "is empty"),
    ({"a": "JPN", "b": "KOR", "freq": "year"}, "freq"),
    ({"a": "JPN", "b": "KOR", "since": "2025-02-30"}, "not an ISO date"),
    ({"a": "JPN", "b": "KOR", "until": "March"}, "not an ISO date"),
])
def test_series_rejects_bad_input(store, kwargs, words):
    with pytest.raises(AnalysisError, match=words):
        series(store.connection, **kwargs)


def test_network_edges_are_weighted_and_signed(store):
    result = network(store.connection)
    edges = {(e["source"], e["target"]): e for e in result["edges"]}
    assert set(edges) == {("JPN", "KOR"), ("GEO", "RUS")}
    jk = edges[("JPN", "KOR")]
    assert jk["events"] == 6 and jk["score_sum"] == 6.5 and jk["sign"] == 1
    assert jk["source_to_target"] == 3 and jk["target_to_source"] == 2
    assert edges[("GEO", "RUS")]["sign"] == -1 and edges[("GEO", "RUS")]["target_to_source"] == 1
    labels = {n["id"]: n["label"] for n in result["nodes"]}
    assert labels["JPN"] == "Japan"  # from the registry; KOR has no registry entry in this store
    assert labels["KOR"] == "KOR"


def test_network_filters(store):
    assert [e["source"] for e in network(store.connection, min_events=2)["edges"]] == ["JPN"]
    assert network(store.connection, since="2025-03-05")["edges"][0]["source"] == "GEO"
    ego = network(store.connection, actor="state:RUS")
    assert [(e["source"], e["target"]) for e in ego["edges"]] == [("GEO", "RUS")]
    with pytest.raises(AnalysisError, match="by"):
        network(store.connection, by="name")


def test_network_totals_match_series(store):
    edge = network(store.connection)["edges"][0]
    assert edge["events"] == series(store.connection, edge["source"], edge["target"])["events"]


def test_changes_rank_by_moved_net_score(store):
    result = changes(store.connection, "2025-01", "2025-03")
    assert [(d["a"], d["b"]) for d in result["dyads"]] == [("JPN", "KOR"), ("GEO", "RUS")]
    jk = result["dyads"][0]
    assert (jk["score_first"], jk["score_second"], jk["delta"]) == (-1.0, 11.5, 12.5)
    assert changes(store.connection)["first"] == {"since": "2025-01", "until": "2025-01"}
    with pytest.raises(AnalysisError, match="ends before"):
        changes(store.connection, "2025-03..2025-01", "2025-04")


def test_write_rows_in_every_format(store, tmp_path):
    rows = series_rows(series(store.connection, "JPN", "KOR"))
    write_rows(rows, "jsonl", tmp_path / "s.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "s.jsonl").read_text().splitlines()]
    assert lines == rows
    write_rows(rows, "csv", tmp_path / "s.csv")
    header, *body = (tmp_path / "s.csv").read_text().splitlines()
    assert header.startswith("a,b,freq,period") and len(body) == 3
    write_rows(rows, "parquet", tmp_path / "s.parquet")
    back = duckdb.connect().execute(f"SELECT period, events FROM '{tmp_path / 's.parquet'}'").fetchall()
    assert back == [(r["period"], r["events"]) for r in rows]
    with pytest.raises(AnalysisError, match="parquet is binary"):
        write_rows(rows, "parquet", None)
    write_rows([{"label": "=HYPERLINK(1)", "score": -2.0}], "csv", tmp_path / "f.csv")
    assert (tmp_path / "f.csv").read_text().splitlines()[1] == "'=HYPERLINK(1),-2.0"


def test_check_date_accepts_iso_prefixes_only():
    assert check_date("2025", "since") == "2025" and check_date("2024-02-29", "since") == "2024-02-29"
    for bad in ("25-01-01", "2025-1", "2025-02-30", "2025/01/01"):
        with pytest.raises(AnalysisError):
            check_date(bad, "since")


def test_commands(store, tmp_path):
    from typer.testing import CliRunner

    from dyad import cli

    cli._register()
    db = str(store.path)
    store.close()
    runner = CliRunner()
    shown = runner.invoke(cli.app, ["series", "JPN", "KOR", "--db", db])
    assert shown.exit_code == 0 and "2025-03" in shown.output
    csv = runner.invoke(cli.app, ["network", "--db", db, "--format", "csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("source,target,events")
    out = tmp_path / "c.parquet"
    made = runner.invoke(cli.app, ["changes", "2025-01", "2025-03", "--db", db, "-f", "parquet", "-o", str(out)])
    assert made.exit_code == 0 and out.exists()
    bad = runner.invoke(cli.app, ["series", "JPN", "KOR", "--db", db, "--since", "soon"])
    assert bad.exit_code == 2 and "not an ISO date" in bad.output
    missing = runner.invoke(cli.app, ["network", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no database" in missing.output


def test_plover_records_follow_the_polecat_layout(store):
    from dyad.analysis import plover_rows

    rows = {r["event_id"]: r for r in plover_rows(store)}
    assert len(rows) == 7
    accuse = rows["x:e1"]
    assert (accuse["event_type"], accuse["quad_code"], accuse["quad_class"]) == ("ACCUSE", 3, "Verbal Conflict")
    assert (accuse["actor_country"], accuse["recipient_country"]) == ("KOR", "JPN")
    assert accuse["event_intensity"] == -2.0 and accuse["event_date"] == "2025-01-20"
    joint = rows["x:e0"]
    assert joint["actor_country"] == "JPN; KOR" and joint["recipient_country"] is None
    assert joint["quad_code"] == 1 and joint["source"] == "Pacific Ledger"
    assert joint["event_text"] == "sentence 0" and joint["publication_date"] == "2025-03-12"
    assert rows["x:e4"]["quad_class"] == "Material Conflict"


def test_export_events_in_the_plover_layout(store, tmp_path):
    from typer.testing import CliRunner

    from dyad import cli

    cli._register()
    db = str(store.path)
    store.close()
    runner = CliRunner()
    out = tmp_path / "events.jsonl"
    result = runner.invoke(cli.app, ["export", "events", "--db", db, "--format", "plover", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 7
    assert {r["event_id"]: r["quad_code"] for r in records}["x:e1"] == 3
    assert all(r["event_text"] and r["version"] for r in records)
    refused = runner.invoke(cli.app, ["export", "quotes", "--db", db, "--format", "plover"])
    assert refused.exit_code != 0 and "events" in refused.output


@pytest.fixture
def rated(store):
    """The store above with reliabilities: the Korean accusation doubtful, the Russian sanction unjudged."""
    path = store.path
    store.close()
    with Store(path) as writer:
        writer.connection.execute("UPDATE events SET reliability = CASE event_id WHEN 'x:e1' THEN 0.2 "
                                  "WHEN 'x:e4' THEN NULL ELSE 0.8 END")
    reader = Store(path, read_only=True)
    yield reader
    reader.close()


def test_a_reliability_bar_keeps_the_events_at_or_above_it_and_none_without_an_estimate(rated):
    from dyad.web import queries
    con = rated.connection
    assert series(con, "JPN", "KOR")["events"] == 6
    january = series(con, "JPN", "KOR", min_reliability=0.5)["periods"][0]
    assert january["b_to_a"] == {} and january["joint"] == {"CONSULT": 1}
    assert series(con, "JPN", "KOR", min_reliability=0.8)["events"] == 5
    assert [(e["source"], e["events"]) for e in network(con, min_reliability=0.5)["edges"]] == [("JPN", 5)]
    assert network(con, min_reliability=0.0)["edges"][0]["events"] == 6  # the unjudged sanction is left out
    assert {e["event_id"] for e in rated.events(min_reliability=0.5)} == {f"x:e{n}" for n in (0, 2, 3, 5, 6)}
    assert len(rated.events()) == 7
    page = queries.events(con, min_reliability=0.5, type="ACCUSE")
    assert page["total"] == 0 and queries.events(con, type="ACCUSE")["total"] == 1
    with pytest.raises(AnalysisError, match="between 0 and 1"):
        series(con, "JPN", "KOR", min_reliability=1.5)


def test_the_commands_take_a_reliability_bar(rated, tmp_path):
    from typer.testing import CliRunner

    from dyad import cli

    cli._register()
    db = str(rated.path)
    rated.close()
    runner = CliRunner()
    listed = runner.invoke(cli.app, ["events", "--db", db, "--min-reliability", "0.5", "--type", "ACCUSE"])
    assert listed.exit_code == 0 and "no events match" in listed.output
    edges = runner.invoke(cli.app, ["network", "--db", db, "--min-reliability", "0.5", "-f", "jsonl"])
    assert edges.exit_code == 0 and [json.loads(line)["events"] for line in edges.output.splitlines()] == [5]
    bad = runner.invoke(cli.app, ["series", "JPN", "KOR", "--db", db, "--min-reliability", "2"])
    assert bad.exit_code == 2
