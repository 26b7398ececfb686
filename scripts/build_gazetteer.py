"""Rewrite newsgold/systems/data/gazetteer.jsonl from the gold (annotations/gold.jsonl).

The gazetteer baseline (newsgold/systems/gazetteer.py) uses a name only on documents other
than the ones it comes from. Run after the gold changes:

    python scripts/build_gazetteer.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsgold.corpus.annotations import load_annotations  # noqa: E402
from newsgold.systems.gazetteer import PATTERNS, build_patterns, write_patterns  # noqa: E402


def main() -> None:
    patterns = build_patterns(load_annotations().values())
    write_patterns(patterns)
    print(f"wrote {PATTERNS} ({len(patterns)} names)")


if __name__ == "__main__":
    main()
