# SPDX-License-Identifier: Apache-2.0
"""N-gram hashing: per layer, odd multipliers from a seeded generator mix
the compressed ids of each 2- and 3-gram with XOR; each of the 8 heads per
order takes the mix modulo its own prime table size."""

from __future__ import annotations

import numpy as np

from .config import EngramConfig
from .tokenizer import CompressedTokenizer

LAYER_SEED_PRIME = 10007


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    f = 3
    while f * f <= n:
        if n % f == 0:
            return False
        f += 2
    return True


def find_next_prime(start: int, seen: set[int]) -> int:
    """The smallest prime above `start` not in `seen`."""
    n = start + 1
    while not is_prime(n) or n in seen:
        n += 1
    return n


class NgramHashMapping:
    def __init__(self, config: EngramConfig, tokenizer: CompressedTokenizer):
        self.config = config
        self.tokenizer = tokenizer
        vocab = len(tokenizer)
        self.pad_id = int(tokenizer.lookup_table[config.pad_id])
        m_max = int(np.iinfo(np.int64).max // vocab)
        half_bound = max(1, m_max // 2)
        self.layer_multipliers = {}
        for layer in config.layer_ids:
            rng = np.random.default_rng(int(config.seed + LAYER_SEED_PRIME * layer))
            r = rng.integers(low=0, high=half_bound, size=(config.max_ngram_size,), dtype=np.int64)
            self.layer_multipliers[layer] = r * 2 + 1
        self.head_sizes = self._head_sizes()

    def _head_sizes(self) -> dict[int, list[list[int]]]:
        """Prime table size of every head, never reusing a prime."""
        seen: set[int] = set()
        sizes = {}
        for layer in self.config.layer_ids:
            per_order = []
            for n in range(2, self.config.max_ngram_size + 1):
                start = self.config.engram_vocab_size[n - 2] - 1
                heads = []
                for _ in range(self.config.n_head_per_ngram):
                    prime = find_next_prime(start, seen)
                    seen.add(prime)
                    heads.append(prime)
                    start = prime
                per_order.append(heads)
            sizes[layer] = per_order
        return sizes

    def hashes(self, compressed_ids: np.ndarray, layer: int) -> np.ndarray:
        """[B, T] compressed ids -> [B, T, heads] head indices."""
        x = np.asarray(compressed_ids, dtype=np.int64)
        _, t = x.shape
        multipliers = self.layer_multipliers[layer]
        shifts = [x] + [np.pad(x, ((0, 0), (k, 0)), constant_values=self.pad_id)[:, :t]
                        for k in range(1, self.config.max_ngram_size)]
        out = []
        for n in range(2, self.config.max_ngram_size + 1):
            mix = shifts[0] * multipliers[0]
            for k in range(1, n):
                mix = np.bitwise_xor(mix, shifts[k] * multipliers[k])
            for prime in self.head_sizes[layer][n - 2]:
                out.append(mix % prime)
        return np.stack(out, axis=2)
