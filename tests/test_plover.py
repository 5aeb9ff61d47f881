"""The PLOVER vocabulary file: modes and the other names they go by."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from dyad.plover import modes, plover_mode
from dyad.schemas import PloverFile


def test_other_names_of_a_mode_read_as_plovers_name():
    assert plover_mode("ASSAULT", "airstrike") == "heavy-weapons"
    assert plover_mode("ASSAULT", "small-arms") == "firearms"
    assert plover_mode("PROTEST", "demo-org") == "demo"


def test_a_name_is_read_within_its_type_and_an_unknown_one_is_kept():
    assert plover_mode("COERCE", "blockade") == "restrict"
    assert plover_mode("CONSULT", "blockade") == "blockade"
    assert plover_mode("ASSAULT", "heavy-weapons") == "heavy-weapons"
    assert plover_mode("ASSAULT", None) is None


def test_modes_keep_the_files_order_as_precedence():
    names = list(modes("ASSAULT"))
    assert names.index("suicide-attack") < names.index("explosives")


def test_modes_of_a_type_the_file_does_not_list_are_an_error():
    with pytest.raises(ValidationError, match="FOO"):
        PloverFile.model_validate({"types": {"AGREE": {"score": 4.0, "family": "verbal-coop"}},
                                   "modes": {"FOO": {"x": {"cues": ["y"]}}}})
