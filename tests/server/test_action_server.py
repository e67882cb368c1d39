"""The action server's launcher keeps TensorFlow out (server/action_server.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
from server.action_server import without_tensorflow
without_tensorflow()
import sys
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")
from knowledge.extract import load_pipeline
from knowledge.language import lemma
sentences = list(load_pipeline()("Jinchang is in Gansu. It has temples.").sents)
assert len(sentences) == 2 and lemma("temples") == "temple", "spaCy works without TensorFlow"
loaded = {name.split(".")[0] for name, module in sys.modules.items() if module is not None}
print(sorted(loaded & {"tensorflow", "keras", "rasa"}))
"""


def test_the_actions_load_and_spacy_works_without_tensorflow():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
