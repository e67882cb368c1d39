"""The install check: exactly the listed overrides may conflict with what packages declare."""

import pytest

from tools.check_requirements import DEFAULT_OVERRIDES, read_overrides, unallowed

AIOHTTP = "rasa 3.6.21 has requirement aiohttp<3.10,>=3.9.0, but you have aiohttp 3.14.5."


def test_overrides_are_read_as_pinned_versions_by_canonical_name(tmp_path):
    overrides = tmp_path / "overrides.txt"
    overrides.write_text("# why\naiohttp==3.14.5  # a comment\n\nPyMongo==4.6.3\n")
    assert read_overrides(overrides) == {"aiohttp": "3.14.5", "pymongo": "4.6.3"}


@pytest.mark.parametrize("line", ["aiohttp>=3.10", "aiohttp", "aiohttp==3.14.5,==3.14.4"])
def test_an_override_that_pins_no_single_version_is_an_error_naming_its_line(tmp_path, line):
    overrides = tmp_path / "overrides.txt"
    overrides.write_text(f"# why\n{line}\n")
    with pytest.raises(ValueError, match=r"overrides.txt:2: an override must pin one version"):
        read_overrides(overrides)


def test_the_listed_override_is_allowed_and_nothing_else():
    overrides = {"aiohttp": "3.14.5"}
    other = "rasa 3.6.21 has requirement attrs<22.2,>=19.3, but you have attrs 23.1.0."
    missing = "rasa 3.6.21 requires tarsafe, which is not installed."
    assert unallowed(["No broken requirements found."], overrides) == []
    assert unallowed([AIOHTTP], overrides) == []
    assert unallowed([AIOHTTP, other, missing], overrides) == [other, missing]


def test_an_override_of_another_version_does_not_allow_the_conflict():
    assert unallowed([AIOHTTP], {"aiohttp": "3.14.4"}) == [AIOHTTP]


def test_the_project_overrides_parse_and_each_says_why():
    text = DEFAULT_OVERRIDES.read_text(encoding="utf-8")
    overrides = read_overrides(DEFAULT_OVERRIDES)
    assert "aiohttp" in overrides
    for name in overrides:
        assert f"Overrides rasa 3.6.21's {name}" in text or f"and {name}" in text, name
