# SPDX-License-Identifier: Apache-2.0
"""The memory of dropped ttnn tensors serves the next `from_torch` of its
size (lang/storage_pool.py, docs/runtime.md "Host I/O"): reused only when
nothing refers to it any more, at most a few kept, and the new tensor
holds exactly its own values (checked bit for bit against torch)."""

from __future__ import annotations

import gc

import pytest
import torch

from ttlx.lang import storage_pool, ttnn

SHAPE = (1024, 1024)  # 2 MiB of bf16: a kept size


def values(seed: int, shape: tuple[int, ...] = SHAPE) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed)).to(torch.bfloat16)


@pytest.fixture(autouse=True)
def empty_pool():
    gc.collect()
    storage_pool._kept.clear()
    yield
    storage_pool._kept.clear()


def test_a_dropped_tensors_memory_serves_the_next_of_its_size():
    x = ttnn.from_torch(values(1), dtype=ttnn.bfloat16)
    address = x.storage.data_ptr()
    del x
    y = ttnn.from_torch(values(2), dtype=ttnn.bfloat16)
    assert y.storage.data_ptr() == address
    assert torch.equal(ttnn.to_torch(y), values(2))


def test_another_size_gets_new_memory():
    x = ttnn.from_torch(values(1), dtype=ttnn.bfloat16)
    address = x.storage.data_ptr()
    del x
    y = ttnn.from_torch(values(2, (512, 1024)), dtype=ttnn.bfloat16)
    assert y.storage.data_ptr() != address
    assert torch.equal(ttnn.to_torch(y), values(2, (512, 1024)))


@pytest.mark.parametrize("hold, read", [
    (lambda t: t.storage, lambda held: held),
    (lambda t: t.storage[32:], lambda held: held),
    (lambda t: t.storage.view(torch.int16).numpy(), lambda held: torch.from_numpy(held).view(torch.bfloat16)),
], ids=["storage", "view", "numpy array"])
def test_memory_something_still_refers_to_is_not_reused(hold, read):
    """A storage, a view of it or an array over it outlives its tensor: the
    next tensors get other memory and the held one keeps its values; once
    let go, the memory serves the next tensor."""
    x = ttnn.from_torch(values(1), dtype=ttnn.bfloat16)
    address = x.storage.data_ptr()
    held = hold(x)
    before = read(held).clone()
    del x
    y = ttnn.from_torch(values(2), dtype=ttnn.bfloat16)
    del y
    z = ttnn.from_torch(values(3), dtype=ttnn.bfloat16)
    assert z.storage.data_ptr() != address
    assert torch.equal(ttnn.to_torch(z), values(3)) and torch.equal(read(held), before)
    del held, before
    w = ttnn.from_torch(values(4), dtype=ttnn.bfloat16)
    assert w.storage.data_ptr() == address and torch.equal(ttnn.to_torch(w), values(4))


def test_a_tensor_in_the_callers_memory_is_never_kept():
    """`ttnn.Tensor(t)` and a tensor whose `.data` was read are the caller's
    memory: dropping them keeps nothing."""
    caller = values(1)
    ttnn.Tensor(caller)  # dropped at once
    x = ttnn.from_torch(values(2), dtype=ttnn.bfloat16)
    rows = x.data
    del x
    assert storage_pool._kept == []
    assert torch.equal(caller, values(1)) and torch.equal(rows, values(2))


def test_padding_of_a_later_tensor_is_zero():
    """A padded tensor is not copied into kept memory: its padding reads
    zero whatever a dropped tensor of the padded size held."""
    x = ttnn.from_torch(values(1), dtype=ttnn.bfloat16)
    del x
    y = ttnn.from_torch(values(2, (1000, 1000)), dtype=ttnn.bfloat16)
    assert tuple(y.padded_shape) == SHAPE
    rows = y.data
    assert torch.equal(rows[:1000, :1000], values(2, (1000, 1000)))
    assert not rows[1000:].any() and not rows[:, 1000:].any()


def test_at_most_a_few_storages_are_kept(monkeypatch):
    """At most KEEP_COUNT storages and KEEP_BYTES in all, the newest; none
    larger than KEEP_BYTES or smaller than MIN_BYTES."""
    tensors = [ttnn.from_torch(values(k), dtype=ttnn.bfloat16) for k in range(storage_pool.KEEP_COUNT + 2)]
    addresses = [t.storage.data_ptr() for t in tensors]
    while tensors:
        tensors.pop(0)  # dropped oldest first
    assert [s.data_ptr() for s in storage_pool._kept] == addresses[2:]
    monkeypatch.setattr(storage_pool, "KEEP_BYTES", 3 * SHAPE[0] * SHAPE[1] * 2)
    ttnn.from_torch(values(9), dtype=ttnn.bfloat16)  # dropped at once
    assert len(storage_pool._kept) == 3
    ttnn.from_torch(values(9, (2048, 2048)), dtype=ttnn.bfloat16)  # dropped at once, larger than KEEP_BYTES
    ttnn.from_torch(values(9, (64, 64)), dtype=ttnn.bfloat16)  # dropped at once, smaller than MIN_BYTES
    assert len(storage_pool._kept) == 3 and all(s.nbytes() == 2 * SHAPE[0] * SHAPE[1] for s in storage_pool._kept)
