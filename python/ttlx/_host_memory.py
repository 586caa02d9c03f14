# SPDX-License-Identifier: Apache-2.0
"""Large tensors in transparent huge pages.

A fresh 32 MiB torch tensor costs 8192 first-touch page faults of 4 KiB, and
an operation call of the tutorials at 4096x4096 makes two or three of them
(its output, the copy into tile order); on the development machine those
faults took longer than the call's kernels. torch backs allocations of
2 MiB and more with transparent huge pages (512 times fewer faults) when
`THP_MEM_ALLOC_ENABLE=1`, which it reads at its first allocation: this
module, imported first by `ttlx`, sets it unless the environment already
says otherwise (`THP_MEM_ALLOC_ENABLE=0` keeps 4 KiB pages). Imported after
torch allocated its first tensor, it changes nothing. Needs the kernel's
transparent huge pages in `madvise` or `always` mode (Linux); elsewhere it
changes nothing either.
"""

import os

os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")
