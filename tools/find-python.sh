#!/usr/bin/env bash
# Print the path of a Python interpreter that Rasa 3.6 supports (3.8 to 3.10), or
# explain how to get one. $PYTHON, when set, is tried first.
set -u
pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
candidates=("${PYTHON:-}" python3.10 "$pyenv_root"/versions/3.10*/bin/python3.10)
# Well-known install places; PYTHON_SEARCH_ONLY_PATH=1 skips them (used by the tests).
if [ -z "${PYTHON_SEARCH_ONLY_PATH:-}" ]; then
  candidates+=(/root/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10)
fi
candidates+=(python3.9 python3.8 python3)
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
printf '%s\n' >&2 \
  "error: no Python 3.8-3.10 interpreter found; Rasa 3.6 does not run on Python 3.11 or newer." \
  "Install Python 3.10, then run the command again:" \
  "  pyenv:  pyenv install 3.10.13" \
  "  Debian: apt-get install python3.10 python3.10-venv   (where the release packages it)" \
  "or point to one you have:  make run PYTHON=/path/to/python3.10"
exit 1
