"""newsgold: a gold-standard news corpus of entities and events, and its scorer."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsgold")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
