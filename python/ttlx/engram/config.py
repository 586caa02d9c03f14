# SPDX-License-Identifier: Apache-2.0
"""The configuration of engram_demo_v1.py."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EngramConfig:
    engram_vocab_size: tuple[int, ...] = (129280 * 5, 129280 * 5)  # per n-gram order, n = 2..
    max_ngram_size: int = 3
    n_embed_per_ngram: int = 512
    n_head_per_ngram: int = 8
    layer_ids: tuple[int, ...] = (1, 15)
    pad_id: int = 2  # raw tokenizer id; hashed through the compressed table
    seed: int = 0
    kernel_size: int = 4
    hidden_size: int = 1024
    hc_mult: int = 4
    conv_norm_eps: float = 1e-5

    @property
    def dilation(self) -> int:
        return self.max_ngram_size

    @property
    def head_dim(self) -> int:
        return self.n_embed_per_ngram // self.n_head_per_ngram

    @property
    def engram_hidden_size(self) -> int:
        return (self.max_ngram_size - 1) * self.n_embed_per_ngram
