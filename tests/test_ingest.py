"""Reading files and folders into Documents, and every kind of bad input reported by name and reason."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyad.ingest import content_hash, iso_date, load_paths
from dyad.records import Document, Problem

ARTICLE = ("Ministers from Chile and Peru met in Lima on Monday to discuss a maritime boundary.\n"
           "They agreed to meet again in Santiago.\n")


def split(items):
    items = list(items)
    docs = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, Problem)]
    return docs, problems


def test_txt_with_manifest_takes_its_metadata(write, tmp_path):
    write("corpus/a.txt", ARTICLE)
    write("corpus/manifest.jsonl", json.dumps({"id": "chile-peru", "path": "a.txt", "published": "2025-02-03",
                                               "outlet": "Andes Post", "title": "Talks in Lima", "url": "http://x"}))
    [doc] = list(load_paths([tmp_path / "corpus"]))
    assert (doc.id, doc.published, doc.outlet, doc.title, doc.url) == (
        "chile-peru", "2025-02-03", "Andes Post", "Talks in Lima", "http://x")
    assert doc.date_source == "metadata" and doc.published_bound is None
    assert doc.text == ARTICLE
    assert len(doc.content_hash) == 64 and doc.content_hash == content_hash(doc)


def test_txt_without_manifest_uses_stem_and_never_ingest_time(write):
    path = write("peru-talks.txt", ARTICLE)
    [doc] = list(load_paths([path]))
    assert doc.id == "peru-talks" and doc.published is None
    assert doc.date_source == "none" and doc.published_bound is None


def test_date_bound_from_text_when_metadata_has_none(write):
    path = write("bound.txt", "The ceasefire signed on March 3, 2025 held through the week.\n")
    [doc] = list(load_paths([path]))
    assert doc.published is None
    assert (doc.published_bound, doc.date_source) == ("2025-03-03", "text-bound")


def test_folders_are_walked_recursively_and_manifests_apply_per_folder(write, tmp_path):
    write("c/one.txt", ARTICLE)
    write("c/sub/two.txt", ARTICLE.replace("Lima", "Arica"))
    write("c/sub/manifest.jsonl", json.dumps({"id": "second", "path": "two.txt", "published": "2025-01-05"}))
    write("c/notes.md", "not an article")
    docs, problems = split(load_paths([tmp_path / "c"]))
    assert [(type(p).__name__, p.reason) for p in problems] == [("Notice", "1 files of other types skipped (.md)")]
    assert sorted(d.id for d in docs) == ["one", "second"]
    assert {d.id: d.published for d in docs} == {"one": None, "second": "2025-01-05"}


def test_html_main_text_and_head_metadata(write):
    html = ("<html><head><title>Lima talks | Andes Post</title>"
            "<meta property='og:site_name' content='Andes Post'>"
            "<meta property='article:published_time' content='2025-02-03T09:00:00Z'></head><body>"
            "<nav>Home | World | Sport</nav><article><h1>Lima talks</h1>"
            "<p>Ministers from Chile and Peru met in Lima on Monday to discuss a maritime boundary.</p>"
            "<p>They agreed to meet again in Santiago next month, officials said.</p></article></body></html>")
    [doc] = list(load_paths([write("lima.html", html)]))
    assert "met in Lima on Monday" in doc.text and "Sport" not in doc.text
    assert "<p>" not in doc.text
    assert doc.published == "2025-02-03" and doc.outlet == "Andes Post"


def test_html_without_date_metadata_gets_no_published_date(write):
    html = ("<html><head><title>Border talks</title></head><body><article>"
            "<p>Chile and Peru signed a fisheries accord on March 3, 2025, in Lima, officials said on Friday.</p>"
            "<p>The two governments agreed to review it every two years.</p></article></body></html>")
    [doc] = list(load_paths([write("talks.html", html)]))
    assert doc.published is None and doc.date_source != "metadata"


def test_json_object_and_list(write):
    one = write("one.json", json.dumps({"id": "solo", "text": ARTICLE, "published": "2025-02-03T10:00:00"}))
    many = write("many.json", json.dumps([{"text": ARTICLE}, {"text": ARTICLE + "More."}, {"title": "no body"}]))
    docs, problems = split(load_paths([one, many]))
    assert [d.id for d in docs] == ["solo", "many-0", "many-1"]
    assert docs[0].published == "2025-02-03"
    assert [(p.source, "'text'" in p.reason) for p in problems] == [(f"{many}#2", True)]


def test_jsonl_reports_bad_lines_and_keeps_the_rest(write):
    lines = [json.dumps({"id": "a1", "text": ARTICLE, "outlet": "Andes Post"}),
             '{"id": "a2", "text": "unterminated',
             json.dumps({"id": "a3", "title": "missing text"}),
             "",
             json.dumps({"text": ARTICLE.replace("Lima", "Tacna")})]
    path = write("batch.jsonl", "\n".join(lines))
    docs, problems = split(load_paths([path]))
    assert [d.id for d in docs] == ["a1", "batch-5"]
    assert [p.source for p in problems] == [f"{path}:2", f"{path}:3"]
    assert "malformed JSON" in problems[0].reason and "text" in problems[1].reason


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", "  \n\n ", "empty"),
    ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary"),
    ("latin.txt", "Caf\u00e9 talks in S\u00e3o Paulo ended.".encode("latin-1"), "not UTF-8"),
    ("broken.json", "{\"text\": ", "malformed JSON"),
    ("list.json", "[1, 2]", "not a JSON object"),
])
def test_bad_inputs_are_problems_and_the_batch_goes_on(write, tmp_path, name, content, reason):
    good = write("good.txt", ARTICLE)
    bad = write(name, content)
    docs, problems = split(load_paths([bad, good]))
    assert [d.id for d in docs] == ["good"]
    assert problems and all(p.source.startswith(str(bad)) for p in problems)
    assert reason in problems[0].reason


def test_huge_input_is_refused(write):
    path = write("huge.txt", "word " * 2000)
    [problem] = list(load_paths([path], max_bytes=1000))
    assert problem.source == str(path) and "too large" in problem.reason


def test_unreadable_file_is_a_problem(write, monkeypatch):
    path = write("locked.txt", ARTICLE)
    original = Path.read_bytes

    def refuse(self):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return original(self)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    [problem] = list(load_paths([path]))
    assert "unreadable" in problem.reason and "Permission denied" in problem.reason


def test_missing_and_unsupported_paths(write, tmp_path):
    pdf = write("report.pdf", "%PDF-1.4")
    problems = list(load_paths([tmp_path / "nowhere.txt", pdf]))
    assert [p.source for p in problems] == [str(tmp_path / "nowhere.txt"), str(pdf)]
    assert "no such file" in problems[0].reason and "unsupported" in problems[1].reason


def test_duplicate_ids_are_refused(write, tmp_path):
    write("x/same.txt", ARTICLE)
    write("y/same.txt", ARTICLE)
    docs, problems = split(load_paths([tmp_path / "x", tmp_path / "y"]))
    assert [d.id for d in docs] == ["same"]
    assert "duplicate id" in problems[0].reason and problems[0].source.endswith("y/same.txt")


def test_bom_and_windows_line_ends(write):
    path = write("bom.txt", "\ufeffLine one.\r\nLine two.\r\n".encode("utf-8"))
    [doc] = list(load_paths([path]))
    assert doc.text == "Line one.\nLine two.\n"


def test_content_hash_follows_text_and_metadata():
    base = Document(id="a", text="Some text.", title="T", published="2025-01-01")
    changed_title = Document(id="a", text="Some text.", title="T2", published="2025-01-01")
    assert content_hash(base) != content_hash(changed_title)
    assert content_hash(base) == content_hash(Document(id="a", text="Some text.", title="T", published="2025-01-01"))


def test_content_hash_follows_the_extraction_too(monkeypatch):
    import dyad.ingest
    document = Document(id="a", text="Some text.", title="T", published="2025-01-01")
    before = content_hash(document)
    monkeypatch.setattr(dyad.ingest, "extraction_fingerprint", lambda: "another dyad")
    assert content_hash(document) != before


@pytest.mark.parametrize("setting", ["DYAD_CODEBOOK", "DYAD_ACTORS"])
def test_the_extraction_fingerprint_follows_the_files_a_setting_names(tmp_path, monkeypatch, setting):
    from dyad.ingest import extraction_fingerprint
    mine = tmp_path / "mine.yaml"
    mine.write_text("verbs: []\n")
    monkeypatch.setenv(setting, str(mine))
    extraction_fingerprint.cache_clear()
    first = extraction_fingerprint()
    mine.write_text("verbs: [{id: mine.scold, lemma: scold, type: ACCUSE}]\n")
    extraction_fingerprint.cache_clear()
    assert extraction_fingerprint() != first
    monkeypatch.delenv(setting)
    extraction_fingerprint.cache_clear()


def test_iso_date_accepts_dates_and_timestamps_only():
    assert iso_date("2024-10-23") == "2024-10-23"
    assert iso_date("2024-10-23T08:15:00+03:00") == "2024-10-23"
    assert iso_date("yesterday") is None and iso_date(None) is None
    assert iso_date("2024-13-45") is None and iso_date("2024-02-30") is None
    assert iso_date("2024-01-01garbage") is None and iso_date("2024-01-01T25:00") is None
    assert iso_date("2024-10-23T08:15:00Z") == "2024-10-23" and iso_date(20241023) is None


def test_cutting_runs_that_are_not_prose_is_linear_and_leaves_prose_alone():
    from dyad.ingest import cut_long_runs

    prose = "Talks resumed. " * 10_000
    notes = []
    assert cut_long_runs(prose, 2_000, notes) == prose and notes == []
    runs = ("x" * 1_999 + ".") * 500 + "y" * 1_000_000  # many runs just under the limit, then one huge run
    cut = cut_long_runs(runs, 2_000, notes)
    assert cut == ("x" * 1_999 + ".") * 500 + "y" * 2_000
    assert notes == ["1 stretch(es) of text without a sentence end longer than 2,000 characters "
                     "(longest 1,000,000) cut to 2,000: not prose"]


def test_a_failing_extraction_is_a_problem_and_the_others_are_saved(write, tmp_path):
    from dyad.ingest import ingest_paths
    from dyad.records import Extraction
    from dyad.store import Store

    class FussyPipeline:
        def extract(self, document):
            if "Arica" in document.text:
                raise ValueError("cannot read this one")
            return Extraction(document=document)

    write("in/a.txt", ARTICLE)
    write("in/b.txt", ARTICLE.replace("Lima", "Arica"))
    with Store(tmp_path / "t.duckdb") as store:
        report = ingest_paths([tmp_path / "in"], store, pipeline_factory=FussyPipeline)
        assert (report.new, report.failed) == (1, 1)
        assert report.problems[0].source.endswith("b.txt") and "cannot read this one" in report.problems[0].reason
        assert [d["doc_id"] for d in store.documents()] == ["a"]
        again = ingest_paths([tmp_path / "in"], store, pipeline_factory=FussyPipeline)
        assert (again.new, again.unchanged, again.failed) == (0, 1, 1)
