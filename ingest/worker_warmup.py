"""Imported once by the parse fork server: builds what every parse needs so that forked children inherit it
instead of rebuilding it per file (the gazetteer alone costs ~0.8 s, more than the text work of a document).

Only the fork server imports it (ingest/workers.py does not try it in the parent, where it would load
scikit-learn and the classifier for nothing, ~2 s of every CLI ingest): so it must never raise, since the fork
server dies on any import error but ImportError, and every parse with it. A warm-up that fails leaves each
child to build what it needs itself, as it would without the warm-up."""

import logging

try:
    from core.gazetteer import Gazetteer
    from ingest.injection import default_model

    Gazetteer.default()
    default_model()  # the instruction classifier: scikit-learn's import alone is ~1.5 s
except Exception as exc:  # anything raised here would kill the fork server (see above)
    logging.getLogger(__name__).warning("parse workers start without the warm-up: %s", exc)
