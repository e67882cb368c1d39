"""`python -m report` (make report): see report/__init__.py."""

import sys

from report import main

sys.exit(main())
