"""Entry point: python -m bench [--quick] [--markdown FILE]."""

import sys

from bench.serving import main

sys.exit(main())
