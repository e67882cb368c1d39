"""The offline audit: lock parsing, OSV range matching, name normalisation and the allowlist."""

from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from packaging.version import Version

from tools import audit


def advisory(
    ident: str, name: str, events: List[Dict[str, str]], versions: Any = (), **extra: Any
) -> Dict[str, Any]:
    return {
        "id": ident,
        "summary": f"{name} is broken",
        "affected": [
            {
                "package": {"name": name, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
                "versions": list(versions),
            }
        ],
        **extra,
    }


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A tiny advisory database laid out like pypa/advisory-database."""
    entries = {
        "demo/PYSEC-1.yaml": advisory(
            "PYSEC-1", "demo", [{"introduced": "0"}, {"fixed": "1.5"}], aliases=["CVE-1"]
        ),
        "demo/PYSEC-2.yaml": advisory("PYSEC-2", "demo", [{"introduced": "2.0"}, {"fixed": "2.1"}]),
        "demo/PYSEC-3.yaml": advisory("PYSEC-3", "demo", [{"introduced": "1.0"}, {"last_affected": "1.2"}]),
        "demo/PYSEC-4.yaml": advisory("PYSEC-4", "demo", [], versions=["1.3", "not.a.version!"]),
        "demo/PYSEC-5.yaml": advisory(
            "PYSEC-5", "demo", [{"introduced": "0"}], withdrawn="2024-01-01T00:00:00Z"
        ),
        "ruamel-yaml/PYSEC-6.yaml": advisory("PYSEC-6", "Ruamel_YAML", [{"introduced": "0"}]),
    }
    for relative, content in entries.items():
        path = tmp_path / "db" / "vulns" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(content))
    return tmp_path / "db"


def found(database: Path, pins: List[tuple], accepted: Dict[str, str] = None) -> List[audit.Finding]:
    advisories = audit.load_advisories(database, (name for name, _ in pins))
    return audit.audit(pins, advisories, accepted or {})


@pytest.mark.parametrize(
    "version, expected",
    [
        ("1.0", ["PYSEC-1", "PYSEC-3"]),  # before the fix, and inside the last_affected range
        ("1.2", ["PYSEC-1", "PYSEC-3"]),  # last_affected is inclusive
        ("1.3", ["PYSEC-1", "PYSEC-4"]),  # past last_affected; named in a versions list
        ("1.5", []),  # fixed is exclusive
        ("2.0.1", ["PYSEC-2"]),  # a second, later range
        ("2.1", []),
        ("0.9", ["PYSEC-1"]),  # before last_affected's introduced
    ],
)
def test_a_pin_is_affected_only_inside_a_range_or_a_versions_list(database, version, expected):
    assert [f.advisory_id for f in found(database, [("demo", version)])] == expected


def test_withdrawn_advisories_are_ignored(database):
    assert "PYSEC-5" not in {f.advisory_id for f in found(database, [("demo", "0.1")])}


def test_names_are_normalised_as_pep_503_says(database):
    assert audit.normalize("Ruamel_YAML") == audit.normalize("ruamel.yaml") == "ruamel-yaml"
    assert [f.advisory_id for f in found(database, [("ruamel.yaml", "0.17.21")])] == ["PYSEC-6"]


def test_a_finding_names_its_aliases_and_fixed_versions(database):
    (finding,) = found(database, [("demo", "1.4")])
    assert (finding.package, finding.version, finding.advisory_id) == ("demo", "1.4", "PYSEC-1")
    assert finding.aliases == ("CVE-1",)
    assert finding.fixed_in == ("1.5",)
    assert finding.accepted_reason is None


def test_in_range_sorts_events_by_version():
    events = [{"fixed": "2"}, {"introduced": "1"}]
    assert audit.in_range(Version("1.5"), events)
    assert not audit.in_range(Version("2"), events)
    assert not audit.in_range(Version("0.5"), events)


def test_the_lock_is_read_as_name_version_pins(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\n\nDemo_Pkg==1.0\nextra[x]==2.0 ; python_version < '4'\n")
    assert audit.read_lock(lock) == [("Demo_Pkg", "1.0"), ("extra", "2.0")]
    lock.write_text("demo>=1.0\n")
    with pytest.raises(ValueError, match="requirements.lock:1"):
        audit.read_lock(lock)


def test_the_allowlist_needs_a_reason_per_entry(tmp_path):
    accepted = tmp_path / "audit-accepted.yml"
    accepted.write_text("PYSEC-1: not reachable here\n")
    assert audit.load_accepted(accepted) == {"PYSEC-1": "not reachable here"}
    accepted.write_text("PYSEC-1:\n")
    with pytest.raises(ValueError, match="PYSEC-1 needs a one-line reason"):
        audit.load_accepted(accepted)
    assert audit.load_accepted(tmp_path / "absent.yml") == {}


def write_run(tmp_path: Path, lock: str, accepted: str) -> List[str]:
    (tmp_path / "requirements.lock").write_text(lock)
    (tmp_path / "audit-accepted.yml").write_text(accepted)
    return [
        "--advisories",
        str(tmp_path / "db"),
        "--lock",
        str(tmp_path / "requirements.lock"),
        "--accepted",
        str(tmp_path / "audit-accepted.yml"),
    ]


def test_main_fails_on_an_advisory_that_is_not_accepted(database, tmp_path, capsys):
    assert audit.main(write_run(tmp_path, "demo==1.4\n", "PYSEC-9: gone\n")) == 1
    out = capsys.readouterr().out
    assert "OPEN" in out and "PYSEC-1" in out and "CVE-1" in out and "1.5" in out
    assert "accepts PYSEC-9, which no longer applies" in out


def test_main_passes_when_every_advisory_is_accepted_by_id_or_alias(database, tmp_path, capsys):
    assert audit.main(write_run(tmp_path, "demo==1.4\n", "CVE-1: the demo is not deployed\n")) == 0
    assert "1 accepted, 0 open" in capsys.readouterr().out


def test_main_passes_on_a_clean_lock(database, tmp_path):
    assert audit.main(write_run(tmp_path, "demo==1.5\nunknown==1.0\n", "")) == 0


def test_a_missing_database_is_a_clear_error(tmp_path, capsys):
    args = write_run(tmp_path, "demo==1.0\n", "")
    assert audit.main(args) == 2
    assert f"no advisory database at {tmp_path / 'db'}" in capsys.readouterr().err
