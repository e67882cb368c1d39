"""`python -m rasa_sdk` (the action server) without TensorFlow.

The actions need spaCy's blank English pipeline and rule-based components only, but spaCy's
thinc imports TensorFlow whenever it is installed (thinc.compat), and Rasa installs it: with
it the action server took 360 MB (PSS) instead of about 100 MB, for a library it never uses.
Here `import tensorflow` fails in this process, so thinc goes without it; nothing else
changes. `server/serve.py` and `make shell` start the action server through this file.
"""

import sys


def without_tensorflow() -> None:
    """Make `import tensorflow` raise ImportError in this process (before anything imports it)."""
    if "tensorflow" not in sys.modules:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]


if __name__ == "__main__":
    without_tensorflow()
    from rasa_sdk.__main__ import main

    main()
