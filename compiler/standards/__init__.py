"""Standards tables and the rules built on them (ISO 286, ISO 2768, ISO 2859-1, Cp/Cpk)."""
