"""The catalog's Alembic migrations (``env.py``, ``versions/``): run on opening a catalog, by
``banding-kota catalog-upgrade``, or by ``alembic upgrade head`` from the project folder."""
