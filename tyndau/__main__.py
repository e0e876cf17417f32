"""``python -m tyndau`` is the ``tyndau`` command."""

import sys

from tyndau.cli import main

sys.exit(main())
