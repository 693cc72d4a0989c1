"""Static files: versioned URLs are cached for a year; plain URLs revalidate with their ETag."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_pages_link_versioned_static_files_that_are_immutable(client: TestClient) -> None:
    html = client.get("/").text
    urls = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]{10})"', html)
    assert {u.split("?")[0] for u in urls} >= {"/static/app.css", "/static/chat.js", "/static/favicon.svg"}
    for url in urls:
        res = client.get(url)
        assert res.status_code == 200 and res.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert res.headers["etag"]


def test_plain_or_stale_url_revalidates_with_etag(client: TestClient) -> None:
    plain = client.get("/static/app.css")
    assert plain.status_code == 200 and plain.headers["cache-control"] == "no-cache"
    again = client.get("/static/app.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    stale = client.get("/static/app.css?v=0000000000")  # an old version number: not immutable
    assert stale.headers["cache-control"] == "no-cache"
    assert client.get("/static/nope.css").status_code == 404
