"""`python -m ml.exploration`: see ml.exploration.command."""

import sys

from ml.exploration.command import main

sys.exit(main())
