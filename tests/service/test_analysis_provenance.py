"""A model set activated during an analysis: the analysis says, caches and records the set that made it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from dependency_injector import providers

from app.container import create_container, resolve
from app.domain.models import Article, ArticleAnalysis, Classification, ModelInfo, SentimentResult
from app.services.ports import Classified
from tests.conftest import MemorySource, embedded_settings


class SwappingClassifier:
    """Two model sets, 'old' labelling everything E and 'new' labelling everything G.

    The first batch it is asked for finds 'new' already active: the set was activated after the analysis
    read the fingerprint and before it classified.
    """

    def __init__(self) -> None:
        self.active = "old"
        self.swap_on_first_call = True
        self.calls: list[str] = []

    def info(self) -> ModelInfo:
        return ModelInfo(model_name=self.active, device="cpu", ml_service_status="local_model")

    @property
    def fingerprint(self) -> str:
        return f"{self.active}-weights"

    async def classify(self, articles: Sequence[Article]) -> Classified:
        if self.swap_on_first_call:
            self.swap_on_first_call = False
            self.active = "new"
        self.calls.append(self.active)
        category = "E" if self.active == "old" else "G"
        results = [
            ArticleAnalysis(
                esg_classification=Classification(category=category, confidence=0.9, reasoning="", evidence=[]),
                sentiment_analysis=SentimentResult(label="중립", confidence=0.9,
                                                   scores={"positive": 0.05, "neutral": 0.9, "negative": 0.05}),
            )
            for _ in articles
        ]
        return Classified(self.info(), self.fingerprint, results)


async def test_a_set_activated_mid_analysis_is_the_one_recorded(articles: list[Article]) -> None:
    container = create_container(embedded_settings())
    classifier = SwappingClassifier()
    container.classifier.override(providers.Object(classifier))
    container.news_source.override(providers.Object(MemorySource(articles)))
    await container.init_resources()  # type: ignore[misc]
    try:
        analysis = await resolve(container.analysis_service)
        outcome = await analysis.analyze("삼성전자", max_results=10)
        result = outcome.result
        assert result.model.model_name == "new"
        assert {a.esg_classification.category for a in result.items} == {"G"}  # no article of the old set
        history = await (await resolve(container.store)).history("삼성전자")
        assert history[0].model_name == "new"

        article_cache = await resolve(container.article_cache)
        contents = [hashlib.sha256(a.text.encode()).hexdigest() for a in result.items]
        assert all(v is not None for v in await article_cache.get_many("new-weights", contents))
        assert all(v is None for v in await article_cache.get_many("old-weights", contents))

        # Not cached under the key made with the old set's fingerprint: the next request, now keyed by the
        # new set, finds its articles classified and runs no model.
        calls = len(classifier.calls)
        again = await analysis.analyze("삼성전자", max_results=10)
        assert again.result.model.model_name == "new" and again.newly_classified == 0
        assert len(classifier.calls) == calls
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
