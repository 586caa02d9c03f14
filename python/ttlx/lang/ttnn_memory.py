# SPDX-License-Identifier: Apache-2.0
"""Cores, core ranges, shard specs and memory configs of the host `ttnn`
(ttlx.lang.ttnn re-exports them): the names and meanings of ttnn's and
tt-lang-sim 1.1.6's. A tensor in DRAM is interleaved tile pages in the
runtime's emulated DRAM; a tensor whose memory config says L1 lives in
the emulated cores' L1, interleaved or a shard per core (`l1_placement`,
docs/runtime.md "L1 tensors")."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # the runtime is imported when a tensor is placed
    from ..runtime.l1 import L1Placement


class ShardingStrategy(enum.Enum):
    INTERLEAVED = enum.auto()
    HEIGHT_SHARDED = enum.auto()
    WIDTH_SHARDED = enum.auto()
    BLOCK_SHARDED = enum.auto()
    ND_SHARDED = enum.auto()


class ShardStrategy(enum.Enum):
    """The strategy argument of create_sharded_memory_config."""

    HEIGHT = enum.auto()
    WIDTH = enum.auto()
    BLOCK = enum.auto()


class ShardOrientation(enum.Enum):
    ROW_MAJOR = enum.auto()
    COL_MAJOR = enum.auto()


class ShardDistributionStrategy(enum.Enum):
    ROUND_ROBIN_1D = enum.auto()
    GRID_2D = enum.auto()


class BufferType(enum.Enum):
    DRAM = enum.auto()
    L1 = enum.auto()


class TensorMemoryLayout(enum.Enum):
    INTERLEAVED = enum.auto()
    HEIGHT_SHARDED = enum.auto()
    WIDTH_SHARDED = enum.auto()
    BLOCK_SHARDED = enum.auto()
    ND_SHARDED = enum.auto()


_STRATEGY_OF_LAYOUT = {layout: ShardingStrategy[layout.name] for layout in TensorMemoryLayout}


# ----- cores ---------------------------------------------------------------------

@dataclass(frozen=True)
class CoreCoord:
    """A logical core: x is the column, y the row."""

    x: int
    y: int

    def __repr__(self) -> str:
        return f"CoreCoord({self.x}, {self.y})"


@dataclass(frozen=True)
class CoreRange:
    """The cores of an inclusive rectangle."""

    start: CoreCoord
    end: CoreCoord

    def num_cores(self) -> int:
        return (self.end.x - self.start.x + 1) * (self.end.y - self.start.y + 1)


class CoreRangeSet:
    """Core ranges; a set is ordered by (start.y, start.x), a list kept."""

    def __init__(self, ranges: Iterable[CoreRange]) -> None:
        self._ranges = list(ranges) if isinstance(ranges, list) else sorted(
            ranges, key=lambda r: (r.start.y, r.start.x, r.end.y, r.end.x))

    def ranges(self) -> list[CoreRange]:
        return self._ranges

    def num_cores(self) -> int:
        return sum(r.num_cores() for r in self._ranges)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CoreRangeSet) and self._ranges == other._ranges

    def __repr__(self) -> str:
        return f"CoreRangeSet({self._ranges!r})"


@dataclass
class CoreGrid:
    y: int
    x: int

    @property
    def num_cores(self) -> int:
        return self.y * self.x


def core_range_set_to_core_grid(core_ranges: CoreRangeSet) -> CoreGrid:
    """The bounding grid of the ranges."""
    ranges = core_ranges.ranges()
    if not ranges:
        raise ValueError("CoreRangeSet is empty")
    xs = [c.x for r in ranges for c in (r.start, r.end)]
    ys = [c.y for r in ranges for c in (r.start, r.end)]
    return CoreGrid(y=max(ys) - min(ys) + 1, x=max(xs) - min(xs) + 1)


def num_cores_to_corerangeset(target_num_cores: int, grid_size: Sequence[int], row_wise: bool = True) -> CoreRangeSet:
    """`target_num_cores` cores of a [rows, cols] grid: one row when they
    fit in it, else one column, else the bounding box of the first cores in
    row-major order (as tt-lang-sim picks them)."""
    rows, cols = int(grid_size[0]), int(grid_size[1])
    if not 1 <= target_num_cores <= rows * cols:
        raise ValueError(f"target_num_cores must be in 1..{rows * cols}, got {target_num_cores}")
    if row_wise and target_num_cores <= cols:
        return CoreRangeSet([CoreRange(CoreCoord(0, 0), CoreCoord(target_num_cores - 1, 0))])
    if row_wise and target_num_cores <= rows:
        return CoreRangeSet([CoreRange(CoreCoord(0, 0), CoreCoord(0, target_num_cores - 1))])
    last_row = (target_num_cores - 1) // cols
    last_col = cols - 1 if last_row else target_num_cores - 1
    return CoreRangeSet([CoreRange(CoreCoord(0, 0), CoreCoord(last_col, last_row))])


def _cores(ranges: CoreRangeSet) -> list[CoreCoord]:
    return [CoreCoord(x, y) for r in ranges.ranges()
            for y in range(r.start.y, r.end.y + 1) for x in range(r.start.x, r.end.x + 1)]


def split_work_to_cores(core_grid: CoreCoord | CoreRangeSet, units_to_divide: int, row_wise: bool = False
                        ) -> tuple[int, CoreRangeSet, CoreRangeSet, CoreRangeSet, int, int]:
    """(cores used, all cores, group 1, group 2, units per group-1 core,
    units per group-2 core): group 1 takes one unit more when the units do
    not divide evenly. A grid is walked column by column (row by row with
    row_wise); a range set in its own order."""
    if isinstance(core_grid, CoreCoord):
        all_cores = CoreRangeSet([CoreRange(CoreCoord(0, 0), CoreCoord(core_grid.x - 1, core_grid.y - 1))])
        if row_wise:
            order = [CoreCoord(x, y) for y in range(core_grid.y) for x in range(core_grid.x)]
        else:
            order = [CoreCoord(x, y) for x in range(core_grid.x) for y in range(core_grid.y)]
    else:
        all_cores, order = core_grid, _cores(core_grid)
    used = min(len(order), units_to_divide)
    if used == 0:
        empty = CoreRangeSet([])
        return 0, empty, empty, empty, 0, 0
    base, extra = divmod(units_to_divide, used)
    n1, per1, per2 = (extra, base + 1, base) if extra else (used, base, 0)

    def group(cores: list[CoreCoord]) -> CoreRangeSet:
        return CoreRangeSet([CoreRange(c, c) for c in cores])

    return used, all_cores, group(order[:n1]), group(order[n1:used]), per1, per2


# ----- shard specs and memory configs ----------------------------------------------

class ShardSpec:
    """A shard grid and the shape of one shard in elements:
    `ShardSpec(core_range_set, (h, w), orientation)` (tt-metal) or
    `ShardSpec(shard_grid=(n,), shard_shape=(h, w))` (tt-lang-sim)."""

    def __init__(self, *args: Any, shard_grid: Sequence[int] | None = None, shard_shape: Sequence[int] | None = None,
                 orientation: ShardOrientation = ShardOrientation.ROW_MAJOR, grid: CoreRangeSet | None = None,
                 shard_orientation: ShardOrientation | None = None) -> None:
        orientation = shard_orientation or orientation
        if args and isinstance(args[0], CoreRangeSet):
            grid, shard_shape = args[0], args[1]
            orientation = args[2] if len(args) > 2 else orientation
        elif args:
            shard_grid = args[0] if shard_grid is None else shard_grid
            shard_shape = args[1] if shard_shape is None and len(args) > 1 else shard_shape
            orientation = args[2] if len(args) > 2 else orientation
        if shard_shape is None:
            raise TypeError("ShardSpec needs shard_shape")
        if shard_grid is None and grid is None:
            raise TypeError("ShardSpec needs a CoreRangeSet, grid= or shard_grid=")
        self.grid = grid
        self.shard_shape = tuple(int(s) for s in shard_shape)
        self.orientation = orientation
        self._shard_grid = tuple(int(s) for s in shard_grid) if shard_grid is not None else None

    @property
    def shard_grid(self) -> tuple[int, ...]:
        if self._shard_grid is None:
            raise ValueError("this ShardSpec has a CoreRangeSet; MemoryConfig(layout, buffer_type, spec) "
                             "resolves its shard grid")
        return self._shard_grid

    def with_resolved_shard_grid(self, layout: TensorMemoryLayout) -> ShardSpec:
        if self._shard_grid is not None or self.grid is None:
            return self
        cg = core_range_set_to_core_grid(self.grid)
        if layout == TensorMemoryLayout.BLOCK_SHARDED:
            sg: tuple[int, ...] = (cg.y, cg.x)
        elif layout in (TensorMemoryLayout.HEIGHT_SHARDED, TensorMemoryLayout.WIDTH_SHARDED):
            sg = (cg.num_cores,)
        else:
            raise ValueError(f"a ShardSpec has no shard grid for {layout}")
        return ShardSpec(shard_grid=sg, shard_shape=self.shard_shape, orientation=self.orientation, grid=self.grid)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShardSpec) and (self._shard_grid, self.shard_shape, self.orientation, self.grid) == (
            other._shard_grid, other.shard_shape, other.orientation, other.grid)

    def __repr__(self) -> str:
        return (f"ShardSpec(shard_grid={self._shard_grid!r}, shard_shape={self.shard_shape!r}, "
                f"orientation={self.orientation!r}, grid={self.grid!r})")


@dataclass
class NdShardSpec:
    """N-d sharding: the extent of one shard along each dimension, in
    elements; shard_grid defaults to tensor shape / shard shape."""

    shard_shape: tuple[int, ...]
    core_ranges: CoreRangeSet | None = None
    shard_grid: tuple[int, ...] | None = None
    distribution: ShardDistributionStrategy = ShardDistributionStrategy.ROUND_ROBIN_1D
    num_cores: int | None = None

    def __post_init__(self) -> None:
        self.shard_shape = tuple(self.shard_shape)
        if self.shard_grid is not None:
            self.shard_grid = tuple(self.shard_grid)

    def with_resolved_shard_grid(self, tensor_shape: Sequence[int]) -> NdShardSpec:
        if self.shard_grid is not None:
            return self
        if len(tensor_shape) != len(self.shard_shape):
            raise ValueError(f"tensor rank {len(tensor_shape)} does not match shard_shape rank {len(self.shard_shape)}")
        for i, (t, s) in enumerate(zip(tensor_shape, self.shard_shape)):
            if s < 1 or t % s:
                raise ValueError(f"tensor dimension {i} of size {t} is not a multiple of shard_shape[{i}]={s}")
        return replace(self, shard_grid=tuple(t // s for t, s in zip(tensor_shape, self.shard_shape)),
                       distribution=ShardDistributionStrategy.GRID_2D)


class MemoryConfig:
    """Where a tensor lives: `MemoryConfig(TensorMemoryLayout, BufferType,
    ShardSpec | NdShardSpec)` (tt-metal) or `MemoryConfig(strategy=...,
    shard_spec=...)` (tt-lang-sim)."""

    def __init__(self, *args: Any, strategy: ShardingStrategy | None = None, shard_spec: ShardSpec | None = None,
                 nd_shard_spec: NdShardSpec | None = None, buffer_type: BufferType = BufferType.DRAM,
                 tensor_memory_layout: TensorMemoryLayout | None = None) -> None:
        if args and isinstance(args[0], TensorMemoryLayout):
            tensor_memory_layout = args[0]
            buffer_type = args[1] if len(args) > 1 else buffer_type
            spec = args[2] if len(args) > 2 else None
            strategy = _STRATEGY_OF_LAYOUT[tensor_memory_layout]
            if isinstance(spec, ShardSpec):
                shard_spec = spec.with_resolved_shard_grid(tensor_memory_layout)
            elif isinstance(spec, NdShardSpec):
                strategy, nd_shard_spec = ShardingStrategy.ND_SHARDED, spec
            elif spec is not None:
                raise TypeError(f"the third argument of MemoryConfig is a ShardSpec or NdShardSpec, got {type(spec)}")
        elif args:
            strategy = args[0]
        if strategy is None:
            raise TypeError("MemoryConfig takes strategy=... or (TensorMemoryLayout, BufferType, ShardSpec)")
        self.strategy = strategy
        self.shard_spec = shard_spec
        self.nd_shard_spec = nd_shard_spec
        self.buffer_type = buffer_type
        self.tensor_memory_layout = tensor_memory_layout

    def is_sharded(self) -> bool:
        return self.strategy != ShardingStrategy.INTERLEAVED

    def __eq__(self, other: object) -> bool:
        keys = ("strategy", "shard_spec", "nd_shard_spec", "buffer_type", "tensor_memory_layout")
        return isinstance(other, MemoryConfig) and all(getattr(self, k) == getattr(other, k) for k in keys)

    def __repr__(self) -> str:
        return (f"MemoryConfig(strategy={self.strategy!r}, shard_spec={self.shard_spec!r}, "
                f"nd_shard_spec={self.nd_shard_spec!r}, buffer_type={self.buffer_type!r})")


DRAM_MEMORY_CONFIG = MemoryConfig(ShardingStrategy.INTERLEAVED, buffer_type=BufferType.DRAM)
L1_MEMORY_CONFIG = MemoryConfig(ShardingStrategy.INTERLEAVED, buffer_type=BufferType.L1)

_SHARDED = {ShardStrategy.HEIGHT: ShardingStrategy.HEIGHT_SHARDED, ShardStrategy.WIDTH: ShardingStrategy.WIDTH_SHARDED,
            ShardStrategy.BLOCK: ShardingStrategy.BLOCK_SHARDED}


def create_sharded_memory_config(shape: Sequence[int], core_grid: CoreGrid, strategy: ShardStrategy,
                                 orientation: ShardOrientation | None = None,
                                 use_height_and_width_as_shard_shape: bool = False) -> MemoryConfig:
    """An L1 memory config sharding a tensor of `shape` (elements; leading
    dims fold into the height) over the cores of `core_grid` (from (0, 0));
    with use_height_and_width_as_shard_shape, shape[-2:] is the shard
    itself."""
    dims = tuple(int(s) for s in shape)
    if use_height_and_width_as_shard_shape:
        shard = (dims[-2], dims[-1])
    else:
        height, width = math.prod(dims[:-1]), dims[-1]
        shard = {ShardStrategy.HEIGHT: (height // core_grid.num_cores, width),
                 ShardStrategy.WIDTH: (height, width // core_grid.num_cores),
                 ShardStrategy.BLOCK: (height // core_grid.y, width // core_grid.x)}[strategy]
    grid = (core_grid.y, core_grid.x) if strategy == ShardStrategy.BLOCK else (core_grid.num_cores,)
    cores = CoreRangeSet([CoreRange(CoreCoord(0, 0), CoreCoord(core_grid.x - 1, core_grid.y - 1))])
    spec = ShardSpec(shard_grid=grid, shard_shape=shard, orientation=orientation or ShardOrientation.ROW_MAJOR,
                     grid=cores)
    return MemoryConfig(strategy=_SHARDED[strategy], shard_spec=spec, buffer_type=BufferType.L1,
                        tensor_memory_layout=TensorMemoryLayout[_SHARDED[strategy].name])


@dataclass(frozen=True)
class TensorSpec:
    """Shape, dtype, layout and memory config for from_torch(spec=...)."""

    shape: tuple[int, ...]
    dtype: Any = None
    layout: Any = None
    buffer_type: BufferType = BufferType.DRAM
    memory_layout: TensorMemoryLayout = TensorMemoryLayout.INTERLEAVED
    memory_config: MemoryConfig | None = None
    core_ranges: CoreRangeSet | None = None

    def _sharded(self, strategy: ShardStrategy, core_ranges: CoreRangeSet) -> TensorSpec:
        config = create_sharded_memory_config(self.shape, core_range_set_to_core_grid(core_ranges), strategy)
        assert config.shard_spec is not None
        config.shard_spec.grid = core_ranges  # the shards go to these cores (l1_placement)
        return replace(self, memory_layout=TensorMemoryLayout[_SHARDED[strategy].name], memory_config=config,
                       core_ranges=core_ranges, buffer_type=BufferType.L1)

    def height_sharded(self, core_ranges: CoreRangeSet) -> TensorSpec:
        return self._sharded(ShardStrategy.HEIGHT, core_ranges)

    def width_sharded(self, core_ranges: CoreRangeSet) -> TensorSpec:
        return self._sharded(ShardStrategy.WIDTH, core_ranges)

    def block_sharded(self, core_ranges: CoreRangeSet) -> TensorSpec:
        return self._sharded(ShardStrategy.BLOCK, core_ranges)

    def nd_sharded(self, shard_shape: Sequence[int], core_ranges: CoreRangeSet) -> TensorSpec:
        spec = NdShardSpec(shard_shape=tuple(shard_shape), core_ranges=core_ranges)
        config = MemoryConfig(strategy=ShardingStrategy.ND_SHARDED, nd_shard_spec=spec, buffer_type=BufferType.L1)
        return replace(self, memory_layout=TensorMemoryLayout.ND_SHARDED, memory_config=config,
                       core_ranges=core_ranges, buffer_type=BufferType.L1)

    def sharded_across_dims(self, dims: Sequence[int], core_ranges: CoreRangeSet) -> TensorSpec:
        """Shards the given dimensions over the cores, their counts a
        factorisation of the core count (largest factor first)."""
        factors = sorted(_factor(core_ranges.num_cores(), len(dims)), reverse=True)
        grid = [1] * len(self.shape)
        for d, f in zip(sorted(dims), factors):
            grid[d] = f
        shard = tuple(-(-s // g) for s, g in zip(self.shape, grid))
        spec = NdShardSpec(shard_shape=shard, shard_grid=tuple(grid), core_ranges=core_ranges,
                           distribution=ShardDistributionStrategy.GRID_2D)
        config = MemoryConfig(strategy=ShardingStrategy.ND_SHARDED, nd_shard_spec=spec, buffer_type=BufferType.L1)
        return replace(self, memory_layout=TensorMemoryLayout.ND_SHARDED, memory_config=config,
                       core_ranges=core_ranges, buffer_type=BufferType.L1)


def _factor(n: int, k: int) -> tuple[int, ...]:
    """n as k positive factors, prime factors dealt round-robin."""
    factors, p, i = [1] * k, 2, 0
    while n > 1:
        if p * p > n:
            factors[i % k] *= n
            break
        if n % p:
            p += 1
            continue
        factors[i % k] *= p
        n //= p
        i += 1
    return tuple(factors)


# ----- placement in L1 -------------------------------------------------------------

def l1_placement(config: MemoryConfig, tile_rows: int, tile_cols: int, op_grid: tuple[int, int],
                 chip_grid: tuple[int, int]) -> L1Placement | None:
    """Where the tile pages of a tensor of tile_rows x tile_cols tiles with
    memory config `config` live, as tt-metal places them; None for DRAM.
    Interleaved L1: over the chip's cores (its L1 banks). Sharded: shard k
    (in row-major shard order) on the k-th core of the shard spec's
    CoreRangeSet in its orientation (so that a block shard (i, j) is on core
    (x=j, y=i), COL_MAJOR: (x=i, y=j)), or, for a shard grid without cores (tt-lang-sim's
    ShardSpec(shard_grid=(n,))), on node k of the operation's grid
    (row-major, as ttl.node(dims=1)) when it has that many nodes, else of
    the chip's grid; pages row-major inside a shard."""
    from ..runtime.l1 import L1Placement, interleaved

    if config.buffer_type != BufferType.L1:
        return None
    if config.strategy == ShardingStrategy.INTERLEAVED:
        return interleaved(tile_rows * tile_cols, chip_grid)
    if config.strategy == ShardingStrategy.ND_SHARDED:
        raise ValueError("ND-sharded tensors in L1 are not placed by ttlx; use height, width or block sharding")
    spec = config.shard_spec
    if spec is None:
        raise ValueError(f"a {config.strategy.name} memory config needs a shard spec")
    sh, sw = -(-spec.shard_shape[0] // 32), -(-spec.shard_shape[1] // 32)
    if config.strategy == ShardingStrategy.HEIGHT_SHARDED:
        sw = tile_cols
    elif config.strategy == ShardingStrategy.WIDTH_SHARDED:
        sh = tile_rows
    grid_rows, grid_cols = -(-tile_rows // sh), -(-tile_cols // sw)
    cores = _shard_cores(spec, grid_rows * grid_cols, op_grid, chip_grid)
    placed_cores, slots = [], []
    for r in range(tile_rows):
        for c in range(tile_cols):
            placed_cores.append(cores[(r // sh) * grid_cols + c // sw])
            slots.append((r % sh) * sw + c % sw)
    kind = config.strategy.name.split("_")[0].lower() + "-sharded L1"
    return L1Placement(tuple(placed_cores), tuple(slots), kind)


def _shard_cores(spec: ShardSpec, shards: int, op_grid: tuple[int, int],
                 chip_grid: tuple[int, int]) -> list[tuple[int, int]]:
    if spec.grid is not None:
        if spec.orientation == ShardOrientation.COL_MAJOR:
            cores = [(x, y) for r in spec.grid.ranges() for x in range(r.start.x, r.end.x + 1)
                     for y in range(r.start.y, r.end.y + 1)]
        else:
            cores = [(c.x, c.y) for c in _cores(spec.grid)]
    else:
        gx, gy = op_grid if shards <= op_grid[0] * op_grid[1] else chip_grid
        cores = [(k % gx, k // gx) for k in range(min(shards, gx * gy))]
    if len(cores) < shards:
        raise ValueError(f"the tensor has {shards} shards but its shard spec names {len(cores)} cores")
    return cores[:shards]
