"""Imported once by the parse fork server: builds what every parse needs so that forked children inherit it
instead of rebuilding it per file (the gazetteer alone costs ~0.8 s, more than the text work of a document)."""

from core.gazetteer import Gazetteer
from ingest.injection import default_model

Gazetteer.default()
default_model()  # the instruction classifier: scikit-learn's import alone is ~1.5 s
