"""`pip check` that allows exactly the overrides of requirements-overrides.txt.

Every other conflict between installed packages fails, and so does an override that no
longer matches what is installed (the lock and the overrides drifted apart).

    python tools/check_requirements.py --overrides requirements-overrides.txt
"""

import argparse
import logging
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Sequence

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OVERRIDES = ROOT / "requirements-overrides.txt"
# pip 24's wording of a version conflict.
CONFLICT = re.compile(
    r"^(?P<owner>\S+) (?P<owner_version>\S+) has requirement (?P<requirement>.+), but you have (?P<name>\S+) (?P<version>\S+)\.$"
)


def read_overrides(path: Path) -> Dict[str, str]:
    """The pinned overrides of a requirements file: canonical name -> version."""
    overrides = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        pins = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        if len(pins) != 1:
            raise ValueError(f"{path}:{number}: an override must pin one version with ==, not {line!r}")
        overrides[canonicalize_name(requirement.name)] = pins[0]
    return overrides


def unallowed(report: Sequence[str], overrides: Dict[str, str]) -> List[str]:
    """The lines of a `pip check` report that the overrides do not allow."""
    problems = []
    for line in (line.strip() for line in report):
        if not line or line.startswith("No broken requirements"):
            continue
        conflict = CONFLICT.match(line)
        if conflict and overrides.get(canonicalize_name(conflict["name"])) == conflict["version"]:
            logger.info("allowed override: %s", line)
            continue
        problems.append(line)
    return problems


def installed_version(name: str) -> str:
    """The installed version of a distribution, or "" when it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def main(argv: Sequence[str] = ()) -> int:
    """Run `pip check`; exit 1 on a conflict no override allows, or a stale override."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overrides", type=Path, default=DEFAULT_OVERRIDES)
    args = parser.parse_args(argv or None)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    overrides = read_overrides(args.overrides)
    stale = [
        f"{name}=={pin} is overridden but {installed_version(name) or 'nothing'} is installed"
        for name, pin in overrides.items()
        if installed_version(name) != pin
    ]
    check = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    conflicts = unallowed(check.stdout.splitlines(), overrides)
    for problem in stale:
        logger.error("error: %s", problem)
    for problem in conflicts:
        logger.error("error: %s (no override in %s allows it)", problem, args.overrides.name)
    return 1 if stale or conflicts else 0


if __name__ == "__main__":
    sys.exit(main())
