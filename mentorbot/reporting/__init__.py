"""The organizer's read-only views of the database: `stats`, `report` (HTML charts) and `dashboard` (Datasette).

Everything here only reads; :mod:`.data` reads one campaign in one transaction, :mod:`.stats` and
:mod:`.series` compute from those plain values, :mod:`.charts` and :mod:`.html` draw them.
"""
