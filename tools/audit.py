"""Offline dependency audit: match the pins of requirements.lock against OSV advisories.

The advisories come from a checkout of the PyPA advisory database
(https://github.com/pypa/advisory-database: ``vulns/<package>/PYSEC-*.yaml``, OSV format).
An advisory applies when the pinned version falls in one of its ECOSYSTEM ranges or is in
its explicit ``versions`` list. Applicable advisories not accepted in ``audit-accepted.yml``
(advisory id or alias -> one-line reason) make the exit status 1.

    python tools/audit.py --advisories ../advisory-database --lock requirements.lock
"""

import argparse
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml
from packaging.version import InvalidVersion, Version

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCK = ROOT / "requirements.lock"
DEFAULT_ACCEPTED = ROOT / "audit-accepted.yml"
SUMMARY_WIDTH = 70

Advisory = Dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One advisory that applies to one pinned package."""

    package: str
    version: str
    advisory_id: str
    aliases: Tuple[str, ...]
    fixed_in: Tuple[str, ...]
    summary: str
    accepted_reason: Optional[str] = None


def normalize(name: str) -> str:
    """Normalise a distribution name as PEP 503 does (``Foo_Bar.baz`` -> ``foo-bar-baz``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> List[Tuple[str, str]]:
    """Return the ``(name, version)`` pins of a pip-freeze style lock file."""
    pins = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*(\S+)", line)
        if not match:
            raise ValueError(f"{path}:{number}: not a name==version pin: {raw!r}")
        pins.append((match.group(1), match.group(3)))
    return pins


def load_advisories(database: Path, names: Iterable[str]) -> Dict[str, List[Advisory]]:
    """Load the OSV advisories of the given packages, keyed by normalised name.

    ``database`` is the advisory-database checkout or its ``vulns`` folder; each package
    has a folder named after it holding one YAML (or JSON) file per advisory.
    """
    vulns = database / "vulns" if (database / "vulns").is_dir() else database
    if not vulns.is_dir():
        raise FileNotFoundError(f"no advisory database at {database} (expected a vulns/ folder)")
    wanted = {normalize(name) for name in names}
    advisories: Dict[str, List[Advisory]] = {name: [] for name in wanted}
    for folder in sorted(vulns.iterdir()):
        if not folder.is_dir() or normalize(folder.name) not in wanted:
            continue
        for file in sorted(folder.iterdir()):
            if file.suffix not in (".yaml", ".yml", ".json"):
                continue
            advisory = yaml.safe_load(file.read_text(encoding="utf-8"))
            if not isinstance(advisory, dict) or "id" not in advisory:
                raise ValueError(f"{file}: not an OSV advisory")
            if advisory.get("withdrawn"):
                continue
            advisories[normalize(folder.name)].append(advisory)
    return advisories


def _parse(text: str, warn: bool = True) -> Optional[Version]:
    """Parse a version, or None (with a warning for range bounds) when it is not PEP 440."""
    try:
        return Version(text)
    except InvalidVersion:
        if warn:
            logger.warning("ignoring a range bound that is not a PEP 440 version: %r", text)
        return None


def in_range(version: Version, events: Sequence[Dict[str, str]]) -> bool:
    """Whether ``version`` lies in an OSV ECOSYSTEM range given by its events."""
    bounds = []
    for event in events:
        for kind, text in event.items():
            bound = Version("0") if kind == "introduced" and text == "0" else _parse(str(text))
            if bound is not None and kind in ("introduced", "fixed", "last_affected"):
                bounds.append((bound, kind))
    affected = False
    for bound, kind in sorted(bounds, key=lambda item: item[0]):
        if kind == "introduced" and version >= bound:
            affected = True
        elif kind == "fixed" and version >= bound:
            affected = False
        elif kind == "last_affected" and version > bound:
            affected = False
    return affected


def affects(advisory: Advisory, name: str, version: str) -> Tuple[bool, Tuple[str, ...]]:
    """Whether the advisory applies to ``name==version``, and the fixed versions it names."""
    pinned = _parse(version)
    hit = False
    fixed: List[str] = []
    for entry in advisory.get("affected") or []:
        package = entry.get("package") or {}
        if package.get("ecosystem") != "PyPI" or normalize(package.get("name", "")) != normalize(name):
            continue
        listed = [_parse(str(v), warn=False) for v in entry.get("versions") or []]
        if pinned is not None and pinned in listed:
            hit = True
        for rng in entry.get("ranges") or []:
            if rng.get("type") != "ECOSYSTEM":
                continue
            events = rng.get("events") or []
            fixed += [str(e["fixed"]) for e in events if "fixed" in e]
            if pinned is not None and in_range(pinned, events):
                hit = True
    return hit, tuple(dict.fromkeys(fixed))


def load_accepted(path: Path) -> Dict[str, str]:
    """Read the allowlist: advisory id or alias -> the one-line reason it is accepted."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of advisory id to reason")
    for key, reason in data.items():
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{path}: {key} needs a one-line reason")
    return {str(key): reason.strip() for key, reason in data.items()}


def audit(
    pins: Sequence[Tuple[str, str]], advisories: Dict[str, List[Advisory]], accepted: Dict[str, str]
) -> List[Finding]:
    """Every advisory that applies to a pin, with the allowlist's reason when it is accepted."""
    findings = []
    for name, version in pins:
        for advisory in advisories.get(normalize(name), []):
            hit, fixed = affects(advisory, name, version)
            if not hit:
                continue
            aliases = tuple(advisory.get("aliases") or ())
            reason = next((accepted[key] for key in (advisory["id"], *aliases) if key in accepted), None)
            text = advisory.get("summary") or advisory.get("details") or ""
            summary = " ".join(text.split())
            if len(summary) > SUMMARY_WIDTH:
                summary = summary[: SUMMARY_WIDTH - 3] + "..."
            findings.append(Finding(name, version, advisory["id"], aliases, fixed, summary, reason))
    return findings


def format_table(findings: Sequence[Finding]) -> str:
    """A plain-text table of the findings, one per line."""
    header = ("status", "package", "version", "advisory", "aliases", "fixed in", "summary")
    rows = [header] + [
        (
            "accepted" if f.accepted_reason else "OPEN",
            f.package,
            f.version,
            f.advisory_id,
            ",".join(a for a in f.aliases if a.startswith("CVE-")) or "-",
            ",".join(f.fixed_in) or "-",
            f.summary,
        )
        for f in findings
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the audit; 1 when an applicable advisory is not accepted, 2 on bad input."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisories", type=Path, required=True, help="PyPA advisory-database checkout")
    parser.add_argument("--lock", type=Path, default=DEFAULT_LOCK, help="pip-freeze style lock file")
    parser.add_argument("--accepted", type=Path, default=DEFAULT_ACCEPTED, help="allowlist: id -> reason")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        pins = read_lock(args.lock)
        advisories = load_advisories(args.advisories, (name for name, _ in pins))
        accepted = load_accepted(args.accepted)
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    findings = audit(pins, advisories, accepted)
    if findings:
        print(format_table(findings))
    seen = {key for f in findings for key in (f.advisory_id, *f.aliases)}
    for stale in sorted(set(accepted) - seen):
        print(f"note: {args.accepted.name} accepts {stale}, which no longer applies: remove it")
    open_findings = [f for f in findings if not f.accepted_reason]
    packages = len({normalize(f.package) for f in findings})
    print(
        f"{len(pins)} pins checked: {len(findings)} advisories apply to {packages} packages, "
        f"{len(findings) - len(open_findings)} accepted, {len(open_findings)} open"
    )
    return 1 if open_findings else 0


if __name__ == "__main__":
    sys.exit(main())
