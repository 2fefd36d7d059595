"""A deterministic WordPiece tokenizer for the compact BERT trainer (`--arch bert`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def wordpiece_vocab(word_counts: Counter[str], size: int, *, min_frequency: int = 2,
                    max_piece: int = 10) -> list[str]:
    """A deterministic WordPiece vocabulary: every character, then the substrings that save the most tokens.

    `tokenizers`' WordPiece trainer breaks frequency ties in hash order, so the same corpus gives a
    different vocabulary in every process; this ranking (count x (length - 1), then the piece itself)
    does not depend on order, which makes training reproducible from the data and the seed alone.
    """
    chars: set[str] = set()
    scores: Counter[str] = Counter()
    for word, count in word_counts.items():
        for i, char in enumerate(word):
            chars.add(char if i == 0 else f"##{char}")
            for j in range(i + 2, min(len(word), i + max_piece) + 1):
                scores[word[i:j] if i == 0 else f"##{word[i:j]}"] += count
    vocab = list(SPECIAL_TOKENS) + sorted(chars)
    ranked = sorted((piece for piece, n in scores.items() if n >= min_frequency),
                    key=lambda p: (-scores[p] * (len(p.removeprefix("##")) - 1), p))
    return vocab + ranked[: max(size - len(vocab), 0)]


def build_tokenizer(texts: list[str], vocab_size: int, max_length: int) -> Any:
    """A WordPiece tokenizer for the texts: BERT normalisation without NFD (Hangul syllables stay whole)."""
    from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece
    from transformers import BertTokenizerFast  # type: ignore[attr-defined]  # lazy alias in transformers 5

    normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=False,
                                            lowercase=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(word for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text)))
    vocab = {piece: i for i, piece in enumerate(wordpiece_vocab(counts, vocab_size))}
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))  # noqa: S106
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    return BertTokenizerFast(tokenizer_object=tokenizer, do_lower_case=True, strip_accents=False,
                             tokenize_chinese_chars=True, model_max_length=max(256, max_length))
