"""Free what TensorFlow keeps after a model is dropped: the hash tables of its vocabulary lookups."""

from __future__ import annotations

import ctypes
import ctypes.util


def lookup_table_handles(model) -> list:
    """The resource handles of every vocabulary table in `model` (ensemble members included)."""
    handles = []
    for layer in model._flatten_layers(include_self=True, recursive=True):
        table = getattr(layer, "lookup_table", None)
        handle = getattr(table, "resource_handle", None)
        if handle is not None:
            handles.append(handle)
    return handles


def release_lookup_tables(handles: list) -> None:
    """Destroy the tables. Keras creates them with a unique shared name, which TensorFlow's resource
    manager keeps until destroyed: without this, each load of the n-gram model left ~30 MB behind."""
    import tensorflow as tf

    for handle in handles:
        tf.raw_ops.DestroyResourceOp(resource=handle, ignore_lookup_error=True)


def return_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim): a dropped model's
    memory is otherwise kept by the allocator, and the worker's resident size does not come down."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    trim = getattr(libc, "malloc_trim", None)  # glibc only; elsewhere nothing to do
    if trim is not None:
        trim(0)
