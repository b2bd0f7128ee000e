"""techpack: compile a declarative product spec into a supplier-ready tech pack."""

__version__ = "0.1.0"
