"""How a bench script hands back its result: as JSON on stdout (and in a file when one is named), or as rows of
the markdown table that bench/RESULTS.md holds."""

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    path: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None
    extra: dict = field(default_factory=dict)


def emit(result: dict, path: Path | None = None) -> int:
    """Print `result` as JSON (and write it to `path`); the script's exit status, 0."""
    text = json.dumps(result, indent=1)
    if path:
        path.write_text(text)
    print(text)
    return 0


def render(rows: list[Row], header: dict) -> str:
    lines = [
        f"Model: {header.get('model_version')}  ·  {header.get('machine')}  ·  {header.get('date')}",
        "",
        "| path | measure | result | target | met |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(f"| {row.path} | {row.measure} | {row.value} | {row.target} | {met} |")
    return "\n".join(lines)
