# SPDX-License-Identifier: Apache-2.0
"""The Engram forward of engram_demo_v1.py with seeded, deterministic
weights. The embedding tables of the full configuration hold 2.65 GB of
fp32 per layer, so their rows are generated on demand from a per-row seed;
`materialize_table` builds the same rows all at once (for small tables and
tests)."""

from __future__ import annotations

import math

import numpy as np
import torch

from .config import EngramConfig
from .hashing import NgramHashMapping


def _row_seed(seed: int, layer: int, row: int) -> int:
    # splitmix64-style mixing: distinct, reproducible seeds per row.
    z = (seed * 0x9E3779B97F4A7C15 + layer * 0xBF58476D1CE4E5B9 + row * 0x94D049BB133111EB) & (2**64 - 1)
    z ^= z >> 31
    return z & (2**63 - 1)


class OnDemandEmbedding:
    """A [sum(heads sizes), head_dim] N(0, 1) table whose rows are made when
    looked up: row r is torch.randn(head_dim) from seed (seed, layer, r)."""

    def __init__(self, head_sizes: list[int], head_dim: int, seed: int, layer: int):
        self.offsets = np.cumsum([0, *head_sizes[:-1]]).astype(np.int64)
        self.rows = int(sum(head_sizes))
        self.head_dim, self.seed, self.layer = head_dim, seed, layer

    def row(self, r: int) -> torch.Tensor:
        g = torch.Generator().manual_seed(_row_seed(self.seed, self.layer, int(r)))
        return torch.randn(self.head_dim, generator=g)

    def __call__(self, head_ids: np.ndarray) -> torch.Tensor:
        """[B, T, heads] per-head ids -> [B, T, heads * head_dim]."""
        flat = (np.asarray(head_ids) + self.offsets).reshape(-1)
        unique, inverse = np.unique(flat, return_inverse=True)
        table = torch.stack([self.row(r) for r in unique])
        out = table[torch.from_numpy(inverse)]
        return out.reshape(*head_ids.shape[:-1], head_ids.shape[-1] * self.head_dim)

    def materialize_table(self) -> torch.Tensor:
        return torch.stack([self.row(r) for r in range(self.rows)])


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + eps) * weight


def gate(key: torch.Tensor, query: torch.Tensor, wk: torch.Tensor, wq: torch.Tensor, eps: float) -> torch.Tensor:
    """g = sigmoid(sign(s) sqrt(max(|s|, 1e-6))), s = <rms(k) wk, rms(q) wq> / sqrt(D)."""
    s = (rms_norm(key, wk, eps) * rms_norm(query, wq, eps)).sum(dim=-1) / math.sqrt(key.shape[-1])
    return torch.sigmoid(s.abs().clamp_min(1e-6).sqrt() * s.sign())


def short_conv(x: torch.Tensor, norm_weights: torch.Tensor, conv_weight: torch.Tensor, kernel_size: int,
               dilation: int, eps: float, activation: bool = True) -> torch.Tensor:
    """ShortConv: per-branch RMSNorm, depthwise causal conv1d over the
    sequence (y_t = sum_j w_j x_{t - dil (K-1-j)}, zeros before the start),
    SiLU. x: [B, L, G, C]; conv_weight: [G*C, 1, K]."""
    b, t, g, c = x.shape
    # Each branch normalized straight into the [B, G*C, L] layout conv1d reads,
    # and SiLU in place: at 32K tokens every [B, L, G*C] float32 intermediate
    # is 512 MiB (a concatenation, conv1d's copy of a transposed input, SiLU's
    # output), and the benchmark's peak RSS was this reference's.
    normed = torch.empty(0)
    for i in range(g):
        branch = rms_norm(x[:, :, i, :], norm_weights[i], eps).transpose(1, 2)
        if i == 0:
            normed = torch.empty(b, g * c, t, dtype=branch.dtype)
        normed[:, i * c:(i + 1) * c] = branch
        del branch
    y = torch.nn.functional.conv1d(normed, conv_weight, padding=(kernel_size - 1) * dilation,
                                   dilation=dilation, groups=g * c)[..., :t]
    del normed
    if activation:
        torch.nn.functional.silu(y, inplace=True)
    return y.transpose(1, 2).reshape(b, t, g, c)


class EngramLayer:
    """One Engram layer with seeded weights: value_proj, hc_mult key_projs,
    the gate norms (eps = fp32 machine epsilon) and ShortConv."""

    def __init__(self, config: EngramConfig, hashing: NgramHashMapping, layer: int, seed: int = 0):
        self.config, self.hashing, self.layer = config, hashing, layer
        sizes = [p for order in hashing.head_sizes[layer] for p in order]
        self.embedding = OnDemandEmbedding(sizes, config.head_dim, config.seed, layer)
        g = torch.Generator().manual_seed(seed + 1000 * layer)
        d_in, d = config.engram_hidden_size, config.hidden_size
        bound = 1 / math.sqrt(d_in)

        def linear():
            return ((torch.rand(d, d_in, generator=g) * 2 - 1) * bound, (torch.rand(d, generator=g) * 2 - 1) * bound)

        self.value_proj = linear()
        self.key_projs = [linear() for _ in range(config.hc_mult)]
        self.norm1 = torch.ones(config.hc_mult, d)
        self.norm2 = torch.ones(config.hc_mult, d)
        self.conv_norm = torch.ones(config.hc_mult, d)
        k_bound = 1 / math.sqrt(config.kernel_size)
        self.conv_weight = (torch.rand(config.hc_mult * d, 1, config.kernel_size, generator=g) * 2 - 1) * k_bound

    def embed(self, compressed_ids: np.ndarray) -> torch.Tensor:
        return self.embedding(self.hashing.hashes(compressed_ids, self.layer))

    def forward(self, hidden: torch.Tensor, compressed_ids: np.ndarray) -> dict[str, torch.Tensor]:
        """hidden: [B, L, hc_mult, D]. Returns every stage the demo prints."""
        eps = torch.finfo(torch.float32).eps
        emb = self.embed(compressed_ids)
        value = emb @ self.value_proj[0].T + self.value_proj[1]
        keys = [emb @ w.T + b for w, b in self.key_projs]
        gates = torch.stack([gate(keys[i], hidden[:, :, i, :], self.norm1[i], self.norm2[i], eps)
                             for i in range(self.config.hc_mult)], dim=2).unsqueeze(-1)
        gated = gates * value.unsqueeze(2)
        conv = short_conv(gated, self.conv_norm, self.conv_weight, self.config.kernel_size,
                          self.config.dilation, self.config.conv_norm_eps)
        return {"embeddings": emb, "value": value, "keys": keys, "gates": gates, "gated": gated,
                "conv": conv, "output": gated + conv}
