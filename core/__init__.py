"""Banding Kota core: the settings object, the domain types and the typed errors every layer shares."""
