"""The Engram inputs both benchmarks time (seeded by the length), the
torch reference of the gate they are checked against, and the error."""
from __future__ import annotations

from dataclasses import dataclass

import torch

from ttlx.engram import EngramConfig, gate


@dataclass
class EngramCase:
    config: EngramConfig
    eps: float
    stacked_keys: torch.Tensor  # [1, L, G, D]: what the kernels read, without a copy
    hidden: torch.Tensor
    value: torch.Tensor
    wk: torch.Tensor
    wq: torch.Tensor
    conv_norm: torch.Tensor
    conv_weight: torch.Tensor

    @property
    def keys(self) -> list[torch.Tensor]:
        """The G keys [1, L, D] (views of the stacked ones)."""
        return list(self.stacked_keys.unbind(dim=2))

    @property
    def conv_args(self) -> tuple:
        """short_conv's arguments after its input."""
        c = self.config
        return (self.conv_norm, self.conv_weight, c.kernel_size, c.dilation, c.conv_norm_eps)

    def torch_gate(self) -> torch.Tensor:
        g = self.config.hc_mult
        return torch.stack([gate(self.keys[i], self.hidden[:, :, i], self.wk[i], self.wq[i], self.eps)
                            for i in range(g)], dim=2).unsqueeze(-1) * self.value.unsqueeze(2)


def engram_case(length: int) -> EngramCase:
    config = EngramConfig()
    g, d = config.hc_mult, config.hidden_size
    gen = torch.Generator().manual_seed(length)
    keys = torch.empty(1, length, g, d)
    for i in range(g):
        keys[:, :, i] = torch.randn(1, length, d, generator=gen)
    hidden = torch.randn(1, length, g, d, generator=gen)
    value = torch.randn(1, length, d, generator=gen)
    wk, wq = torch.rand(g, d, generator=gen) + 0.5, torch.rand(g, d, generator=gen) + 0.5
    conv_norm = torch.rand(g, d, generator=gen) + 0.5
    conv_weight = torch.rand(g * d, 1, config.kernel_size, generator=gen) - 0.5
    return EngramCase(config, torch.finfo(torch.float32).eps, keys, hidden, value, wk, wq,
                      conv_norm, conv_weight)


def error(got: torch.Tensor, want: torch.Tensor, chunk: int = 1024) -> tuple[float, float]:
    """Max and mean of |got - want| over [B, L, ...] tensors, a chunk of
    positions at a time (whole float32 differences at 32K tokens would be
    512 MiB each)."""
    worst, total = 0.0, 0.0
    for start in range(0, got.shape[1], chunk):
        err = (got[:, start:start + chunk].float() - want[:, start:start + chunk]).abs()
        worst, total = max(worst, err.max().item()), total + err.sum(dtype=torch.float64).item()
    return worst, total / got.numel()
