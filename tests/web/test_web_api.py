"""The REST API through the app, on a store built from examples/corpus."""
from __future__ import annotations

import pytest
from markupsafe import escape

from dyad.web.queries import MAX_LIMIT


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    return response.json()


def test_events_page_has_total_and_stable_order(client):
    everything = get(client, f"/api/events?limit={MAX_LIMIT}")
    assert everything["total"] == len(everything["items"]) > 10
    ids = [e["event_id"] for e in everything["items"]]
    assert len(set(ids)) == len(ids)
    paged = []
    for offset in range(0, everything["total"], 7):
        chunk = get(client, f"/api/events?limit=7&offset={offset}")
        assert chunk["total"] == everything["total"]
        paged += [e["event_id"] for e in chunk["items"]]
    assert paged == ids
    dated = [e["date"] for e in everything["items"] if e["date"]]
    assert dated == sorted(dated)


def test_events_newest_first(client):
    items = get(client, "/api/events?sort=-date&limit=50")["items"]
    dated = [e["date"] for e in items if e["date"]]
    assert dated == sorted(dated, reverse=True)


def test_limit_above_maximum_is_an_error_not_a_cap(client):
    body = get(client, f"/api/events?limit={MAX_LIMIT + 1}", 422)
    assert "less than or equal to" in str(body["detail"])


@pytest.mark.parametrize("url, words", [
    ("/api/events?since=2025-13-01", "not an ISO date"),
    ("/api/events?until=yesterday", "not an ISO date"),
    ("/api/events?type=HUG", "not a PLOVER type"),
    ("/api/events?dyad=JPN", "two actors"),
    ("/api/events?dyad=JPN,jpn", "same actor"),
    ("/api/events?period=2025-3", "period"),
    ("/api/events?sort=score", "sort"),
    ("/api/series?a=JPN&b=KOR&freq=year", "freq"),
    ("/api/series?a=JPN&b=JPN", "two different actors"),
    ("/api/network?by=name", "by"),
    ("/api/changes?first=2025-06..2025-01", "ends before it starts"),
    ("/api/stories?kind=fact", "kind"),
])
def test_bad_parameters_get_a_clear_422(client, url, words):
    body = get(client, url, 422)
    assert words in body["detail"]


@pytest.mark.parametrize("url", ["/api/events/nope:e0", "/api/actors/state:XXX", "/api/stories/st-none",
                                 "/api/documents/no-such-doc"])
def test_unknown_ids_are_404_with_a_message(client, url):
    assert "no " in get(client, url, 404)["detail"]


def test_event_filters_agree_with_each_event(client):
    for event in get(client, "/api/events?actor=IND&limit=100")["items"]:
        codes = {a["code"] for a in event["actors"] + event["recipients"]}
        assert "IND" in codes
    assaults = get(client, "/api/events?type=assault")["items"]
    assert assaults and all(e["type"] == "ASSAULT" for e in assaults)
    june = get(client, "/api/events?since=2025-06-01&until=2025-06-30")["items"]
    assert june and all(e["date"].startswith("2025-06") for e in june)
    found = get(client, "/api/events?q=KASHMIR")["items"]
    assert found and all("kashmir" in e["evidence"]["text"].lower() for e in found)
    one_doc = get(client, "/api/events?doc=japan-korea-talks")
    assert one_doc["total"] and all(e["doc_id"] == "japan-korea-talks" for e in one_doc["items"])
    reliable = get(client, f"/api/events?min_reliability=0.6&limit={MAX_LIMIT}")
    assert 0 < reliable["total"] < get(client, "/api/events")["total"]
    assert all(e["reliability"] >= 0.6 for e in reliable["items"])
    edges = get(client, "/api/network?min_reliability=0.6")["edges"]
    assert sum(e["events"] for e in edges) <= sum(e["events"] for e in get(client, "/api/network")["edges"])
    get(client, "/api/events?min_reliability=1.5", 422)


def test_story_filter_returns_the_story_members(client):
    story_id = get(client, "/api/events?limit=1")["items"][0]["story_id"]
    members = get(client, f"/api/events?story={story_id}")["items"]
    assert members and all(e["story_id"] == story_id for e in members)


@pytest.mark.parametrize("freq", ["day", "week", "month"])
def test_dyad_filter_matches_series_totals(client, freq):
    series = get(client, f"/api/series?a=JPN&b=KOR&freq={freq}")
    assert series["events"] == get(client, "/api/events?dyad=JPN,KOR")["total"] > 0
    placed = 0
    for period in series["periods"]:
        listed = get(client, f"/api/events?dyad=JPN,KOR&period={period['period']}")
        assert listed["total"] == period["events"]
        assert sorted({e["type"] for e in listed["items"]}) == sorted(period["types"])
        placed += listed["total"]
    assert placed + series["unplaced"] == series["events"]


def test_event_by_id_carries_its_document(client):
    first = get(client, "/api/events?limit=1")["items"][0]
    event = get(client, f"/api/events/{first['event_id']}")
    assert event["event_id"] == first["event_id"]
    assert event["document"]["title"]


def test_a_party_its_sentence_does_not_name_is_listed_and_marked_on_the_pages(client):
    events = get(client, f"/api/events?limit={MAX_LIMIT}")["items"]
    inferred = [e for e in events if e["from_context"]]
    assert inferred, "the example corpus has replies whose other side is named only in the sentence before"
    for e in events:
        assert set(e["from_context"]) <= {a["code"] or a["name"] for a in e["actors"] + e["recipients"]}
    page = client.get(f"/document/{inferred[0]['doc_id']}").text
    assert 'class="context"' in page and "taken from the text around it" in page


def test_actors_list_and_one_actor_with_offices_and_counts(client):
    actors = get(client, "/api/actors?limit=100")
    assert actors["total"] == len(actors["items"])
    counts = [a["events"] for a in actors["items"]]
    assert counts == sorted(counts, reverse=True)
    people = get(client, "/api/actors?kind=person&limit=100")["items"]
    assert people and all(a["kind"] == "person" for a in people)
    with_office = next(a for a in people if a["roles"])
    actor = get(client, f"/api/actors/{with_office['actor_id']}")
    assert actor["offices"] and actor["offices"][0]["title"]
    assert actor["counts"]["events"] == with_office["events"]
    assert actor["counts"]["events"] == get(client, f"/api/events?actor={with_office['actor_id']}")["total"]


def test_stories_and_one_story(client):
    stories = get(client, "/api/stories?kind=event&limit=100")
    assert stories["total"] and all(s["kind"] == "event" for s in stories["items"])
    story = get(client, f"/api/stories/{stories['items'][0]['story_id']}")
    assert story["members"] and "disagreements" in story and story["sources"]
    latest = get(client, "/api/stories?sort=latest&limit=100")["items"]
    reports = [s["last_report"] or "" for s in latest]
    assert reports == sorted(reports, reverse=True)


def test_document_offsets_point_at_the_evidence(client):
    docs = get(client, "/api/documents")
    assert docs["total"] == 6 and "text" not in docs["items"][0]
    for item in docs["items"]:
        doc = get(client, f"/api/documents/{item['doc_id']}")
        assert len(doc["events"]) == item["events"] and len(doc["facts"]) == item["facts"]
        for event in doc["events"]:
            ev = event["evidence"]
            assert doc["text"][ev["start"]:ev["end"]] == ev["text"]
        for fact in doc["facts"]:
            ev = fact["evidence"]
            assert doc["text"][ev["start"]:ev["end"]] == fact["text"]


def test_series_network_changes_endpoints(client):
    series = get(client, "/api/series?a=IND&b=PAK")
    assert series["periods"][0]["score_sum"] < 0
    network = get(client, "/api/network?min_events=2")
    assert all(e["events"] >= 2 for e in network["edges"])
    assert {n["id"] for n in network["nodes"]} == {k for e in network["edges"] for k in (e["source"], e["target"])}
    changes = get(client, "/api/changes?first=2025-01..2025-03&second=2025-04..2025-06")
    deltas = [abs(d["delta"]) for d in changes["dyads"]]
    assert deltas == sorted(deltas, reverse=True)


@pytest.mark.parametrize("url", ["/", "/dyad/JPN/KOR", "/actor/state:JPN", "/document/japan-korea-talks",
                                 "/search?q=talks", "/docs"])
def test_pages_load_nothing_from_elsewhere(client, url):
    import re

    html = client.get(url).text
    links = re.findall(r'(?:src|href)="([^"]*)"', html) + re.findall(r"url: '([^']*)'", html)
    assert links and all(link.startswith(("/", "?", "#")) for link in links), links


def test_openapi_docs_are_served(client):
    assert "swagger-ui-bundle.js" in client.get("/docs").text
    paths = get(client, "/openapi.json")["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/actors", "/api/actors/{actor_id}", "/api/stories",
                 "/api/stories/{story_id}", "/api/documents", "/api/documents/{doc_id}", "/api/series",
                 "/api/network"):
        assert path in paths


@pytest.mark.parametrize("url", ["/", "/dyad/JPN/KOR", "/dyad/IND/PAK?freq=day", "/dyad/JPN/KOR?min_reliability=",
                                 "/dyad/JPN/KOR?min_reliability=0.5", "/actor/state:JPN",
                                 "/actor/person:takeshi-iwaya", "/document/japan-korea-talks", "/search?q=talks",
                                 "/search"])
def test_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("url, status", [("/dyad/JPN/JPN", 422), ("/dyad/JPN/KOR?freq=hour", 422),
                                         ("/dyad/JPN/KOR?min_reliability=high", 422),
                                         ("/dyad/JPN/KOR?min_reliability=2", 422),
                                         ("/actor/nobody", 404), ("/story/none", 404), ("/document/none", 404)])
def test_bad_pages_say_why(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "<h1>" in response.text and "error" in response.text


def test_article_text_is_escaped(hostile_client):
    html = hostile_client.get("/document/hostile").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    search = hostile_client.get("/search?q=script").text
    assert "<script>alert" not in search and "&lt;script&gt;" in search
    api = hostile_client.get("/api/documents/hostile").json()
    assert "<script>alert('x')</script>" in api["text"]  # JSON keeps the text as it is


def test_store_is_opened_read_only(example_db):
    import duckdb

    from dyad.web import create_app

    app = create_app(example_db)
    try:
        with pytest.raises(duckdb.Error):
            app.state.db.store.connection.execute("DELETE FROM events")
    finally:
        app.state.db.close()


def test_missing_store_is_a_clear_error(tmp_path):
    from dyad.store import StoreError
    from dyad.web import create_app

    with pytest.raises(StoreError, match="no database"):
        create_app(tmp_path / "missing.duckdb")


def test_an_empty_store_serves_every_page(tmp_path):
    from fastapi.testclient import TestClient

    from dyad.store import Store
    from dyad.web import create_app

    path = tmp_path / "empty.duckdb"
    Store(path).close()
    app = create_app(path)
    with TestClient(app) as empty:
        for url in ("/", "/search?q=x", "/dyad/JPN/KOR", "/api/overview", "/api/network", "/api/changes"):
            assert empty.get(url).status_code == 200, url
        assert empty.get("/api/events").json() == {"total": 0, "offset": 0, "limit": 50, "items": []}
    app.state.db.close()


def test_serve_listens_on_localhost_unless_told(example_db, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from dyad import cli

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    cli._register()
    runner = CliRunner()
    assert runner.invoke(cli.app, ["serve", "--db", str(example_db)]).exit_code == 0
    assert runner.invoke(cli.app, ["serve", "--db", str(example_db), "--host", "0.0.0.0", "--port", "9000"]
                         ).exit_code == 0
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8000), ("0.0.0.0", 9000)]


def test_serve_without_a_store_says_so(tmp_path):
    from typer.testing import CliRunner

    from dyad import cli

    cli._register()
    result = CliRunner().invoke(cli.app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no database" in result.output


def test_search_for_two_codes_links_their_dyad(client):
    assert 'href="/dyad/JPN/KOR"' in client.get("/search?q=jpn kor").text
    assert "/dyad/" not in client.get("/search?q=jpn talks").text


def test_promises_between_two_actors_in_either_order_with_a_status(promises_client):
    from dyad.promises import promise_rows
    from dyad.store import Store

    everything = get(promises_client, f"/api/promises?limit={MAX_LIMIT}")
    assert set(everything) == {"total", "offset", "limit", "items"}
    assert {t["status"] for t in everything["items"]} == {"kept", "broken", "overdue", "open"}
    [kept] = get(promises_client, "/api/promises?a=uzb&b=KAZ")["items"]
    assert kept["status"] == "kept" and kept["decided_by"]["doc_id"] == "kept_deed" and kept["lag_days"] > 0
    assert get(promises_client, "/api/promises?a=KAZ&b=UZB&status=broken")["total"] == 0
    two = get(promises_client, "/api/promises?status=kept&status=broken")
    assert sorted(t["status"] for t in two["items"]) == ["broken", "kept"]
    paged = [t["promise_id"] for o in range(everything["total"])
             for t in get(promises_client, f"/api/promises?limit=1&offset={o}")["items"]]
    assert paged == [t["promise_id"] for t in everything["items"]]
    db = promises_client.app.state.db
    assert db.run(lambda con: con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'promises'").fetchone()[0]) == 0
    with Store(db.store.path, read_only=True) as store:
        assert [t["promise_id"] for t in promise_rows(store)] == [t["promise_id"] for t in everything["items"]]


@pytest.mark.parametrize("query, words", [
    ("a=KAZ", "need both a and b"), ("a=KAZ&b=kaz", "same actor"), ("status=done", "unknown status 'done'"),
    ("a=&b=KAZ", "a is empty"), (f"limit={MAX_LIMIT + 1}", "less than or equal to"), ("offset=-1", "greater than"),
])
def test_bad_promise_filters_are_422_with_a_reason(promises_client, query, words):
    assert words in get(promises_client, f"/api/promises?{query}", 422)["detail"]


def test_dyad_page_lists_its_promises_escaped_and_linked(promises_client, client):
    html = promises_client.get("/dyad/ARM/AZE").text
    section = html[html.index('id="promises"'):]
    assert 'class="status s-broken">broken' in section
    [broken] = get(promises_client, "/api/promises?a=ARM&b=AZE")["items"]
    assert f'href="/document/{broken["decided_by"]["doc_id"]}?event=' in section
    for report in broken["reports"]:
        assert f'href="/document/{report["doc_id"]}?event=' in section
    assert f'lag <b class="lag">{broken["lag_days"]}</b>' in section
    assert str(escape(broken["decided_by"]["evidence"]["text"])) in section  # autoescaped, quotes included
    none = client.get("/dyad/BRA/IND").text
    assert "No promise between BRA and IND" in none
