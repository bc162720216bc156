"""`python -m ml.explore`: see ml.explore.command."""

import sys

from ml.explore.command import main

sys.exit(main())
