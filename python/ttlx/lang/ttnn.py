# SPDX-License-Identifier: Apache-2.0
"""The host-side `ttnn` of `ttlx run`: torch tensors in tile layout for ttlx
kernels, and the ttnn names tt-lang-sim 1.1.6's ttnn offers (tensor
creation and conversion, host ops computed with torch for references,
devices and meshes, cores and memory configs from ttnn_memory). The device
is the ttlx host runtime: opening, closing and synchronising it do nothing.
An unknown name is an AttributeError naming the closest known ones.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import torch

from . import storage_pool
from .errors import unknown_name
from .ttnn_memory import (DRAM_MEMORY_CONFIG, L1_MEMORY_CONFIG, BufferType, CoreCoord, CoreGrid, CoreRange,
                          CoreRangeSet, MemoryConfig, NdShardSpec, ShardDistributionStrategy, ShardingStrategy,
                          ShardOrientation, ShardSpec, ShardStrategy, TensorMemoryLayout, TensorSpec,
                          core_range_set_to_core_grid, create_sharded_memory_config, num_cores_to_corerangeset,
                          split_work_to_cores)

TILE_SIZE = 32
TILE_SHAPE = (TILE_SIZE, TILE_SIZE)


class Layout(enum.Enum):
    """A tensor's layout: whole 32x32 tiles (padded) or plain rows."""

    TILE = "TILE_LAYOUT"
    ROW_MAJOR = "ROW_MAJOR_LAYOUT"

    def __str__(self) -> str:
        return self.value


TILE_LAYOUT = Layout.TILE
ROW_MAJOR_LAYOUT = Layout.ROW_MAJOR
IndexType = Layout  # tt-lang-sim's name


class Shape(tuple):
    """A tensor shape: `ttnn.Shape([h, w])`, a tuple of ints."""

    def __new__(cls, dims: Sequence[int] = ()) -> Shape:
        return super().__new__(cls, (int(d) for d in dims))


class _BlockFloat:
    """A block-floating-point dtype (bfloat8_b): accepted on the host,
    stored as bfloat16; kernels refuse it."""

    def __repr__(self) -> str:
        return "bfloat8_b"


bfloat16 = torch.bfloat16
float32 = torch.float32
float16 = torch.float16
bfloat8_b = _BlockFloat()
int32 = torch.int32
uint32 = torch.uint32
uint16 = torch.uint16
uint8 = torch.uint8
DType = Any


def _storage_dtype(dtype: Any) -> torch.dtype:
    return torch.bfloat16 if isinstance(dtype, _BlockFloat) else dtype


# ----- tensors -------------------------------------------------------------------

def _pad_to_tiles(data: torch.Tensor) -> torch.Tensor:
    """TILE_LAYOUT storage: whole 32x32 tiles. A vector of N is row 0 of a
    row of tiles, a scalar element (0, 0) of one tile (tt-lang spec,
    "Dataflow buffer": shapes (N,) and () are (1, N) and (1, 1) in tiles)."""
    if data.dim() < 2:
        data = data.reshape(1, -1)
    ph, pw = -data.shape[-2] % TILE_SIZE, -data.shape[-1] % TILE_SIZE
    return torch.nn.functional.pad(data, (0, pw, 0, ph)) if ph or pw else data


class _Storage:
    """The values of one or more Tensors (to_memory_config shares them).
    `tiled`: in tile order, as the runtime's DRAM buffer holds them (a TILE
    tensor stays so between operations: no conversion per call), otherwise
    in rows. `private`: no torch tensor outside this module holds the
    memory, so it may stay in tile order; a tensor made from a caller's
    torch tensor, or whose values were handed out as `Tensor.data`, stays
    in rows (operations read and write its tile pages there). A private
    storage's memory, when dropped, may serve a later tensor of its size
    (`storage_pool`)."""

    __slots__ = ("values", "tiled", "private")

    def __init__(self, values: torch.Tensor, tiled: bool = False, private: bool = False):
        self.values, self.tiled, self.private = values, tiled, private

    def __del__(self) -> None:
        if self.private:  # its memory may serve the next tensor of its size
            storage_pool.give(self.values)

    def tileable(self) -> bool:
        v = self.values
        return (v.dim() >= 2 and v.dtype in (torch.bfloat16, torch.float32) and v.is_contiguous()
                and v.device.type == "cpu" and v.shape[-2] % TILE_SIZE == 0 and v.shape[-1] % TILE_SIZE == 0)

    def in_rows(self) -> torch.Tensor:
        if self.tiled:
            from ..runtime.layout import untilize_in_place

            untilize_in_place(self.values)
            self.tiled = False
        return self.values

    def for_run(self, layout: Layout) -> bool:
        """Readies the values for an operation: a private tileable storage
        of a TILE tensor in tile order (True: the run keeps it so), any
        other in rows."""
        if layout == TILE_LAYOUT and self.private and self.tileable():
            if not self.tiled:
                from ..runtime.layout import tilize_in_place

                tilize_in_place(self.values)
                self.tiled = True
            return True
        self.in_rows()
        return False


@dataclass(frozen=True)
class _Tile:
    """ttnn.Tile as `Tensor.tile` returns it."""

    tile_shape: tuple[int, int]


class Tensor:
    """A device tensor: a torch tensor the runtime reads and writes. In
    TILE_LAYOUT the storage is padded with zeros to whole 32x32 tiles, as on
    the device, and kept in tile order between operations when ttnn owns it
    (`_Storage`); `shape` stays the logical shape. `memory_config` is
    metadata (ttnn_memory). `uninitialised`: its contents are the poison of
    uninitialised device memory (ttnn.empty) until an operation has run on
    it; kernels reading a page no kernel wrote are reported."""

    def __init__(self, data: torch.Tensor, layout: Layout = TILE_LAYOUT, shape: Sequence[int] | None = None,
                 memory_config: MemoryConfig | None = None, dtype: Any = None):
        self.uninitialised = False
        self.layout = layout
        self.logical_shape = Shape(shape if shape is not None else data.shape)
        if layout != TILE_LAYOUT and data.dim() == 0:
            data = data.reshape(1)  # a row-major scalar is one element (padded shape [1])
        padded = _pad_to_tiles(data) if layout == TILE_LAYOUT else data
        self._storage = _Storage(padded, private=padded is not data)
        self.memory_config = memory_config if memory_config is not None else DRAM_MEMORY_CONFIG
        self.declared_dtype = dtype
        # How the dtype was chosen when the user gave none (said by the
        # errors of kernels whose copies it does not match).
        self.dtype_origin: str | None = None
        self.mesh_shard_info: MeshShardInfo | None = None

    @classmethod
    def owning(cls, values: torch.Tensor, layout: Layout = TILE_LAYOUT, tiled: bool = False, **kwargs: Any) -> Tensor:
        """(ttlx) A tensor over `values`, which nothing else holds (made for
        it, so it may stay in tile order); `tiled`: they are in tile order
        already."""
        tensor = cls(values, layout, **kwargs)
        tensor._storage.private = True
        tensor._storage.tiled = tiled and layout == TILE_LAYOUT and tensor._storage.tileable()
        return tensor

    @property
    def storage(self) -> torch.Tensor:
        """The padded values as stored (in tile order while `_storage.tiled`):
        for shapes, dtypes and identity, not for values."""
        return self._storage.values

    @property
    def data(self) -> torch.Tensor:
        """The padded values in rows, the memory itself (not a copy): from
        then on the tensor stays in rows."""
        self._storage.private = False
        return self._storage.in_rows()

    @data.setter
    def data(self, values: torch.Tensor) -> None:
        self._storage = _Storage(values)

    @property
    def shape(self) -> Shape:
        return self.logical_shape

    @property
    def padded_shape(self) -> Shape:
        return Shape(self.storage.shape)

    @property
    def tile(self) -> _Tile:
        """The tile of a TILE_LAYOUT tensor (`.tile_shape`, (32, 32))."""
        return _Tile((TILE_SIZE, TILE_SIZE))

    @property
    def dtype(self) -> Any:
        return self.declared_dtype if self.declared_dtype is not None else self.storage.dtype

    def element_size(self) -> int:
        return self.storage.element_size()

    def to_torch(self) -> torch.Tensor:
        return to_torch(self)

    def __repr__(self) -> str:
        return f"ttnn.Tensor(shape={tuple(self.shape)}, dtype={self.dtype}, layout={self.layout})"

    # Host arithmetic, computed in float32 on the logical values and rounded
    # to the left operand's dtype (a reference, not a kernel).
    def __add__(self, other: Any) -> Tensor:
        return _binary(torch.add, self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _binary(torch.add, other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _binary(torch.sub, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _binary(torch.sub, other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _binary(torch.mul, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _binary(torch.mul, other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _binary(torch.div, self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary(torch.div, other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return _binary(torch.floor_divide, self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _binary(torch.floor_divide, other, self)

    def __mod__(self, other: Any) -> Tensor:
        return _binary(torch.remainder, self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return _binary(torch.remainder, other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _binary(torch.pow, self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _binary(torch.pow, other, self)

    def __matmul__(self, other: Tensor) -> Tensor:
        return _binary(torch.matmul, self, other)

    def __neg__(self) -> Tensor:
        return _unary(torch.neg, self)

    def __abs__(self) -> Tensor:
        return _unary(torch.abs, self)


def _values(x: Any) -> Any:
    if isinstance(x, Tensor):
        return to_torch(x).float()
    if isinstance(x, torch.Tensor):
        return x.float()
    return x


def _result(like: Tensor, value: torch.Tensor) -> Tensor:
    dtype = like.storage.dtype if like.storage.is_floating_point() else torch.float32
    return Tensor.owning(value.to(dtype), like.layout, dtype=like.declared_dtype)


def _binary(fn: Callable[..., torch.Tensor], a: Any, b: Any) -> Tensor:
    like = a if isinstance(a, Tensor) else b
    return _result(like, fn(_values(a), _values(b)))


def _unary(fn: Callable[..., torch.Tensor], a: Tensor) -> Tensor:
    return _result(a, fn(_values(a)))


def from_torch(tensor: torch.Tensor, dtype: Any = None, layout: Layout = TILE_LAYOUT, device: object = None,
               memory_config: MemoryConfig | None = None, mesh_mapper: Any = None, spec: TensorSpec | None = None,
               **_: object) -> Tensor:
    """A device tensor holding a copy of `tensor` (in `dtype`, padded to
    tiles in TILE_LAYOUT); `spec` gives dtype, layout and memory config."""
    if spec is not None:
        if tuple(tensor.shape) != tuple(spec.shape):
            raise ValueError(f"tensor shape {tuple(tensor.shape)} does not match spec.shape {tuple(spec.shape)}")
        dtype = spec.dtype if dtype is None else dtype
        layout = spec.layout if spec.layout is not None else layout
        memory_config = spec.memory_config
    source = tensor.detach()
    values = source.to(_storage_dtype(dtype)) if dtype is not None else source
    kwargs: dict[str, Any] = {"memory_config": memory_config,
                              "dtype": dtype if isinstance(dtype, _BlockFloat) else None}
    if values is source:  # not converted: still the caller's memory
        if _tiles_directly(values, layout, memory_config):
            from ..runtime.layout import tilize_into

            tiles = tilize_into(values, storage_pool.empty(values.shape, values.dtype))
            result = Tensor.owning(tiles, layout, tiled=True, **kwargs)
        else:
            result = Tensor.owning(values.clone(memory_format=torch.contiguous_format), layout, **kwargs)
    else:
        result = Tensor.owning(values.contiguous(), layout, **kwargs)
    result.mesh_shard_info = _mesh_info(mesh_mapper, values.dim())
    if dtype is None:
        result.dtype_origin = "ttnn.from_torch(...) was given no dtype= and keeps the torch tensor's dtype"
    return result


def _tiles_directly(values: torch.Tensor, layout: Layout, memory_config: MemoryConfig | None) -> bool:
    """A DRAM TILE tensor that needs no padding is copied straight into tile
    order (its first operation then has nothing to convert)."""
    in_dram = memory_config is None or memory_config.buffer_type == BufferType.DRAM
    return layout == TILE_LAYOUT and in_dram and _Storage(values).tileable()


def to_torch(tensor: Tensor | torch.Tensor, mesh_composer: object = None, **_: object) -> torch.Tensor:
    """The logical values (the tile padding cut off), as a new torch tensor
    (a tensor in tile order stays so: its rows are a copy)."""
    if isinstance(tensor, torch.Tensor):
        return tensor
    stored = tensor._storage
    shape = tuple(tensor.shape)
    if len(shape) != stored.values.dim():
        # A TILE vector or scalar (row 0 of its tiles), or a row-major scalar (one element).
        rows = _untilized(stored.values) if stored.tiled else stored.values
        first = rows[0] if rows.dim() == 2 else rows
        return first[:math.prod(shape)].clone().reshape(shape)
    region = tuple(slice(0, s) for s in shape)
    if not stored.tiled:
        return stored.values[region].clone()
    rows = _untilized(stored.values)
    return rows if shape == tuple(rows.shape) else rows[region].clone()


def _untilized(values: torch.Tensor) -> torch.Tensor:
    from ..runtime.layout import untilize_into

    return untilize_into(values, torch.empty_like(values))



def _create(fill: Callable[[tuple[int, ...], torch.dtype], torch.Tensor],
            constant: str = "", name: str = "") -> Callable[..., Tensor]:
    """A creation function (`ttnn.<name>`); `constant`: "zero" when `fill`
    makes zeros, "one value" when it makes a single other value (then the
    values are in tile order already, unless zero padding was added to the
    value). With no dtype, bfloat16 (as ttnn), noted in `dtype_origin`."""
    def create(shape: Sequence[int], dtype: Any = None, layout: Layout = TILE_LAYOUT, device: object = None,
               memory_config: MemoryConfig | None = None, **_: object) -> Tensor:
        defaulted = dtype is None
        dtype = bfloat16 if defaulted else dtype
        data = fill(tuple(int(s) for s in shape), _storage_dtype(dtype))
        tensor = Tensor.owning(data, layout, memory_config=memory_config,
                               dtype=dtype if isinstance(dtype, _BlockFloat) else None)
        if defaulted:
            tensor.dtype_origin = f"ttnn.{name}(...) was given no dtype=, and ttnn's default is bfloat16"
        if constant == "zero" or constant and tensor.storage is data:
            tensor._storage.tiled = layout == TILE_LAYOUT and tensor._storage.tileable()
        return tensor

    return create


rand = _create(lambda shape, dtype: torch.rand(shape).to(dtype), name="rand")
zeros = _create(lambda shape, dtype: torch.zeros(shape, dtype=dtype), "zero", "zeros")
ones = _create(lambda shape, dtype: torch.ones(shape, dtype=dtype), "one value", "ones")


def empty(shape: Sequence[int], dtype: Any = None, layout: Layout = TILE_LAYOUT, device: object = None,
          memory_config: MemoryConfig | None = None, **_: object) -> Tensor:
    """Uninitialised, as on a device: filled with the NaN pattern of ttlx's
    uninitialised memory (the same every run), and reported when a kernel
    reads a page of it that no kernel wrote."""
    from ..runtime.device import poison

    tensor = _create(lambda shape, dtype: poison(torch.empty(shape, dtype=dtype)), "one value", "empty")(
        shape, dtype, layout, device, memory_config)
    tensor.uninitialised = True
    return tensor


def full(shape: Sequence[int], fill_value: float, dtype: Any = None, layout: Layout = TILE_LAYOUT,
         device: object = None, memory_config: MemoryConfig | None = None, **_: object) -> Tensor:
    return _create(lambda shape, dtype: torch.full(shape, fill_value, dtype=dtype), "one value", "full")(
        shape, dtype, layout, device, memory_config)


def zeros_like(tensor: Tensor, **kwargs: Any) -> Tensor:
    return zeros(tensor.shape, kwargs.pop("dtype", tensor.dtype), kwargs.pop("layout", tensor.layout), **kwargs)


def ones_like(tensor: Tensor, **kwargs: Any) -> Tensor:
    return ones(tensor.shape, kwargs.pop("dtype", tensor.dtype), kwargs.pop("layout", tensor.layout), **kwargs)


def is_sharded(tensor: Tensor) -> bool:
    return tensor.memory_config.is_sharded()


def get_memory_config(tensor: Tensor) -> MemoryConfig:
    return tensor.memory_config


def to_memory_config(tensor: Tensor, memory_config: MemoryConfig, **_: object) -> Tensor:
    """The same tensor (the same storage) with another memory config."""
    moved = Tensor(tensor.storage, tensor.layout, tensor.shape, memory_config, tensor.declared_dtype)
    moved._storage = tensor._storage
    moved.mesh_shard_info = tensor.mesh_shard_info
    moved.dtype_origin = tensor.dtype_origin
    return moved


def squeeze(tensor: Tensor, dim: int | None = None) -> Tensor:
    values = to_torch(tensor)
    return Tensor.owning(values.squeeze() if dim is None else values.squeeze(dim), tensor.layout)


def tile_shape_from_shape(shape: Sequence[int]) -> tuple[int, ...]:
    """Tiles along each dimension of an element shape (the last two
    divided by 32; a dimension of 1 is one tile)."""
    tiles = [1 if s == 1 else s // TILE_SIZE for s in shape[-2:]]
    return (*shape[:-2], *tiles)


def tile_count_from_shape(layout: Layout, shape: Sequence[int]) -> int:
    return math.prod(shape) if layout == ROW_MAJOR_LAYOUT else math.prod(tile_shape_from_shape(shape))


def tile_shape_from_tensor(tensor: Tensor) -> tuple[int, ...]:
    return tile_shape_from_shape(tensor.shape)


def tile_count_from_tensor(tensor: Tensor) -> int:
    return tile_count_from_shape(tensor.layout, tensor.shape)


def check_count_match(src_count: int, dst_count: int, layout: Layout, src_desc: str, dst_desc: str) -> None:
    if src_count != dst_count:
        unit = "element" if layout == ROW_MAJOR_LAYOUT else "tile"
        raise ValueError(f"{src_desc} does not match {dst_desc} ({unit} counts: {src_count} vs {dst_count})")


def normalize_selector_to_slice(selector: int | slice) -> slice:
    return slice(selector, selector + 1) if isinstance(selector, int) else selector


def set_disable_float32_promotion(value: bool) -> None:
    """tt-lang-sim computes bfloat16 in float32 unless told not to; ttlx
    always keeps the declared dtype, so there is nothing to switch."""


# ----- host ops (torch references) ------------------------------------------------

def _op(fn: Callable[..., torch.Tensor], arity: int) -> Callable[..., Tensor]:
    if arity == 1:
        return lambda a, **_: _unary(fn, a)
    return lambda a, b, **_: _binary(fn, a, b)


add = _op(torch.add, 2)
subtract = _op(torch.sub, 2)
multiply = _op(torch.mul, 2)
divide = _op(torch.div, 2)
matmul = _op(torch.matmul, 2)
maximum = _op(torch.maximum, 2)
minimum = _op(torch.minimum, 2)
relu = _op(torch.relu, 1)
exp = _op(torch.exp, 1)
log = _op(torch.log, 1)
sqrt = _op(torch.sqrt, 1)
rsqrt = _op(torch.rsqrt, 1)
reciprocal = _op(torch.reciprocal, 1)
sigmoid = _op(torch.sigmoid, 1)
tanh = _op(torch.tanh, 1)
silu = _op(torch.nn.functional.silu, 1)
gelu = _op(torch.nn.functional.gelu, 1)
neg = _op(torch.neg, 1)
abs = _op(torch.abs, 1)  # noqa: A001 (ttnn's name)
square = _op(torch.square, 1)
sin = _op(torch.sin, 1)
cos = _op(torch.cos, 1)


# ----- devices and meshes ----------------------------------------------------------

class Device:
    """The ttlx host runtime stands in for a device."""

    def __init__(self, device_id: int = 0):
        self.device_id = device_id

    def compute_with_storage_grid_size(self) -> CoreCoord:
        """Wormhole n150's 8x8 worker grid (grid="auto"), as tt-lang-sim says."""
        return CoreCoord(8, 8)

    def __repr__(self) -> str:
        return f"Device(id={self.device_id})"


def open_device(device_id: int = 0, **_: object) -> Device:
    return Device(device_id)


def close_device(device: Device) -> None:
    del device


def synchronize_device(*_: object, **__: object) -> None:
    """Operations run to completion when called: nothing to wait for."""


# tt-lang-sim's default (its `--num-devices`, ours `ttlx run --num-devices`):
# the multi-device tutorials ask for more than one.
_num_devices = [4]


def GetNumAvailableDevices() -> int:  # noqa: N802 (ttnn's name)
    return _num_devices[0]


def set_num_devices(n: int) -> None:
    if n < 1:
        raise ValueError(f"the number of devices is at least 1, got {n}")
    _num_devices[0] = n


class FabricConfig:
    FABRIC_1D = "FABRIC_1D"
    FABRIC_2D = "FABRIC_2D"


def set_fabric_config(config: object) -> None:
    """The fabric between devices is not modelled."""


@dataclass
class MeshShape:
    rows: int
    cols: int


class MeshDevice:
    """A mesh of devices. As in tt-lang-sim, kernels run once on whole
    tensors; the mesh mappers record how a tensor is split so that
    all_reduce / all_gather give the per-device results."""

    def __init__(self, shape: MeshShape):
        self.shape = shape
        self.num_devices = shape.rows * shape.cols


def open_mesh_device(shape: MeshShape, **_: object) -> MeshDevice:
    return MeshDevice(shape)


def close_mesh_device(mesh: MeshDevice) -> None:
    del mesh


@dataclass
class MeshShardInfo:
    """Which tensor dimension each mesh axis (rows, cols) splits (None: not split)."""

    mesh_shape: tuple[int, int]
    dims: tuple[int | None, int | None]

    @property
    def num_devices(self) -> int:
        return self.mesh_shape[0] * self.mesh_shape[1]


class TensorToMesh:
    """A mesh mapper for from_torch."""


class ShardTensorToMesh(TensorToMesh):
    def __init__(self, mesh: MeshDevice, dim: int):
        self.mesh, self.dim = mesh, dim


class ShardTensor2dMesh(TensorToMesh):
    def __init__(self, mesh: MeshDevice, mesh_shape: tuple[int, int], dims: tuple[int | None, int | None]):
        self.mesh, self.mesh_shape, self.dims = mesh, mesh_shape, dims


class ReplicateTensorToMesh(TensorToMesh):
    def __init__(self, mesh: MeshDevice):
        self.mesh = mesh


class ConcatMeshToTensor:
    """A mesh composer for to_torch: the tensor is whole already."""

    def __init__(self, mesh: MeshDevice, dim: int):
        self.mesh, self.dim = mesh, dim


def _mesh_info(mapper: object, rank: int) -> MeshShardInfo | None:
    if isinstance(mapper, ShardTensorToMesh):
        return MeshShardInfo((1, mapper.mesh.num_devices), (None, mapper.dim % rank))
    if isinstance(mapper, ShardTensor2dMesh):
        d0, d1 = mapper.dims
        return MeshShardInfo(tuple(mapper.mesh_shape), (None if d0 is None else d0 % rank,  # type: ignore[arg-type]
                                                        None if d1 is None else d1 % rank))
    return None


def _collective(tensor: Tensor, cluster_axis: int | None, name: str,
                combine: Callable[[torch.Tensor, int, int], torch.Tensor]) -> Tensor:
    info = tensor.mesh_shard_info
    if info is None:
        raise ValueError(f"ttnn.{name} needs a tensor made by from_torch with a mesh_mapper")
    values = to_torch(tensor)
    for axis in [cluster_axis] if cluster_axis is not None else [0, 1]:
        dim, n = info.dims[axis], info.mesh_shape[axis]
        if dim is None or n == 1:
            continue
        if values.shape[dim] % n:
            raise ValueError(f"size {values.shape[dim]} of dimension {dim} does not split over {n} devices")
        values = combine(values, dim, n)
    result = Tensor.owning(values, tensor.layout, memory_config=tensor.memory_config)
    result.mesh_shard_info = info
    return result


def all_reduce(input_tensor: Tensor, cluster_axis: int | None = None, mesh_device: object = None,
               memory_config: MemoryConfig | None = None, dtype: Any = None, **_: object) -> Tensor:
    """Every device's part becomes the sum of the parts along the mesh axis."""
    def reduce(values: torch.Tensor, dim: int, n: int) -> torch.Tensor:
        parts = values.float().chunk(n, dim)
        total = torch.stack(parts).sum(0).to(values.dtype)
        return torch.cat([total] * n, dim)

    result = _collective(input_tensor, cluster_axis, "all_reduce", reduce)
    if dtype is not None:
        result._storage = _Storage(result._storage.in_rows().to(dtype), private=True)
    return to_memory_config(result, memory_config) if memory_config is not None else result


def all_gather(input_tensor: Tensor, dim: int, cluster_axis: int | None = None, mesh_device: object = None,
               memory_config: MemoryConfig | None = None, **_: object) -> Tensor:
    """Every device's part becomes all parts concatenated along `dim`."""
    def gather(values: torch.Tensor, shard_dim: int, n: int) -> torch.Tensor:
        gathered = torch.cat(values.chunk(n, shard_dim), dim % values.dim())
        return torch.cat([gathered] * n, shard_dim)

    result = _collective(input_tensor, cluster_axis, "all_gather", gather)
    return to_memory_config(result, memory_config) if memory_config is not None else result


# ----- unknown names -------------------------------------------------------------

def __getattr__(name: str) -> Any:
    raise unknown_name("ttnn", name, __all__)


__all__ = [
    "BufferType", "ConcatMeshToTensor", "CoreCoord", "CoreGrid", "CoreRange", "CoreRangeSet", "DRAM_MEMORY_CONFIG",
    "Device", "DType", "FabricConfig", "GetNumAvailableDevices", "IndexType", "L1_MEMORY_CONFIG", "Layout",
    "MemoryConfig", "MeshDevice", "MeshShape", "MeshShardInfo", "NdShardSpec", "ROW_MAJOR_LAYOUT",
    "ReplicateTensorToMesh", "Shape", "ShardDistributionStrategy", "ShardOrientation", "ShardSpec",
    "ShardStrategy", "ShardTensor2dMesh", "ShardTensorToMesh", "ShardingStrategy", "TILE_LAYOUT", "TILE_SHAPE",
    "TILE_SIZE", "Tensor", "TensorMemoryLayout", "TensorSpec", "TensorToMesh", "abs", "add", "all_gather",
    "all_reduce", "bfloat16", "bfloat8_b", "check_count_match", "close_device", "close_mesh_device",
    "core_range_set_to_core_grid", "cos", "create_sharded_memory_config", "divide", "empty", "exp", "float16",
    "float32", "from_torch", "full", "gelu", "get_memory_config", "int32", "is_sharded", "log", "matmul", "maximum",
    "minimum", "multiply", "neg", "normalize_selector_to_slice", "num_cores_to_corerangeset", "ones", "ones_like",
    "open_device", "open_mesh_device", "rand", "reciprocal", "relu", "rsqrt", "set_disable_float32_promotion",
    "set_fabric_config", "set_num_devices", "sigmoid", "silu", "sin", "split_work_to_cores", "sqrt", "square",
    "squeeze", "subtract", "synchronize_device", "tanh", "tile_count_from_shape", "tile_count_from_tensor",
    "tile_shape_from_shape", "tile_shape_from_tensor", "to_memory_config", "to_torch", "uint16", "uint32", "uint8",
    "zeros", "zeros_like",
]
