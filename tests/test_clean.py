"""Boilerplate, repeated titles, photo credits and captions; segments are ranges into the original text."""
from __future__ import annotations

from dyad.clean import load_rules, segment
from dyad.records import Document


def pieces(text: str, title: str | None = None) -> list[tuple[str, str]]:
    doc = Document(id="t", text=text, title=title)
    segments = segment(doc)
    for s in segments:  # offsets always point back into the untouched text
        assert 0 <= s.start < s.end <= len(text)
    return [(s.kind, text[s.start:s.end]) for s in segments]


def test_title_kept_once_and_repeats_dropped():
    text = ("Ministers meet in Seoul\n\nMinisters meet in Seoul\n\n"
            "The foreign ministers met on Monday.\nThe foreign ministers met on Monday.\n")
    assert pieces(text, title="Ministers  meet in Seoul") == [
        ("title", "Ministers meet in Seoul"), ("body", "The foreign ministers met on Monday.")]


def test_title_matches_across_quote_styles():
    text = "Seoul ready for a \u201cnew chapter\u201d with Tokyo\nOfficials met on Monday.\n"
    assert pieces(text, title='Seoul ready for a "new chapter" with Tokyo')[0][0] == "title"


def test_first_line_without_metadata_title():
    assert pieces("Border talks resume\nThe talks resumed on Monday.\n")[0] == ("title", "Border talks resume")
    assert pieces("The talks resumed on Monday.\nBoth sides were present.\n")[0][0] == "body"


def test_photo_credits_are_dropped():
    credits = ["Jane Doe | Getty Images", "John Roe Via Reuters", "Contributor | Getty Images News | Getty Images",
               "AFP via Getty Images", "Photo: Kim Lee/Yonhap", "Ana Silva | Harbour Photo Desk"]
    text = "Talks in Lima\n" + "\n".join(f"Paragraph {i} says the talks went well.\n{c}" for i, c in enumerate(credits))
    kept = [t for _, t in pieces(text)]
    assert not any(c in kept for c in credits)
    assert sum(t.startswith("Paragraph") for t in kept) == len(credits)


def test_furniture_lines_are_dropped():
    text = ("Talks in Lima\nThe talks went well, officials said.\nLeave a Comment\nOriginal Source Link\n"
            "Read more: Why the border matters\nShare this\nAdvertisement\n")
    assert pieces(text) == [("title", "Talks in Lima"), ("body", "The talks went well, officials said.")]


def test_bare_section_label_is_dropped():
    text = "Talks in Lima\nThe talks went well, officials said.\n\nDiplomacy\n\nA second round is planned.\n"
    assert [t for _, t in pieces(text)] == ["Talks in Lima", "The talks went well, officials said.",
                                            "A second round is planned."]


def test_caption_followed_by_credit():
    text = ("Talks in Lima\nAerial view of the harbour where the delegations met\nJane Doe | Getty Images\n"
            "The delegations met on Monday.\n")
    assert ("caption", "Aerial view of the harbour where the delegations met") in pieces(text)


def test_caption_by_prefix_and_by_position_markers():
    text = ("Talks in Lima\nIn this photo released by the ministry, two envoys sit at a table.\n"
            "Peru's foreign minister (L) greets his Chilean counterpart (R) at the palace\n"
            "The envoys met on Monday.\n")
    kinds = pieces(text)
    assert [k for k, _ in kinds] == ["title", "caption", "caption", "body"]


def test_present_tense_line_ending_in_date_and_place_is_a_caption():
    caption = "Chile's President greets Peru's foreign minister at the palace, March 3, 2025, in Santiago, Chile."
    prose = "Chile's President greeted Peru's foreign minister at the palace on March 3, 2025, in Santiago."
    kinds = dict((t, k) for k, t in pieces(f"Talks in Lima\n{caption}\n{prose}\n"))
    assert kinds[caption] == "caption" and kinds[prose] == "body"


def test_bullets_keep_their_text_without_the_bullet():
    text = "Talks in Lima\n  \u2022 Chile and Peru signed a fisheries accord.\n- Both agreed to meet in May.\n"
    assert pieces(text)[1:] == [("body", "Chile and Peru signed a fisheries accord."),
                               ("body", "Both agreed to meet in May.")]


def test_patterns_come_from_the_data_file():
    rules = load_rules()
    assert "leave a comment" in rules.drop_lines
    assert any(p.search("Jane Doe | Getty Images") for p in rules.credit_patterns)
