# SPDX-License-Identifier: Apache-2.0
"""The Engram demo on the host runtime (`make demo`, `python -m
ttlx.engram.demo`): the seed text through both Engram layers, hash, embedding
and projections on the CPU, the gate and ShortConv as TT kernels, every
stage compared with the float32 PyTorch reference.

The sequence is padded (with the pad token) to `--length` tokens, 128 by
default: four tile-rows, so the conv runs on four sequence nodes with its
halo rows crossing nodes through pipes.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import torch

from . import CompressedTokenizer, EngramConfig, EngramLayer, NgramHashMapping, gate, short_conv
from .tt import conv_layout, tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused

TEXT = "Only Alexander the Great could tame the horse Bucephalus."
# What the original TT-Lang port reached against float32 PyTorch.
SEED_MAX_ERR, SEED_MEAN_ERR = 0.0548, 0.00223


def sample(t: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:+.4f}" for v in t.reshape(-1)[:4].tolist()) + ", ...]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", default=TEXT)
    parser.add_argument("--length", type=int, default=128, help="padded sequence length (tokens)")
    parser.add_argument("--layers", type=int, nargs="*", help="Engram layer ids (default: the config's)")
    args = parser.parse_args(argv)

    config = EngramConfig()
    tokenizer = CompressedTokenizer()
    raw = tokenizer.encode(args.text)
    if len(raw) > args.length:
        parser.error(f"the text has {len(raw)} tokens, more than --length {args.length}")
    ids = tokenizer(raw + [config.pad_id] * (args.length - len(raw)))[None, :]
    hashing = NgramHashMapping(config, tokenizer)
    eps = torch.finfo(torch.float32).eps
    seq_nodes, width = conv_layout(args.length, config.hidden_size)
    print(f'Text: "{args.text}"')
    print(f"Tokens: {len(raw)} (with BOS), padded length: {args.length}")

    worst_max, worst_mean, means = 0.0, 0.0, []
    fused_ok = True  # the fused paths: as accurate, and the gate in one DRAM pass
    for layer_id in args.layers or config.layer_ids:
        layer = EngramLayer(config, hashing, layer_id)
        hidden = torch.randn(1, args.length, config.hc_mult, config.hidden_size,
                             generator=torch.Generator().manual_seed(100 + layer_id))
        print(f"\n=== Engram layer {layer_id} ===")
        start = time.perf_counter()
        emb = layer.embed(ids)
        print(f"Step 1: hash + embed (CPU): embeddings {tuple(emb.shape)} {sample(emb[0, 0])}")
        value = emb @ layer.value_proj[0].T + layer.value_proj[1]
        keys = [emb @ w.T + b for w, b in layer.key_projs]
        print(f"Step 2: key/value projection (CPU): value {sample(value[0, 0])}, "
              f"{len(keys)} keys {sample(keys[0][0, 0])}")

        ref_gates = torch.stack([gate(keys[i], hidden[:, :, i, :], layer.norm1[i], layer.norm2[i], eps)
                                 for i in range(config.hc_mult)], dim=2).unsqueeze(-1)
        ref_gated = ref_gates * value.unsqueeze(2)
        print(f"Step 3: PyTorch gating: gated {tuple(ref_gated.shape)} {sample(ref_gated[0, 0, 0])}")

        counters: dict = {}
        t0 = time.perf_counter()
        tt_gated = tt_gate(keys, hidden, value, layer.norm1, layer.norm2, eps, counters=counters)
        gate_err = (tt_gated - ref_gated).abs().max().item()
        print(f"Step 4: TT gating (grid auto, 64 nodes, {time.perf_counter() - t0:.2f} s, "
              f"{counters['dram_bytes_read'] / 2**20:.1f} MiB read): max_err {gate_err:.3e}, "
              f"allclose(atol=1e-4) {torch.allclose(tt_gated, ref_gated, atol=1e-4)}")

        traffic: list = []
        t0 = time.perf_counter()
        fused = tt_gate_fused(keys, hidden, value, layer.norm1, layer.norm2, eps, traffic=traffic)
        fused_err = (fused - ref_gated).abs().max().item()
        kqv = sum(read for read, _ in traffic[:3])
        minimum = sum(t.numel() * 4 for t in (*keys, hidden, value))
        fused_ok &= kqv == minimum and traffic[5][1] == ref_gated.numel() * 4 and fused_err <= SEED_MAX_ERR
        print(f"Step 4b: TT gating, fused ttl.math.engram_gate ({time.perf_counter() - t0:.2f} s): max_err "
              f"{fused_err:.3e}, key/query/value read {kqv / 2**20:.2f} MiB (their size: "
              f"{minimum / 2**20:.2f} MiB), output written {traffic[5][1] / 2**20:.2f} MiB")

        ref_out = ref_gated + short_conv(ref_gated, layer.conv_norm, layer.conv_weight, config.kernel_size,
                                         config.dilation, config.conv_norm_eps)
        print(f"Step 5: PyTorch ShortConv: output {tuple(ref_out.shape)} {sample(ref_out[0, 0, 0])}")

        counters = {}
        t0 = time.perf_counter()
        tt_out = tt_short_conv(tt_gated, layer.conv_norm, layer.conv_weight, config.kernel_size, config.dilation,
                               config.conv_norm_eps, counters=counters)
        print(f"Step 6: TT conv ({seq_nodes} sequence nodes x {config.hc_mult * config.hidden_size // 32 // width} "
              f"column groups, halo through pipes, {time.perf_counter() - t0:.2f} s, "
              f"{counters['dram_bytes_read'] / 2**20:.1f} MiB read): output {sample(tt_out[0, 0, 0])}")

        t0 = time.perf_counter()
        fused_out = tt_short_conv_fused(tt_gated, layer.conv_norm, layer.conv_weight, config.kernel_size,
                                        config.dilation, config.conv_norm_eps)
        fused_ok &= (fused_out - ref_out).abs().max().item() <= SEED_MAX_ERR
        print(f"Step 6b: TT conv, fused ttl.math.depthwise_conv1d ({time.perf_counter() - t0:.2f} s): max_err "
              f"{(fused_out - ref_out).abs().max().item():.3e} (hand-written: "
              f"{(tt_out - ref_out).abs().max().item():.3e})")

        print("Final comparison (TT vs float32 PyTorch, output = u + ShortConv(u)):")
        for branch in range(config.hc_mult):
            err = (tt_out[0, :, branch] - ref_out[0, :, branch]).abs()
            print(f"  hyper-connection branch {branch}: max_err {err.max().item():.3e}, "
                  f"mean_err {err.mean().item():.3e}")
        err = (tt_out - ref_out).abs()
        worst_max = max(worst_max, err.max().item())
        means.append(err.mean().item())
        print(f"  layer {layer_id} overall: max_err {err.max().item():.3e}, mean_err {err.mean().item():.3e} "
              f"({time.perf_counter() - start:.1f} s)")

    worst_mean = float(np.mean(means))
    print(f"\nConfig: vocab {list(config.engram_vocab_size)}, max_ngram {config.max_ngram_size}, "
          f"{config.n_head_per_ngram} heads x {config.head_dim} per n-gram, hidden {config.hidden_size}, "
          f"hc_mult {config.hc_mult}, kernel {config.kernel_size}, dilation {config.dilation}, "
          f"layers {list(args.layers or config.layer_ids)}, float32 with 32-bit DST")
    print(f"Overall: max_err {worst_max:.3e}, mean_err {worst_mean:.3e} "
          f"(the original TT-Lang port: {SEED_MAX_ERR}, {SEED_MEAN_ERR})")
    print(f"Fused paths: {'as accurate, gate inputs read once' if fused_ok else 'FAILED their checks'}")
    ok = worst_max <= SEED_MAX_ERR and worst_mean <= SEED_MEAN_ERR and fused_ok
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
