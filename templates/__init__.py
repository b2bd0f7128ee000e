"""Jinja2 templates, CSS and fonts of techpack's documents (installed as ``techpack.templates``)."""
