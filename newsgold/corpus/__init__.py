"""Seeds to documents, reading and writing ``corpus/`` and ``annotations/``, validation."""
