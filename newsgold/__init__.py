"""newsgold: a gold-standard news corpus of entities and events, and its scorer."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsgold")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

# ``newsgold.frames()``: the corpus as pandas DataFrames (pandas is imported on the call)
from newsgold import frames as frames  # noqa: E402
