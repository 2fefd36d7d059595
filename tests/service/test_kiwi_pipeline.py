"""Kiwi's CoNg vectors read by our own reader, the morpheme input pipeline, the classifier and calibration."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.domain.morphology import analyzer
from app.ml.calibration import expected_calibration_error, fit_temperature
from app.ml.cong import load_cong_vectors
from app.ml.loader import installed_vectors
from app.ml.morpheme_model import KiwiCongClassifier
from app.ml.morphemes import BODY, TITLE, MorphemeEncoded, MorphemeRows, resolve_rows


@pytest.fixture(scope="module")
def cong_kiwi():
    from kiwipiepy import Kiwi

    return Kiwi(model_type="cong")


@pytest.fixture(scope="module")
def unit() -> np.ndarray:
    vectors = installed_vectors().vectors()
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_reader_reproduces_kiwis_own_similarities(cong_kiwi, unit) -> None:
    rng = np.random.default_rng(0)
    pairs = [tuple(int(x) for x in rng.integers(64, len(unit), 2)) for _ in range(400)]
    named = [("횡령", "배임"), ("파업", "쟁의"), ("탄소", "이산화탄소"), ("이사회", "주총"), ("흑자", "적자")]
    differences = []
    for a, b in pairs + [(cong_kiwi.tokenize(x)[0].id, cong_kiwi.tokenize(y)[0].id) for x, y in named]:
        ma, mb = cong_kiwi.morpheme(a), cong_kiwi.morpheme(b)
        try:
            expected = cong_kiwi.morpheme_similarity((ma.form, ma.tag), (mb.form, mb.tag))
        except ValueError:  # a few ids have forms Kiwi cannot look up again (jamo fragments)
            continue
        if expected == expected:  # NaN for morphemes without a vector of their own
            differences.append(abs(expected - float(unit[a] @ unit[b])))
    assert len(differences) > 300
    assert max(differences) < 1e-3  # Kiwi's approximate square root; a wrong decode is off by 0.1+


def test_reader_neighbours_are_kiwis_neighbours(cong_kiwi, unit) -> None:
    for word in ("파업", "횡령", "폐수"):
        row = cong_kiwi.tokenize(word)[0].id
        ours = [int(i) for i in np.argsort(-(unit @ unit[row]))[1:6]]
        theirs = [m.id for m in cong_kiwi.most_similar_morphemes(row, top_n=5)]
        assert ours == theirs


def test_vectors_are_decoded_once_and_identified_by_digest() -> None:
    first, again = load_cong_vectors(), installed_vectors()
    assert first.int8.shape == (70488, 256) and first.int8.dtype == np.int8
    assert first.digest == again.digest and len(first.digest) == 64
    assert installed_vectors() is again  # cached per process


def test_a_word_never_seen_in_training_keeps_its_own_vector() -> None:
    vectors = installed_vectors()
    rows = MorphemeRows.from_kiwi(analyzer(), vectors.vocab_size)  # an empty training table
    encoded = MorphemeEncoded(["서식지 훼손 확산\n녹조 번져"], rows)
    kiwi_ids = [t.id for t in analyzer().tokenize("서식지 훼손 확산")]
    assert all(64 <= i < vectors.vocab_size for i in kiwi_ids)
    assert encoded.ids[0][:3] == kiwi_ids  # its own CoNg row, with or without training
    # A dictionary-only word has no CoNg vector (Kiwi's own LM uses its tag's row); its Kiwi id still
    # reaches the lexical component.
    assert encoded.ids[0][3] == rows.tag_rows[encoded.tags[0][3]]
    assert encoded.kiwi_ids[0][3] >= vectors.vocab_size


def test_allomorphs_use_the_training_table_and_unknown_names_their_tags_row() -> None:
    vectors = installed_vectors()
    table = resolve_rows([("는", "JX")], vectors.vectors())
    assert analyzer().morpheme(table["는/JX"]).form == "은"
    rows = MorphemeRows.from_kiwi(analyzer(), vectors.vocab_size, table)
    assert rows.row("는", "JX", vectors.vocab_size + 5) == table["는/JX"]
    assert rows.row("없는회사XYZ", "NNP", vectors.vocab_size + 9) == rows.tag_rows["NNP"]
    assert rows.row("공장", "NNG", 1138) == 1138


def test_headline_and_snippet_are_separate_segments_and_punctuation_is_dropped() -> None:
    rows = MorphemeRows.from_kiwi(analyzer(), installed_vectors().vocab_size)
    encoded = MorphemeEncoded(["LG화학, 폐수 방류…\n과징금 부과", "", "🚀🚀"], rows)
    assert encoded.segments[0][0] == TITLE and encoded.segments[0][-1] == BODY
    assert "SP" not in encoded.tags[0] and "SE" not in encoded.tags[0]
    assert encoded.ids[1] and encoded.ids[2]  # empty or symbol-only texts still get one position
    batch = encoded.batch([0, 1], "cpu")
    assert batch["input_ids"].shape == batch["segment_ids"].shape
    assert int((batch["segment_ids"][1] > 0).sum()) == 1


def test_token_contributions_add_up_to_the_logits() -> None:
    torch.manual_seed(0)
    vocab, dim = 200, 16
    config = {"vocab_size": vocab, "embedding_dim": dim, "hidden_size": 8, "num_labels": 4, "dropout": 0.0,
              "lexical_buckets": 97, "tuned_rows": [70, 71, 72], "temperature": 2.0}
    model = KiwiCongClassifier(config, (torch.randint(-8, 8, (vocab, dim), dtype=torch.int8), torch.rand(vocab)))
    torch.nn.init.normal_(model.lexical.weight)
    model.eval()
    ids = torch.randint(64, vocab, (3, 9))
    segments = torch.tensor([[1] * 4 + [2] * 5, [1] * 6 + [0] * 3, [1, 2] + [0] * 7])
    out = model(input_ids=ids, segment_ids=segments, token_scores=True)
    assert torch.allclose(out.token_scores.sum(dim=1), out.logits, atol=1e-5)
    assert torch.all(out.token_scores[1, 6:] == 0)  # padding contributes nothing


def test_temperature_scaling_recovers_an_overconfident_models_temperature() -> None:
    torch.manual_seed(1)
    true_logits = torch.randn(4000, 3) * 2
    gold = torch.distributions.Categorical(logits=true_logits).sample().tolist()
    overconfident = true_logits * 3
    temperature = fit_temperature(overconfident, gold)
    assert temperature == pytest.approx(3.0, rel=0.15)
    assert expected_calibration_error(overconfident / temperature, gold) < expected_calibration_error(
        overconfident, gold)
    assert expected_calibration_error(true_logits, gold) < 0.05


def test_training_batches_can_hide_the_headline_boundary() -> None:
    from app.ml.morpheme_training import _Batches

    rows = MorphemeRows.from_kiwi(analyzer(), installed_vectors().vocab_size)
    encoded = MorphemeEncoded(["삼성전자 배출 감축\n재생에너지 전환", "카카오 파업\n노조가 결의했다"], rows)
    generator = torch.Generator().manual_seed(0)
    kept = next(iter(_Batches(encoded, [0, 1], 0.0, 0.0)([0, 1], 2, generator)))[0]["segment_ids"]
    merged = next(iter(_Batches(encoded, [0, 1], 0.0, 1.0)([0, 1], 2, generator)))[0]["segment_ids"]
    assert {1, 2} <= set(kept.unique().tolist()) <= {0, 1, 2}
    assert set(merged.unique().tolist()) <= {0, 1} and bool((merged > 0).any())
    assert torch.equal(merged > 0, kept > 0)  # padding stays padding
