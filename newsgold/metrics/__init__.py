"""Pure functions from matches to counts and scores, one module per layer."""
