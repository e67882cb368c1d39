"""Answering needs no model: the actions import neither spaCy nor TensorFlow (the builder
alone reads documents with spaCy), so an action server or a Rasa worker that runs them
loads in a fraction of a second and carries no second copy of either."""

import subprocess
import sys

from tests.conftest import ROOT


def test_the_actions_import_no_spacy_and_no_tensorflow():
    probe = (
        "import sys\n"
        "import actions.attractions, actions.base, actions.city, actions.fallback, knowledge.answer\n"
        "print(sorted(m for m in ('spacy', 'tensorflow', 'thinc') if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]"
