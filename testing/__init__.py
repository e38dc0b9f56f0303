"""Building blocks shared by the test suite and ``scripts/reliability.py`` (as ``haystack.testing`` is for
Haystack's document stores): generated files, real servers on loopback, a data folder's consistency check, and
the hostile inputs (crash points, hostile files, injections, hiding methods, spoofed headers, fuzzing, the
concurrency probe). The tests assert on them; the script runs them at a chosen size and reports figures, so
both measure the same thing. Nothing in the product imports this package.
"""
