"""The GraphiQL page (package data), and when a request to /graphql should get it."""

from __future__ import annotations

from html import escape
from importlib.resources import files
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse

from assetgraph.graphiql.files import NPM_REQUIREMENTS, GraphiqlAssets


def _template(name: str) -> Template:
    return Template((files(__package__) / name).read_text(encoding="utf-8"))


def graphiql_page(assets: GraphiqlAssets | None, endpoint: str = "/graphql") -> HTMLResponse:
    """GraphiQL when its files were found, else a page explaining how to install them."""
    if assets is None:
        page = _template("missing.html").substitute(endpoint=escape(endpoint), requirements=NPM_REQUIREMENTS)
        return HTMLResponse(page)
    links = "\n".join(f'<link rel="stylesheet" href="{escape(f.url)}">' for f in assets.stylesheets)
    scripts = "\n".join(f'<script src="{escape(f.url)}"></script>' for f in assets.scripts)
    page = _template("page.html").substitute(links=links, scripts=scripts, endpoint=escape(endpoint))
    return HTMLResponse(page)


def wants_graphiql(request: Request) -> bool:
    """True for a browser navigating to the endpoint: a GET that prefers HTML over JSON."""
    if request.method != "GET":
        return False
    html_q = json_q = 0.0
    for media_range in request.headers.get("accept", "").split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Wildcards say nothing about a preference, so only explicit types count.
        if media_type.lower() == "text/html":
            html_q = max(html_q, q)
        elif media_type.lower() in ("application/json", "application/graphql-response+json"):
            json_q = max(json_q, q)
    return html_q > json_q
