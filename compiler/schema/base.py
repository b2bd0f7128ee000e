"""The base of every schema class: strict keys, field docs, and source locations.

After validation, :func:`attach_nodes` walks the model and the YAML node tree
together so that every model object knows where it was written:
``part.loc()`` is the part's own location, ``part.loc("material")`` the
location of its ``material:`` value and ``part.key_loc("material")`` of the key.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from ..diagnostics import Location
from ..yamlsrc import Mapping, Node, Scalar, Sequence


class Model(BaseModel):
    """Base for spec and capability classes: unknown keys are errors, every field documented."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=False,
        populate_by_name=True,
        arbitrary_types_allowed=True,
        hide_input_in_errors=True,
    )
    # The YAML node is kept in pydantic's private-attribute slot, set by attach_nodes; a declared
    # PrivateAttr would cost a default deep-copy per object (a third of validating a large spec).

    @property
    def _node(self) -> Node | None:
        private = self.__pydantic_private__
        return private.get("_node") if private else None

    def loc(self, field: str | None = None, index: int | None = None) -> Location | None:
        """Where this object (or one of its fields, or an item of a list field) is written."""
        node = self._node
        if node is None:
            return None
        if field is None:
            return node.loc
        if isinstance(node, Mapping):
            key = _alias(self, field)
            child = node.values.get(key)
            if child is None:
                return node.loc
            if index is not None and isinstance(child, Sequence) and index < len(child.items):
                return child.items[index].loc
            return child.loc
        return node.loc

    def key_loc(self, field: str) -> Location | None:
        node = self._node
        if isinstance(node, Mapping):
            key = node.keys.get(_alias(self, field))
            if key is not None:
                return key.loc
        return self.loc()


def _alias(model: BaseModel, field: str) -> str:
    info = type(model).model_fields.get(field)
    return (info.alias or field) if info is not None else field


_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}
"""Per model class: (field name, YAML key) of each field."""
_HOLDERS = (Model, list, dict)
"""Values that can hold a model object; anything else (text, numbers, enums) gets no node."""


def attach_nodes(value: Any, node: Node | None) -> None:
    """Record on every model object inside ``value`` the YAML node it was read from."""
    if node is None:
        return
    if isinstance(value, Model):
        object.__setattr__(value, "__pydantic_private__", {"_node": node})
        if not isinstance(node, Mapping):
            return
        keys = _KEYS.get(type(value))
        if keys is None:
            keys = _KEYS[type(value)] = tuple((name, info.alias or name)
                                              for name, info in type(value).model_fields.items())
        values = node.values
        for name, key in keys:
            child = values.get(key)
            if child is not None:
                item = getattr(value, name)
                if isinstance(item, _HOLDERS):
                    attach_nodes(item, child)
    elif isinstance(value, list) and isinstance(node, Sequence):
        for item, child in zip(value, node.items):
            if isinstance(item, _HOLDERS):
                attach_nodes(item, child)
    elif isinstance(value, dict) and isinstance(node, Mapping):
        for key, item in value.items():
            if isinstance(item, _HOLDERS):
                attach_nodes(item, node.values.get(str(key)))


def node_at(root: Node, path: tuple) -> tuple[Node, Scalar | None, bool]:
    """Follow a validation error path into the node tree.

    Returns the deepest node reached, the key scalar when the last step was a
    mapping key, and whether the whole path was found.  Path elements that are
    not in the tree (union branch names pydantic inserts) are skipped.
    """
    node: Node = root
    key: Scalar | None = None
    found = True
    for step in path:
        if isinstance(node, Mapping) and isinstance(step, str) and step in node.values:
            key = node.keys[step]
            node = node.values[step]
        elif isinstance(node, Sequence) and isinstance(step, int) and 0 <= step < len(node.items):
            key = None
            node = node.items[step]
        elif isinstance(step, str) and not (isinstance(node, Mapping) and step.isidentifier()
                                           and step.islower() and step not in node.values):
            continue  # a union tag or type name inserted by pydantic
        else:
            found = False
            break
    return node, key, found
