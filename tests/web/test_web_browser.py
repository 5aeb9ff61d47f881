"""The dashboard in a real headless Chromium (Debian's), driven by Playwright, on the example store.

Each test opens a page, checks what a person would check, and saves a screenshot in docs/screenshots/.
"""
from __future__ import annotations

import json
from urllib.request import urlopen


def _api(base: str, path: str) -> dict:
    """What the API answers, to compare the page with."""
    with urlopen(base + path, timeout=30) as response:
        return json.loads(response.read())


def _open(page, url: str) -> None:
    """Loads the page and waits until every chart on it has finished drawing."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => [...document.querySelectorAll('.chart')].every(c => c.dataset.drawn)")


def _no_script_errors(page) -> None:
    assert page.errors == [], page.errors
    assert page.dialogs == [], page.dialogs
    assert page.outside == [], page.outside


def _drawn_shapes(page, selector: str) -> int:
    """How many SVG shapes ECharts drew inside the chart (its SVG renderer makes one path per mark)."""
    return page.locator(f"{selector} svg path").count()


def test_overview_shows_dyads_stories_and_the_actor_world(live_server, page, screenshot_dir):
    _open(page, live_server + "/")
    overview = _api(live_server, "/api/overview?top=12")
    rows = page.locator("table.dyads tbody tr")
    assert rows.count() == len(overview["dyads"]) > 0
    top = overview["dyads"][0]
    assert rows.first.locator("a").inner_text() == f"{top['source']} – {top['target']}"
    assert page.locator("ul.stories li").count() == len(overview["stories"]) > 0
    assert _drawn_shapes(page, "#world") >= len(overview["nodes"])
    page.screenshot(path=str(screenshot_dir / "overview.png"), full_page=True)
    rows.first.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/dyad/{top['source']}/{top['target']}")
    _no_script_errors(page)


def _bar_point(page, series_index: int, period_index: int, value: int) -> tuple[float, float]:
    """Page coordinates of the middle of one bar, from the chart's own pixel mapping."""
    x, y = page.evaluate(
        """([s, i, v]) => {
            const chart = echarts.getInstanceByDom(document.getElementById('timeline'));
            const top = chart.convertToPixel({seriesIndex: s}, [i, v]);
            const bottom = chart.convertToPixel({seriesIndex: s}, [i, 0]);
            return [top[0], (top[1] + bottom[1]) / 2];
        }""", [series_index, period_index, value])
    box = page.locator("#timeline").bounding_box()
    return box["x"] + x, box["y"] + y


def test_dyad_timeline_draws_and_a_clicked_period_lists_its_events(live_server, page, screenshot_dir):
    series = _api(live_server, "/api/series?a=JPN&b=KOR&freq=day")
    _open(page, live_server + "/dyad/JPN/KOR?freq=day")
    drawn = page.evaluate("""() => {
        const option = echarts.getInstanceByDom(document.getElementById('timeline')).getOption();
        return option.series.filter(s => s.type === 'bar').map(s => s.data.reduce((a, b) => a + b, 0));
    }""")
    assert sum(drawn) == sum(p["events"] for p in series["periods"]) > 0
    assert _drawn_shapes(page, "#timeline") > len(series["periods"])
    # click the top type's bar of the last period with events, where it is drawn
    index = max(i for i, p in enumerate(series["periods"]) if p["events"])
    period = series["periods"][index]
    etype = max(period["types"], key=period["types"].get)
    x, y = _bar_point(page, series["types"].index(etype), index, period["types"][etype])
    page.mouse.click(x, y)
    items = page.locator("#period-events li.event")
    items.first.wait_for()
    assert page.locator("#period-title").inner_text() == f"Events of {period['period']}"
    listed = _api(live_server, f"/api/events?dyad=JPN,KOR&period={period['period']}&limit=200")["items"]
    assert items.count() == period["events"] == len(listed)
    shown = sorted(items.nth(i).locator("blockquote.evidence").inner_text() for i in range(items.count()))
    assert shown == sorted(e["evidence"]["text"] for e in listed)
    assert all(e["date"].startswith(period["period"]) for e in listed)
    promised = _api(live_server, "/api/promises?a=JPN&b=KOR")["items"]
    shown = page.locator("#promises tr.promise")
    assert shown.count() == len(promised) > 0
    assert [shown.nth(i).locator(".status").inner_text() for i in range(shown.count())] == \
        [t["status"] for t in promised]
    page.mouse.move(1, 1)  # the tooltip follows the mouse: keep it off the picture
    page.wait_for_timeout(400)  # ECharts hides it after a short delay; only the picture depends on this
    page.screenshot(path=str(screenshot_dir / "dyad.png"), full_page=True)
    _no_script_errors(page)


def test_a_reliability_bar_narrows_the_dyad_page_and_the_events_it_lists(live_server, page):
    _open(page, live_server + "/dyad/IND/PAK")
    everything = _api(live_server, "/api/series?a=IND&b=PAK")["events"]
    page.select_option("select[name=min_reliability]", "0.7")
    page.locator("form.controls button").click()
    page.wait_for_load_state("networkidle")
    assert "min_reliability=0.7" in page.url
    reliable = _api(live_server, "/api/series?a=IND&b=PAK&min_reliability=0.7")
    assert page.locator("p.counts b").first.inner_text() == str(reliable["events"])
    assert 0 < reliable["events"] < everything
    page.locator("a.period-link").first.click()
    page.locator("#period-events li.event").first.wait_for()
    shown = [float(t.split()[-1]) for t in page.locator("#period-events .reliability").all_inner_texts()]
    assert shown and min(shown) >= 0.7
    _no_script_errors(page)


def test_the_dyad_pages_events_mark_a_party_their_sentence_does_not_name(live_server, page):
    events = _api(live_server, "/api/events?limit=200")["items"]
    inferred = next(e for e in events if e["from_context"] and len(e["date"] or "") >= 7
                    and {a["code"] for a in e["actors"] + e["recipients"]} == {"IND", "PAK"})
    _open(page, live_server + "/dyad/IND/PAK?freq=month")
    page.locator(f"a.period-link[data-period='{inferred['date'][:7]}']").click()
    page.locator("#period-events li.event").first.wait_for()
    metas = page.locator("#period-events li.event .meta").all_inner_texts()
    assert any(f"{inferred['from_context'][0]} (context)" in m for m in metas), metas
    _no_script_errors(page)


def test_evidence_link_highlights_the_events_sentence(live_server, page, screenshot_dir):
    _open(page, live_server + "/dyad/IND/PAK")
    page.locator("a.period-link").first.click()
    page.locator("#period-events li.event").first.wait_for()
    link = page.locator("#period-events a.evidence-link").first
    event_id = link.get_attribute("href").split("event=")[1]
    link.click()
    page.wait_for_load_state("networkidle")
    event = _api(live_server, f"/api/events/{event_id}")
    focused = page.locator("#article mark.focus")
    assert focused.count() >= 1
    assert "".join(focused.all_text_contents()) == event["evidence"]["text"]
    assert page.locator(f"li.focus a.pick[data-event='{event['event_id']}']").count() == 1
    page.screenshot(path=str(screenshot_dir / "document.png"), full_page=False)
    _no_script_errors(page)


def test_document_highlights_events_quotes_and_figures_at_their_offsets(live_server, page):
    doc = _api(live_server, "/api/documents/brazil-china-trade")
    _open(page, live_server + "/document/brazil-china-trade")
    assert page.locator("#article").inner_text() == doc["text"]
    for fact in doc["facts"]:
        marks = page.locator(f"#article mark.fact[data-facts~='{fact['fact_id']}']")
        assert "".join(marks.all_text_contents()) == fact["text"]
    for quote in doc["quotes"]:
        ev = quote["evidence"]
        marks = page.locator(f"#article mark.quote[data-quotes~='{quote['quote_id']}']")
        assert "".join(marks.all_text_contents()) == doc["text"][ev["start"]:ev["end"]]
    assert page.locator("aside ol.events li").count() == len(doc["events"])
    _no_script_errors(page)


def test_actor_page_shows_ego_network_offices_and_quotes(live_server, page, screenshot_dir):
    actor = _api(live_server, "/api/actors/person:takeshi-iwaya")
    _open(page, live_server + "/actor/person:takeshi-iwaya")
    assert page.locator("h1").inner_text().startswith("Takeshi Iwaya")
    assert page.locator("table.offices tbody tr").count() == len(actor["offices"]) > 0
    assert page.locator("ul.quotes li").count() == len(actor["quotes"]) > 0
    assert _drawn_shapes(page, "#ego") >= len(actor["network"]["nodes"]) > 1
    page.screenshot(path=str(screenshot_dir / "actor.png"), full_page=True)
    _no_script_errors(page)


def test_story_page_sets_reports_side_by_side(live_server, page, screenshot_dir):
    stories = _api(live_server, "/api/stories?kind=event&limit=200")["items"]
    chosen = max(stories, key=lambda s: (s["documents"], len(s["members"]), s["story_id"]))
    _open(page, live_server + f"/story/{chosen['story_id']}")
    reports = page.locator(".reports article.report")
    assert reports.count() == len(chosen["members"])
    for i, member in enumerate(chosen["members"]):
        assert reports.nth(i).locator("blockquote.evidence").inner_text() == member["evidence"]
    sources = page.locator(".source")
    assert sources.all_text_contents() == chosen["sources"]
    assert page.locator(".disagreement").count() == len(chosen["disagreements"])
    page.screenshot(path=str(screenshot_dir / "story.png"), full_page=True)
    _no_script_errors(page)


def test_search_finds_events_actors_and_documents(live_server, page, screenshot_dir):
    _open(page, live_server + "/")
    page.fill("header input[name=q]", "Korea")
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    events = _api(live_server, "/api/events?q=Korea&limit=50")
    assert page.locator("ul.events li.event").count() == len(events["items"]) > 0
    assert page.locator("a[href^='/actor/']").count() > 0
    assert page.locator("a[href^='/document/']").count() > 0
    page.screenshot(path=str(screenshot_dir / "search.png"), full_page=True)
    _no_script_errors(page)


def test_script_in_an_article_shows_as_text(hostile_server, page):
    _open(page, hostile_server + "/document/hostile")
    assert "<script>alert('x')</script>" in page.locator("#article").inner_text()
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    _open(page, hostile_server + "/search?q=Japan")
    assert page.locator("li.event").count() > 0
    _no_script_errors(page)


def test_api_docs_render_offline(live_server, page):
    page.goto(live_server + "/docs", wait_until="networkidle")
    page.locator(".opblock-summary-path").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_text_contents()
    assert any(p.strip().startswith("/api/events") for p in paths), paths
    _no_script_errors(page)
