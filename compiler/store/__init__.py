"""The traceability store: filled batch records in, genealogy, containment, deviations and measured capability out.

Layers: :mod:`.tables` (schema) and :mod:`.db` (open, verify, migrate) at the
bottom; readers (:mod:`.pdfform`, :mod:`.csvdata`, :mod:`.qifresults`) produce
a :class:`.record.Record`; :mod:`.ingest` validates and stores it; queries
(:mod:`.trace`, :mod:`.issues`, :mod:`.spc`) read; :mod:`.commands` is the CLI.
"""
