"""Tiny Korean BERT model sets built through the real tokenizer/model save path (no hub access)."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SENTENCES = [
    "삼성전자가 탄소 배출을 줄이기 위해 재생에너지 사용을 확대한다",
    "현대차 울산공장에서 산업재해가 발생해 노동자가 다쳤다",
    "SK하이닉스 이사회가 배당 확대와 자사주 소각을 결의했다",
    "LG화학 공장에서 유해물질이 유출돼 주민 피해가 우려된다",
    "카카오 노조가 임금 협상 결렬로 파업에 돌입했다",
    "공정위가 담합 혐의로 건설사에 과징금을 부과했다",
    "포스코가 온실가스 감축 목표를 달성했다고 밝혔다",
    "네이버가 개인정보 유출 논란에 휩싸였다",
    "한화솔루션이 태양광 모듈 수출을 늘리며 실적이 개선됐다",
    "롯데케미칼 주주총회에서 사외이사 선임 안건이 통과됐다",
    "셀트리온 경영진이 횡령 혐의로 검찰 수사를 받고 있다",
    "CJ제일제당이 협력사와 상생 협약을 맺고 지원을 늘린다",
    "신한금융이 ESG 경영 성과로 지속가능경영 대상을 수상했다",
    "두산에너빌리티가 원전 기자재 수주에 성공했다",
    "쿠팡 물류센터 노동자 안전 문제가 다시 불거졌다",
    "KT가 신임 대표이사 선임 절차를 두고 지배구조 논란을 겪었다",
    "이마트가 플라스틱 폐기물 감축을 위해 친환경 포장재를 도입했다",
    "삼성바이오로직스가 3분기 영업이익이 크게 상승했다고 발표했다",
    "대한항공이 여객 수요 회복으로 매출이 늘었다",
    "HMM 주가가 하락하면서 투자자 우려가 커졌다",
    "아모레퍼시픽이 동물실험 없는 화장품 원칙을 지켜 호평을 받았다",
    "GS건설 아파트 붕괴 사고로 입주민 피해가 커졌다",
    "현대제철이 미세먼지 저감 설비에 투자한다",
    "KB금융이 감사위원 분리선출 제도를 도입해 투명성을 높였다",
    "넷마블이 신작 게임을 출시하고 글로벌 시장을 공략한다",
    "LG에너지솔루션이 배터리 재활용 사업을 본격화한다",
    "한국전력이 전기요금 인상으로 적자 폭을 줄였다",
    "오리온이 장애인 채용을 늘려 사회적 책임을 강조했다",
    "SK텔레콤 최대주주 지분 매각 소식이 전해졌다",
    "농심 라면 수출이 사상 최대를 기록했다",
]

CATEGORY_LABELS = ["E", "S", "G", "기타"]
SENTIMENT_LABELS = ["긍정", "중립", "부정"]

_BASE = Path(tempfile.mkdtemp(prefix="tiny-models-"))
atexit.register(shutil.rmtree, _BASE, True)


@functools.lru_cache(maxsize=1)
def _tokenizer_dir() -> Path:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False, clean_text=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=600, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    )
    tok.train_from_iterator(SENTENCES, trainer=trainer)
    fast = BertTokenizerFast(tokenizer_object=tok, do_lower_case=False)
    out = _BASE / "_tokenizer"
    fast.save_pretrained(str(out))
    return out


def build_model_dir(
    path: Path,
    labels: Sequence[str],
    *,
    generic_config_labels: bool = False,
    label_encoder: Mapping[str, Any] | None = None,
    evidence: Mapping[str, Any] | None = None,
    seed: int = 0,
    tokenizer_dir: Path | None = None,
    initializer_range: float = 0.5,
) -> Path:
    """Save a 2-layer BERT classifier (random weights) with the shared tiny tokenizer into `path`."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    source = str(tokenizer_dir or _tokenizer_dir())
    tokenizer = BertTokenizerFast.from_pretrained(source, local_files_only=True)
    if generic_config_labels:
        id2label = {i: f"LABEL_{i}" for i in range(len(labels))}
    else:
        id2label = dict(enumerate(labels))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        initializer_range=initializer_range,  # large, so random tiny models give input-dependent outputs
        num_labels=len(labels),
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config).eval()
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    if label_encoder is not None:
        (path / "label_encoder.json").write_text(json.dumps(label_encoder, ensure_ascii=False), "utf-8")
    if evidence is not None:
        (path / "evidence.json").write_text(json.dumps(evidence, ensure_ascii=False), "utf-8")
    return path


def build_model_set(
    models_dir: Path,
    name: str,
    *,
    category_labels: Sequence[str] = CATEGORY_LABELS,
    sentiment_labels: Sequence[str] = SENTIMENT_LABELS,
    seed: int = 0,
    **kwargs: Any,
) -> Path:
    """Write `{name}_category` and `{name}_sentiment` under `models_dir`; extra kwargs go to both."""
    build_model_dir(models_dir / f"{name}_category", category_labels, seed=seed, **kwargs)
    build_model_dir(models_dir / f"{name}_sentiment", sentiment_labels, seed=seed + 1, **kwargs)
    return models_dir


@functools.cache
def shared_models_dir() -> Path:
    """A models dir built once per process with the model sets most tests use.

    - `tiny`: plain labels in config.id2label
    - `enc`: generic LABEL_n in config, names in label_encoder.json (Korean/English spellings)
    - `fin`: a category model with an extra `FIN` label
    - `evid`: like `tiny`, plus evidence.json
    - `alt`: like `tiny` with other weights (for activation swaps)
    """
    root = _BASE / "models"
    build_model_set(root, "tiny")
    build_model_set(root, "alt", seed=7)
    build_model_dir(
        root / "enc_category",
        ["환경", "사회", "지배구조", "기타"],
        generic_config_labels=True,
        label_encoder={"0": "환경(E)", "1": "social", "2": "Governance", "3": "others"},
    )
    build_model_dir(
        root / "enc_sentiment",
        ["a", "b", "c"],
        generic_config_labels=True,
        label_encoder={"classes": ["negative", "neutral", "positive"]},
    )
    build_model_set(root, "fin", category_labels=["E", "S", "G", "기타", "FIN"])
    build_model_set(
        root,
        "evid",
        evidence={"version": 1, "labels": {lab: {"탄소": 2.5, "배출": 1.5, "노조": 2.0, "이사회": 2.2}
                                              for lab in CATEGORY_LABELS}},
    )
    return root


def article(title: str, description: str = "", n: int = 0) -> Any:
    """A minimal cleaned Article for classifier tests."""
    from app.domain.models import Article, article_id

    url = f"https://news.example.co.kr/{n}/{abs(hash((title, description)))}"
    return Article(id=article_id(url), title=title, description=description, url=url, naver_url=url,
                   published_date=None, news_source="example")
