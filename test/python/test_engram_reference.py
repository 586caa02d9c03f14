# SPDX-License-Identifier: Apache-2.0
"""The Engram PyTorch reference (ttlx.engram) against the published facts of
engram_demo_v1.py and against direct formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ttlx.engram import (CompressedTokenizer, EngramConfig, EngramLayer, NgramHashMapping, OnDemandEmbedding,
                         find_next_prime, gate, short_conv)


@pytest.fixture(scope="module")
def tokenizer():
    return CompressedTokenizer()


@pytest.fixture(scope="module")
def hashing(tokenizer):
    return NgramHashMapping(EngramConfig(), tokenizer)


def test_compressed_vocabulary_size(tokenizer):
    assert len(tokenizer) == 98627
    # Case and accents collapse: "The" and "the" share a compressed id.
    ids = tokenizer.tokenizer.encode("The the", add_special_tokens=False).ids
    assert tokenizer(ids)[0] == tokenizer(ids)[1]


def test_layer_multipliers_and_primes(hashing):
    assert hashing.layer_multipliers[1].tolist() == [76993395940407, 4862694818241, 36129212583461]
    assert all(m % 2 == 1 for layer in (1, 15) for m in hashing.layer_multipliers[layer].tolist())
    primes = [p for layer in (1, 15) for order in hashing.head_sizes[layer] for p in order]
    assert primes[:2] == [646403, 646411]
    assert len(primes) == 2 * 2 * 8 and len(set(primes)) == len(primes)  # never reused
    assert primes == sorted(primes)  # each search starts above the last prime
    assert find_next_prime(646402, {646403}) == 646411


def test_hashes_follow_the_formula(hashing):
    ids = np.array([[5, 17, 900, 3, 98626]], dtype=np.int64)
    got = hashing.hashes(ids, 15)
    m = hashing.layer_multipliers[15].tolist()
    pad = hashing.pad_id
    t = 3
    x0, x1, x2 = ids[0, t], ids[0, t - 1], ids[0, t - 2]
    mix2 = (int(x0) * m[0]) ^ (int(x1) * m[1])
    mix3 = mix2 ^ (int(x2) * m[2])
    sizes = hashing.head_sizes[15]
    assert got[0, t].tolist() == [mix2 % p for p in sizes[0]] + [mix3 % p for p in sizes[1]]
    # Position 0: the previous tokens are the compressed pad id.
    mix2_first = (int(ids[0, 0]) * m[0]) ^ (pad * m[1])
    assert got[0, 0, 0] == mix2_first % sizes[0][0]
    assert got.shape == (1, 5, 16)


def test_on_demand_rows_equal_the_materialized_table():
    emb = OnDemandEmbedding([7, 11, 13], head_dim=4, seed=0, layer=1)
    table = emb.materialize_table()
    ids = np.array([[[0, 3, 12], [6, 10, 1]]])
    got = emb(ids)
    want = torch.cat([table[ids[0, :, h] + emb.offsets[h]] for h in range(3)], dim=-1)
    assert torch.equal(got[0], want)
    assert torch.equal(emb.row(5), emb.row(5))  # reproducible
    assert not torch.equal(emb.row(5), emb.row(6))


def test_gate_matches_the_direct_formula():
    torch.manual_seed(0)
    k, q = torch.randn(3, 64), torch.randn(3, 64)
    wk, wq = torch.rand(64) + 0.5, torch.rand(64) + 0.5
    eps = torch.finfo(torch.float32).eps
    got = gate(k, q, wk, wq, eps)
    for r in range(3):
        nk = [k[r, i] / math.sqrt(float((k[r] ** 2).mean()) + eps) * wk[i] for i in range(64)]
        nq = [q[r, i] / math.sqrt(float((q[r] ** 2).mean()) + eps) * wq[i] for i in range(64)]
        s = sum(float(a * b) for a, b in zip(nk, nq)) / 8.0
        g = 1 / (1 + math.exp(-math.copysign(math.sqrt(max(abs(s), 1e-6)), s)))
        assert abs(float(got[r]) - g) < 1e-5


def test_short_conv_matches_the_direct_formula():
    torch.manual_seed(1)
    b, t, g, c, k, dil = 1, 12, 2, 3, 4, 3
    x = torch.randn(b, t, g, c)
    w = torch.randn(g * c, 1, k)
    norms = torch.ones(g, c)
    got = short_conv(x, norms, w, k, dil, 1e-5)
    normed = torch.cat([x[:, :, i, :] * torch.rsqrt(x[:, :, i, :].pow(2).mean(-1, keepdim=True) + 1e-5)
                        for i in range(g)], dim=-1)
    for ch in range(g * c):
        for s in range(t):
            acc = sum(float(w[ch, 0, j]) * float(normed[0, s - dil * (k - 1 - j), ch])
                      for j in range(k) if s - dil * (k - 1 - j) >= 0)
            want = acc / (1 + math.exp(-acc))  # SiLU
            assert abs(float(got[0, s, ch // c, ch % c]) - want) < 1e-5


def test_layer_forward_shapes_and_determinism(tokenizer, hashing):
    config = EngramConfig()
    ids = tokenizer(tokenizer.encode("Only Alexander the Great could tame the horse Bucephalus."))[None, :]
    hidden = torch.randn(1, ids.shape[1], config.hc_mult, config.hidden_size, generator=torch.Generator().manual_seed(0))
    a = EngramLayer(config, hashing, 1).forward(hidden, ids)
    b = EngramLayer(config, hashing, 1).forward(hidden, ids)
    assert a["output"].shape == (1, ids.shape[1], 4, 1024)
    assert a["embeddings"].shape == (1, ids.shape[1], 1024)
    assert torch.equal(a["output"], b["output"])
    assert torch.allclose(a["output"], a["gated"] + a["conv"])
