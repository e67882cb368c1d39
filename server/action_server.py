"""`python -m rasa_sdk` (the action server) without TensorFlow.

The actions need spaCy's blank English pipeline and rule-based components only, but spaCy's
thinc imports TensorFlow whenever it is installed (thinc.compat), and Rasa installs it: with
it the action server took 360 MB (PSS) instead of about 100 MB, for a library it never uses.
Here `import tensorflow` fails in this process, so thinc goes without it; nothing else
changes. `server/serve.py` starts the action server through this file, and only for endpoints
whose action endpoint has a `url` (endpoints.production.yml, `make bench ARGS=--production`).
With the default endpoints.yml the actions run in the Rasa process (server/rasa_server.py, 7):
`make run` then starts no action server, and `make shell` and `make conversations` never do.
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
