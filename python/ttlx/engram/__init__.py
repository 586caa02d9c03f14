# SPDX-License-Identifier: Apache-2.0
"""DeepSeek's Engram conditional memory: a PyTorch reference of the forward
of `engram_demo_v1.py` (compressed tokenizer, n-gram hashing, multi-head
embedding, gate, ShortConv). Depends on torch, numpy and `tokenizers` only,
not on the rest of ttlx, so it can judge the TT kernels."""

from .config import EngramConfig
from .hashing import NgramHashMapping, find_next_prime
from .model import EngramLayer, OnDemandEmbedding, gate, rms_norm, short_conv
from .tokenizer import CompressedTokenizer

__all__ = ["CompressedTokenizer", "EngramConfig", "EngramLayer", "NgramHashMapping", "OnDemandEmbedding",
           "find_next_prime", "gate", "rms_norm", "short_conv"]
