"""tools/find-python.sh finds a Python Rasa 3.6 runs on, or says how to install one."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_find_python_prints_a_supported_interpreter():
    result = subprocess.run(
        [str(ROOT / "tools" / "find-python.sh")], capture_output=True, text=True, check=True
    )
    version = subprocess.run(
        [result.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() in ("(3, 8)", "(3, 9)", "(3, 10)")


def test_find_python_explains_what_to_install_when_none_is_found(tmp_path: Path):
    env = {
        "PATH": str(tmp_path),
        "HOME": str(tmp_path),
        "PYENV_ROOT": str(tmp_path),
        "PYTHON_SEARCH_ONLY_PATH": "1",
    }
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "tools" / "find-python.sh")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert "pyenv install 3.10" in result.stderr and "PYTHON=" in result.stderr
