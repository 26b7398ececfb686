"""Outside formats to model objects and back. Format quirks are undone here, at the border."""
