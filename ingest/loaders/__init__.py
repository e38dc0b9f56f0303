"""Loaders: one per file format; each returns an ExtractedDocument."""
