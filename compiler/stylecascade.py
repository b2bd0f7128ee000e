"""An element whose computed style WeasyPrint shares with an equivalent element's is not cascaded first.

WeasyPrint computes a document's styles element by element (``weasyprint.css.StyleFor``): it matches the
style sheets' selectors, cascades every matched declaration into the element's cascaded style, and then looks
for an element already styled with the same parent style, the same ``style`` attribute and the same matched
rules; when it finds one, it shares that element's computed style and never reads the cascade it just built.
A batch record's field cells, a table's rows and cells are nearly all such elements, and cascading them was
about a tenth of styling them.

:func:`install` gives ``StyleFor`` the same constructor with one change: the matched rules are collected
first, the shared style is looked up, and an element that has one cascades only the rules for its
pseudo-elements (``::before``, ``::marker``...), whose styles are computed afterwards from their own
cascade, exactly as before. Everything else (the order of the rules, the weights, the sharing key, the
pseudo-elements, the ``style`` attributes) is WeasyPrint's code, so the computed styles and the PDF bytes are
the same (tests/test_stylecascade.py renders documents both ways). It is installed only over the constructor
it was written against (``STOCK``, the SHA-256 of its source: WeasyPrint 70.0); another one is left alone.
"""

from __future__ import annotations

import functools

from .hashing import source_sha

#: SHA-256 of the source of ``weasyprint.css.StyleFor.__init__`` (WeasyPrint 70.0) that :func:`install` replaces
STOCK = frozenset({"b1e725a7552502aa00f0bc07aec79c1aa49365b107a889085161f8d6a4c4a836"})


def known(function) -> bool:
    """Whether ``function``'s source is the constructor :func:`install` was written against (``STOCK``)."""
    return source_sha(function) in STOCK


def _init(self, html, sheets, presentational_hints, font_config, target_collector):
    """WeasyPrint 70.0's ``StyleFor.__init__`` (its comments shortened), with the matched rules cascaded only
    for an element whose computed style is not shared (see the module)."""
    from math import inf  # noqa: PLC0415

    from weasyprint.css import (PROGRESS_LOGGER, declaration_precedence,  # noqa: PLC0415
                                find_style_attributes, preprocess_declarations)

    self._cascaded_styles = cascaded_styles = {}
    self._computed_styles = computed_styles = {}
    self.initial_page_sizes = {'box': None, 'area': None}
    self._sheets = sheets
    self.font_config = font_config

    PROGRESS_LOGGER.info('Step 3 - Applying CSS')
    layer_order = inf
    elements_declarations = {}
    for specificity, element, declarations, base_url in find_style_attributes(
            html.etree_element, presentational_hints, html.base_url):
        style = cascaded_styles.setdefault((element, None), {})
        elements_declarations[element] = tuple(declarations)
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence('author', importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight

    # In tree order, so that parents have computed styles before their children.
    computed_cache = {}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        matched = []  # (origin, specificity, pseudo type, declarations, layer order), in WeasyPrint's order
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                matched.append((origin, sheet_specificity or specificity, pseudo_type, declarations, layer_order))
        key = (parent_id, element_declarations, tuple(selectors_keys))
        shared = computed_cache.get(key)
        for origin, specificity, pseudo_type, declarations, layer_order in matched:
            if shared is not None and pseudo_type is None:
                continue  # the element's own cascade: not read, its computed style is shared
            style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
            for name, values, importance in declarations:
                precedence = declaration_precedence(origin, importance)
                weight = (precedence, layer_order, specificity)
                old_weight = style.get(name, (None, None))[1]
                if old_weight is None or old_weight <= weight:
                    style[name] = values, weight
        if shared is not None:
            computed_styles[etree_element, None] = shared
        else:
            self.set_computed_styles(
                etree_element, root=html.etree_element, parent=parent,
                base_url=html.base_url, target_collector=target_collector)
            computed_cache[key] = computed_styles[etree_element, None]

    # Pseudo-elements inherit from their element, so they come last, from their own cascaded styles.
    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element, pseudo_type=pseudo_type, root=html.etree_element, parent=element,
                base_url=html.base_url, target_collector=target_collector)

    # The cascaded styles are not needed any more; the dictionary is kept, it is used later for page margins.
    self._cascaded_styles.clear()


@functools.lru_cache(maxsize=1)
def install() -> bool:
    """Give ``StyleFor`` the constructor above (once per process); False when this WeasyPrint's constructor is not
    the one it was written against, and is left alone."""
    from weasyprint.css import StyleFor  # noqa: PLC0415

    stock = StyleFor.__init__
    if not known(stock):
        return False
    _init.stock = stock  # type: ignore[attr-defined] - WeasyPrint's, for a comparison
    StyleFor.__init__ = _init
    return True
