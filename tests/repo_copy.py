"""A throw-away copy of the repository's data, for tests that add to or import into it.

The real ``seeds/``, ``corpus/`` and ``annotations/`` are never touched by such tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "annotate"
#: an article with an emoji (outside the BMP: two UTF-16 code units), a combining accent
#: (two code points, one glyph) and CRLF line ends
TRICKY_ARTICLE = (
    " date 2026-11-30 Kyiv talks \U0001f600 began on Monday.\r\n"
    "Jose\u0301 Garci\u0301a met NATO officials in Kyiv.\r\n"
    "Russia attacked Kharkiv.\r\n"
).encode()


def copy_repo(dest: Path) -> Path:
    """Copy what ``add``/``import`` read and write into ``dest``; return ``dest``."""
    for name in ("seeds", "corpus", "annotations"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("CITATION.cff", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, dest / name)
    return dest
