"""Hypothesis strategies for the protocol's pydantic models, built from their type annotations."""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

JSON_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def for_annotation(tp: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return for_annotation(args[0])
    if origin in (typing.Union, types.UnionType):
        return st.one_of([for_annotation(arg) for arg in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(for_annotation(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=10), for_annotation(args[1]), max_size=3)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return wire_dicts(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([member.value for member in tp])
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(max_size=30),
        bool: st.booleans(),
        int: st.integers(min_value=-5, max_value=300),
        float: st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        type(None): st.none(),
        Any: ANY_JSON,
    }
    return simple[tp]


def _constrained(tp: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    """Honour the protocol's constraints (pattern, bounds, lengths) so most draws are valid."""
    bounds = {
        k: getattr(m, k)
        for m in metadata
        for k in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern")
        if getattr(m, k, None) is not None
    }
    if "pattern" in bounds:
        return st.from_regex(bounds["pattern"], fullmatch=True)
    base = (
        typing.get_args(tp)[0] if typing.get_origin(tp) in (typing.Union, types.UnionType) else tp
    )
    if base is int and bounds:
        low = bounds.get("ge", bounds.get("gt", -1) + 1)
        return st.integers(min_value=low, max_value=bounds.get("le", low + 100))
    if base is float and bounds:
        low = bounds.get("ge", bounds.get("gt", 0.0))
        high = bounds.get("le", low + 1e6)
        return st.floats(min_value=low, max_value=high, exclude_min="gt" in bounds, allow_nan=False)
    if base is str and bounds:
        return st.text(
            min_size=bounds.get("min_length", 0), max_size=min(bounds.get("max_length", 30), 30)
        )
    return for_annotation(tp)


def wire_dicts(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts keyed by wire (camelCase) names; optional fields sometimes left out."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in model.model_fields.items():
        strategy = _constrained(field.annotation, field.metadata)
        (required if field.is_required() else optional)[field.alias or name] = strategy
    return st.fixed_dictionaries(required, optional=optional)
