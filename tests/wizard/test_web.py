"""The wizard on the web: the JSON API, the question pages and the result page (checklist,
print view with date, "Stand" and absolute links, copy link, 410 for links of an older tree)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from assistant.webapp import wizard_routes
from assistant.wizard.tree import Wizard
from tests.wizard.conftest import all_paths

GLR = {"doelgroep": "vmbo", "leerweg": "bb", "programma": "volledig", "niveau": "niveau-2",
       "vmbo-diploma": "zonder-examen", "scholen-glr": "route"}
GLR_LINK = ("/wizard/result?doelgroep=vmbo&leerweg=bb&programma=volledig&niveau=niveau-2"
            "&vmbo-diploma=zonder-examen&scholen-glr=route")
ADULT_LINK = "/wizard/result?doelgroep=volwassene&wens=praktijkverklaring"
PUBLIC = "https://routewijzer.example.nl"

# --- the API ---------------------------------------------------------------------------------


def test_api_first_question(client: TestClient) -> None:
    body = client.get("/api/wizard").json()
    q = body["question"]
    assert q["id"] == "doelgroep" and q["text"] and q["help"]
    assert {"id", "label", "unknown"} == set(q["options"][0])
    assert [o["id"] for o in q["options"] if o["unknown"]] == ["weet-niet"]
    assert body["step"] == 1


def test_api_every_outcome_reachable(client: TestClient, wizard: Wizard) -> None:
    reached: dict[str, dict] = {}
    for answers, outcome in all_paths(wizard):
        if outcome in reached:
            continue
        response = client.post("/api/wizard", json={"answers": answers})
        assert response.status_code == 200
        reached[outcome] = response.json()
    assert set(reached) == set(wizard.outcomes)
    for oid, body in reached.items():
        out = body["outcome"]
        assert out["id"] == oid and out["kind"] == wizard.outcomes[oid].kind
        assert {"why", "reasons", "settle_first", "arrange", "good_to_know", "next_steps",
                "referrals", "citations", "stand"} <= set(out)
        for cite in out["citations"]:
            assert re.fullmatch(r"/kb/[a-z0-9-]+#[a-z0-9-]+", cite["url"])
            assert " – " in cite["title"]
        assert out["stand"] and all(s["stand"] and s["reviewed"] for s in out["stand"])
        assert body["permalink"].startswith("/wizard/result?")


def test_api_glr_case_with_reasons_and_sources(client: TestClient) -> None:
    body = client.post("/api/wizard", json={"answers": GLR}).json()
    out = body["outcome"]
    assert out["id"] == "geintegreerde-leerroute" and out["heading"] == "Waarom deze route?"
    assert any("samenwerkingsovereenkomst" in c for c in out["arrange"])
    reason = next(r for r in out["reasons"] if "meer kans" in r["text"])
    assert {"url": "/kb/dlr-glr-verschil#wanneer-glr",
            "title": "Verschil tussen doorlopende en geïntegreerde leerroute – "
                     "Voor welke leerlingen is een GLR bedoeld?"} in reason["citations"]
    assert out["settle_first"] == []
    assert client.get(body["permalink"]).status_code == 200


def test_api_unknown_school_intent_returns_the_step_that_settles_it(client: TestClient) -> None:
    out = client.post("/api/wizard", json={"answers": {**GLR, "scholen-glr": "weet-niet"}}).json()
    assert out["outcome"]["id"] == "geintegreerde-leerroute"
    assert any("DUO" in s for s in out["outcome"]["settle_first"])


def test_api_out_of_scope_refers_on(client: TestClient) -> None:
    out = client.post("/api/wizard", json={"answers": {"doelgroep": "buiten"}}).json()["outcome"]
    assert out["kind"] == "buiten" and out["heading"] != "Waarom deze route?"
    assert all(r["url"].startswith("https://") for r in out["referrals"])
    assert len(out["referrals"]) == 4


@pytest.mark.parametrize(("payload", "fragment"), [
    ({"answers": {"onbekend": "ja"}}, "Onbekende vraag"),
    ({"answers": {"doelgroep": "onbekend"}}, "Onbekend antwoord"),
    ({"answers": {"leerweg": "bb"}}, "horen niet bij"),
    ({"answers": ["doelgroep"]}, "moet een object zijn"),
    ({"answers": {"doelgroep": 3}}, "moet een object zijn"),
])
def test_api_422_in_dutch(client: TestClient, payload: dict, fragment: str) -> None:
    response = client.post("/api/wizard", json=payload)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert response.json()["field"] == "answers"


def test_api_410_for_answers_of_an_older_tree(client: TestClient) -> None:
    response = client.post("/api/wizard", json={"answers": {"doelgroep": "anders"}})
    assert response.status_code == 410
    assert "oudere versie van de routewijzer" in response.json()["detail"]


def test_api_410_says_which_answers_are_left(client: TestClient) -> None:
    response = client.post("/api/wizard", json={"answers": {
        "doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "ja"}})
    assert response.status_code == 410
    body = response.json()
    assert body["field"] == "answers"
    assert body["answers_kept"] == {"doelgroep": "vmbo", "leerweg": "bb"}
    assert body["answers_lost"] == 1
    assert body["restart"] == "/wizard?_vooraf=doelgroep.vmbo&_vooraf=leerweg.bb"


def test_api_without_answers_gives_first_question(client: TestClient) -> None:
    assert client.post("/api/wizard", json={}).json()["question"]["id"] == "doelgroep"


# --- the question pages ----------------------------------------------------------------------

def test_page_first_question(client: TestClient, wizard: Wizard) -> None:
    html = client.get("/wizard").text
    longest = max(len(a) for a, _ in all_paths(wizard))
    assert '<form class="wizard-form" method="get" action="/wizard"' in html
    assert "<fieldset" in html and "<legend>" in html
    assert f"Stap 1 van {longest}" in html
    assert 'type="radio" id="doelgroep-vmbo" name="doelgroep" value="vmbo"' in html
    assert '<label for="doelgroep-weet-niet">Dat weet ik niet' in html
    assert 'aria-describedby="hulp-doelgroep"' in html
    assert "Vorige vraag" not in html


def test_page_without_choice_shows_error(client: TestClient) -> None:
    response = client.get("/wizard?doelgroep=vmbo&_vraag=leerweg")
    assert response.status_code == 422
    html = response.text
    assert 'class="field-error" role="alert"' in html and "Kies een antwoord" in html
    assert 'aria-describedby="hulp-leerweg fout-leerweg"' in html
    assert 'aria-invalid="true"' in html


def test_page_carries_answers_and_back_link(client: TestClient) -> None:
    html = client.get("/wizard?doelgroep=vmbo&leerweg=bb&_vraag=leerweg").text
    assert "Stap 3 van" in html
    assert '<input type="hidden" name="doelgroep" value="vmbo">' in html
    assert '<input type="hidden" name="leerweg" value="bb">' in html
    assert 'href="/wizard?doelgroep=vmbo">Vorige vraag' in html
    assert 'href="/wizard">Opnieuw beginnen' in html


def test_page_complete_answers_redirect_to_permalink(client: TestClient) -> None:
    response = client.get("/wizard?doelgroep=volwassene&wens=praktijkverklaring&_vraag=wens",
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == ADULT_LINK


# --- the result page -------------------------------------------------------------------------

def test_result_page(client: TestClient) -> None:
    html = client.get(GLR_LINK).text
    assert "Geïntegreerde leerroute" in html
    for heading in ("Waarom deze route?", "Om te regelen", "Goed om te weten",
                    "Volgende stappen", "Bronnen", "Hoe actueel is dit advies?",
                    "Link naar dit advies"):
        assert heading in html, heading
    assert "Eerst uitzoeken" not in html  # everything was known
    assert 'href="/kb/dlr-glr-verschil#wanneer-glr"' in html
    assert GLR_LINK.replace("&", "&amp;") in html
    assert "wizard.js" in html and "_weergave=print" in html
    assert client.get(GLR_LINK).text == html  # the permalink shows the same result again


def test_result_shows_what_to_find_out_first(client: TestClient) -> None:
    html = unescape(client.get(GLR_LINK.replace("scholen-glr=route",
                                                "scholen-glr=weet-niet")).text)
    assert "Eerst uitzoeken" in html and "U wist niet alles" in html
    assert "Vraag of de scholen de route bij DUO hebben gemeld" in html


def test_result_checklist_is_a_form_kept_in_the_link(client: TestClient) -> None:
    html = client.get(GLR_LINK).text
    boxes = re.findall(r'<input type="checkbox" id="klaar-(\d+)" name="_klaar" value="\1"( checked)?',
                       html)
    assert len(boxes) == 7 and not any(checked for _, checked in boxes)
    assert '<form class="wizard-checklist-form" method="get" action="/wizard/result">' in html
    assert "0 van 7 afgevinkt." in html
    ticked = client.get(GLR_LINK + "&_klaar=0&_klaar=3&_klaar=99&_klaar=x").text
    checked = re.findall(r'id="klaar-(\d+)" name="_klaar" value="\d+" checked', ticked)
    assert checked == ["0", "3"]  # out of range and non-numbers are ignored
    assert "2 van 7 afgevinkt." in ticked
    link = (GLR_LINK + "&_klaar=0&_klaar=3").replace("&", "&amp;")
    assert f'href="{link}" class="wizard-permalink-url"' in ticked
    assert f">{PUBLIC}{link}</a>" in ticked


def test_result_print_view_has_date_stand_and_absolute_links(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    monkeypatch.setattr(wizard_routes, "today", lambda: date(2026, 12, 7))
    html = unescape(client.get(GLR_LINK + "&_weergave=print").text)
    assert "wizard-print-view" in html and "Terug naar de gewone weergave" in html
    assert "opgesteld op 7 december 2026" in html
    assert f"({PUBLIC}/kb/dlr-glr-verschil#wanneer-glr)" in html
    stand = html.split("Hoe actueel is dit advies?")[1].split("</section>")[0]
    assert "Stand:" in stand and "Gecontroleerd op" in stand
    assert "Verschil tussen doorlopende en geïntegreerde leerroute" in stand
    assert '<input type="hidden" name="_weergave" value="print">' in html  # ticks keep the view


def test_out_of_scope_page(client: TestClient) -> None:
    html = client.get("/wizard/result?doelgroep=buiten").text
    assert "Waarom de routewijzer hier geen route geeft" in html
    assert "Waarom deze route?" not in html and "Om te regelen" not in html
    assert "Waar u wel terecht kunt" in html
    assert 'href="https://www.rijksoverheid.nl/onderwerpen/hoger-onderwijs"' in html


def test_conversation_page(client: TestClient) -> None:
    html = client.get("/wizard/result?doelgroep=weet-niet").text
    assert "Waarom eerst een gesprek?" in html and "Eerst uitzoeken" in html
    assert "meest waarschijnlijk" not in html  # no route was assumed


def test_result_with_incomplete_answers_goes_back_to_the_wizard(client: TestClient) -> None:
    response = client.get("/wizard/result?doelgroep=vmbo", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/wizard?doelgroep=vmbo"


def test_broken_link_page(client: TestClient) -> None:
    response = client.get("/wizard/result?doelgroep=vmbo&leerweg=hbo")
    assert response.status_code == 422
    assert "Deze link werkt niet" in response.text and "Onbekend antwoord" in response.text


@pytest.mark.parametrize(("link", "restart"), [
    ("/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee&certificaat-haalbaar=nee",
     "/wizard?_vooraf=doelgroep.volwassene"),
    ("/wizard/result?doelgroep=anders", "/wizard"),
    ("/wizard?doelgroep=vmbo&leerweg=bb&bb-wettelijke-ruimte=ja",
     "/wizard?_vooraf=doelgroep.vmbo&_vooraf=leerweg.bb"),
])
def test_old_permalinks_are_gone_with_a_dutch_explanation(client: TestClient, link: str,
                                                          restart: str) -> None:
    response = client.get(link)
    assert response.status_code == 410
    html = unescape(response.text)
    assert "Dit advies bestaat niet meer" in html
    assert "oudere versie van de routewijzer" in html
    assert "Na het maken van de link zijn de vragen veranderd." in html
    assert re.search(f'<a class="button primary wizard-link-button" href="{re.escape(restart)}">'
                     "Opnieuw beginnen", html)


def gone_page(client: TestClient, link: str) -> str:
    response = client.get(link)
    assert response.status_code == 410
    main = unescape(response.text)
    return main[main.index("<main"):main.index("</main>")]


def test_gone_page_lists_the_answers_that_still_exist(client: TestClient) -> None:
    html = gone_page(client, "/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee"
                             "&certificaat-haalbaar=nee")
    kept = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)
    assert kept == [("Over wie gaat uw vraag?",
                     "Een volwassene die werkt of werk zoekt en zich wil scholen")]
    assert "Dit antwoord uit de oude link bestaat nog:" in html
    assert "2 antwoorden uit de oude link passen niet meer bij de nieuwe vragen." in html
    assert "Opnieuw beginnen met deze antwoorden" in html


def test_gone_page_without_any_answer_left(client: TestClient) -> None:
    html = gone_page(client, "/wizard/result?doelgroep=anders")
    assert "Geen van de antwoorden uit de oude link bestaat nog." in html
    assert "<dl" not in html and "Opnieuw beginnen met deze antwoorden" not in html


def test_gone_page_has_copy_print_and_an_absolute_link(client: TestClient) -> None:
    link = "/wizard/result?doelgroep=vmbo&leerweg=bb&bb-wettelijke-ruimte=ja"
    html = gone_page(client, link)
    restart = "/wizard?_vooraf=doelgroep.vmbo&_vooraf=leerweg.bb"
    assert (f'<a href="{restart}" class="wizard-permalink-url" data-base="{PUBLIC}">'
            f"{PUBLIC}{restart}</a>") in html
    assert "Kopieer de link</button>" in html and "Afdrukken</button>" in html
    assert re.search(r"pagina gemaakt op \d{1,2} \w+ 20\d\d", html)
    assert f'href="{link}&_weergave=print">Printversie' in html
    full = unescape(client.get(link).text)
    assert "wizard.js" in full  # the copy and print buttons come to life with it

    printed = unescape(client.get(link + "&_weergave=print").text)
    assert 'class="wizard wizard-gone wizard-print-view"' in printed
    assert '<meta name="robots" content="noindex">' in printed
    assert f'href="{link}">Terug naar de gewone weergave' in printed


def form_fields(html: str) -> list[tuple[str, str]]:
    """What the question form sends: its hidden fields and the radio button that is checked."""
    form = html[html.index('<form class="wizard-form"'):html.index("</form>")]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form)
    checked = re.findall(r'<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)"\s*checked>', form)
    return fields + checked


def test_restart_ticks_the_old_answers_where_the_new_tree_asks_them(client: TestClient) -> None:
    page = client.get("/wizard?_vooraf=doelgroep.vmbo&_vooraf=leerweg.bb")
    assert page.status_code == 200
    assert "Stap 1 van" in page.text and "Het antwoord uit uw oude link staat al aangevinkt" in page.text
    fields = form_fields(page.text)
    assert ("doelgroep", "vmbo") in fields
    page = client.get("/wizard", params=fields)  # 'Volgende' with the ticked answer
    assert "Stap 2 van" in page.text
    fields = form_fields(page.text)
    assert ("leerweg", "bb") in fields and ("doelgroep", "vmbo") in fields
    page = client.get("/wizard", params=fields)
    assert "Welk programma volgt de leerling" in page.text  # no old answer: nothing ticked
    assert "Het antwoord uit uw oude link" not in page.text
    assert [f for f in form_fields(page.text) if f[0] == "programma"] == []
    assert "_vooraf=leerweg.bb" in unescape(page.text)  # 'Vorige vraag' keeps the ticks


def test_a_hint_that_names_nothing_current_is_ignored(client: TestClient) -> None:
    page = client.get("/wizard?_vooraf=doelgroep.anders&_vooraf=bestaat.niet&_vooraf=rommel")
    assert page.status_code == 200
    assert not [f for f in form_fields(page.text) if f[0] == "doelgroep"]


def test_stand_without_an_articles_own_line_names_dated_sources(kb) -> None:
    from dataclasses import replace

    from assistant.wizard.check import load_wizard
    from assistant.wizard.present import stands
    from assistant.wizard.tree import next_step as walk
    from tests.wizard.conftest import WIZARD

    step = walk(load_wizard(WIZARD), {"doelgroep": "na-vmbo", "leervorm": "school"})
    article = kb.by_slug["mbo-basis"]
    kb.by_slug["mbo-basis"] = replace(article, stand="")
    try:
        text = next(s.stand for s in stands(step, kb) if s.slug == "mbo-basis")
    finally:
        kb.by_slug["mbo-basis"] = article
    web_pages = sum(1 for ref in article.sources
                    if not (ref.id and kb.sources.get(ref.id) and kb.sources[ref.id].date))
    if web_pages:
        assert text.endswith("zonder datum") and str(web_pages) in text
    else:
        assert text and "zonder datum" not in text
