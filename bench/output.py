"""How a bench script hands back its result: as JSON on stdout, and in a file too when one is named."""

import json
from pathlib import Path


def emit(result: dict, path: Path | None = None) -> int:
    """Print `result` as JSON (and write it to `path`); the script's exit status, 0."""
    text = json.dumps(result, indent=1)
    if path:
        path.write_text(text)
    print(text)
    return 0
