"""Presenting results: terminal tables, Markdown, CSV, JSON, HTML. No metric logic here."""
