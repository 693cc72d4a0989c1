"""A newly built index is served without a restart and without one failed request (over HTTP, under load)."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx

from assistant.search.index import CURRENT, build_index
from assistant.settings import ROOT, Settings

# the words of the second new sentence: with the fake embedder a looser question ("Wat weet je over de
# roerdomp?") ranks on hashing noise, and any kb edit elsewhere can tip it to another section
NEW_QUESTION = "Wat is de tweede nieuwe zin over de roerdomp?"
QUESTIONS = ["Wat is de derde leerweg?", "Wat is een doorlopende leerroute?", "Wat is een praktijkverklaring?"]


def _add(settings: Settings, sentence: str) -> None:
    article = settings.kb_dir / "articles" / "derde-leerweg.md"
    text = article.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    article.write_text(text.replace(heading, f"{heading}\n\n{sentence}", 1), encoding="utf-8")


def test_two_rebuilds_under_load_fail_no_request(tmp_path: Path) -> None:
    from assistant.bench.http import serve_on_loopback
    from assistant.webapp.app import create_app

    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    settings = Settings(embedder="fake", kb_dir=tmp_path / "kb", index_dir=tmp_path / "index",
                        feedback_db=tmp_path / "f.db", index_watch_s=0.05, metrics=True, rate_ask_per_minute=0)
    build_index(settings)
    first = (settings.index_dir / CURRENT).read_text().strip()
    statuses: list[int] = []
    stop = threading.Event()

    with serve_on_loopback(create_app(settings)) as url:
        def load(n: int) -> None:
            with httpx.Client(base_url=url, trust_env=False, timeout=30) as http:
                i = n
                while not stop.is_set():
                    statuses.append(http.post("/api/ask", json={"question": QUESTIONS[i % 3]}).status_code)
                    i += 1

        threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        try:
            for sentence in ("Eerste nieuwe zin over de kwartelkoning.", "Tweede nieuwe zin over de roerdomp."):
                _add(settings, sentence)
                build_index(settings)  # the second build prunes older versions while questions run
            newest = (settings.index_dir / CURRENT).read_text().strip()
            deadline = time.monotonic() + 30
            with httpx.Client(base_url=url, trust_env=False, timeout=10) as http:
                while http.get("/readyz").json()["index_version"] != newest and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(0.3)  # questions keep coming after the swap
                ready = http.get("/readyz").json()
                metrics = http.get("/metrics").text
                answer = http.post("/api/ask", json={"question": NEW_QUESTION}).json()
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
    assert newest != first and ready["index_version"] == newest
    assert f'routewijzer_index_info{{version="{newest}"}} 1.0' in metrics
    assert len(statuses) > 20 and set(statuses) == {200}, sorted(set(statuses))
    assert answer["citations"] and answer["citations"][0]["url"] == "/kb/derde-leerweg#wat-is-de-derde-leerweg"
