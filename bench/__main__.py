"""Entry point: python -m bench [--no-http] [--no-hostile] [--job-rows N] [--markdown FILE] (bench/serving.py)."""

import sys

from bench.serving import main

sys.exit(main())
