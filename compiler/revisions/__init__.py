"""Revisions: what changed between two revisions of a product, and what must be inspected again.

* :mod:`.sides` — open one side of a comparison: a spec folder, a git revision of
  one, or a built pack (its manifest plus the spec attached to its tech-pack PDF);
* :mod:`.snapshot` — compile a side into comparable facts (pure data);
* :mod:`.model` — the diff of two snapshots, by characteristic ID, BOM line,
  material, finish, certificate, packaging, production plan, geometry and
  capability verdict;
* :mod:`.scope` — the delta-FAI scope (AS9102 partial FAI) and the production
  gates to pass again;
* :mod:`.report` — text, JSON and Markdown formatters;
* :mod:`.notice` — the change-notice PDF;
* :mod:`.check` — warnings when content changed but the revision did not.
"""

from __future__ import annotations

EXIT_SAME, EXIT_CHANGED, EXIT_UNREADABLE = 0, 1, 2
"""``techpack diff`` exit codes, like diff(1): 0 nothing changed, 1 something did, 2 a side cannot be read."""
