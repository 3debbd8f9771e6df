"""Sealed attempts submitted through a Learning Record Store: fetch them, hand them to the importer.

A site built with ``lrs:`` posts each sealed attempt as a statement whose verb is
``submitted`` and whose ``result.extensions`` hold the result file's JSON text under
:data:`mesotrain.xapi.RESULT_FILE`. Here those statements are read back (``GET
statements?verb=…``, page after page through ``more``) and each result file goes through
the importer's checks exactly as a file on disk does. Everything the LRS says is untrusted:
a statement without the extension, or with something other than text in it, is rejected by
name; a ``more`` link that leaves the LRS's own address is refused (it would carry the key
elsewhere).
"""
from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlencode, urljoin, urlsplit

from .. import xapi
from ..errors import MesotrainError, UsageError
from .importer import Received, Rejection
from .printable import printable

AUTH_ENV = "MESOTRAIN_LRS_AUTH"
PAGE = 100                   # statements asked for per request
MAX_PAGE_BYTES = 256 << 20   # one page of statements; 100 result files of up to 1 MB and their wrapping
MAX_PAGES = 100_000
TIMEOUT = 60


@dataclass(frozen=True)
class Fetched:
    documents: list[Received]
    rejected: list[Rejection]
    pages: int
    statements: int


def basic_auth(auth: str | None) -> str | None:
    """``USER:PASSWORD`` (from --auth, else MESOTRAIN_LRS_AUTH) as an Authorization header value."""
    auth = auth if auth is not None else os.environ.get(AUTH_ENV)
    if auth is None or auth == "":
        return None
    if ":" not in auth:
        raise UsageError(f"--auth: expected USER:PASSWORD (the LRS key and secret), got no ':' (or set {AUTH_ENV})")
    return "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def _get(url: str, authorization: str | None, shown: str) -> dict:
    headers = {"X-Experience-API-Version": xapi.XAPI_VERSION, "Accept": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, headers=headers, method="GET")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        hint = {401: "check --auth USER:PASSWORD: a key allowed to read statements, not the site's write-only one",
                403: "the key may not read statements: use one with read access, not the site's write-only one",
                404: "no xAPI statements resource there: check the endpoint (the address that statements/ is under)"}
        said = ""
        try:
            detail = json.loads(exc.read(4096) or b"null")
            if isinstance(detail, dict) and isinstance(detail.get("detail"), str):
                said = f": “{printable(detail['detail'])[:200]}”"
        except (ValueError, OSError, AttributeError):
            pass
        raise MesotrainError(f"{shown}: the LRS answered HTTP {exc.code}{said}"
                             + (f" ({hint[exc.code]})" if exc.code in hint else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MesotrainError(f"{shown}: cannot reach the LRS ({reason})") from None
    if len(body) > MAX_PAGE_BYTES:
        raise MesotrainError(f"{shown}: the LRS sent more than {MAX_PAGE_BYTES >> 20} MB for one page of statements")
    try:
        page = json.loads(body)
    except (ValueError, RecursionError):
        raise MesotrainError(f"{shown}: the LRS did not answer with xAPI JSON (a statement result)") from None
    if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
        raise MesotrainError(f"{shown}: the LRS's answer has no list of statements")
    return page


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would take the Authorization header somewhere we were not told about."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; give that address instead",
                                     headers, fp)


def _document(statement: object, n: int, endpoint: str) -> Received | Rejection | None:
    """The result file a statement carries, a rejection naming it, or None when it is not ours."""
    if not isinstance(statement, dict):
        return Rejection(f"{endpoint} statement #{n}", "malformed", "not an xAPI statement (a JSON object)")
    sid = statement.get("id")
    name = f"{endpoint} statement {printable(sid)[:64]}" if isinstance(sid, str) and sid else f"{endpoint} statement #{n}"
    verb = statement.get("verb")
    if not isinstance(verb, dict) or verb.get("id") != xapi.VERBS["submitted"]:
        return None  # an LRS that ignored the verb filter
    result = statement.get("result")
    extensions = result.get("extensions") if isinstance(result, dict) else None
    if not isinstance(extensions, dict) or xapi.RESULT_FILE not in extensions:
        return None  # a submission of something else, by another tool: not a mesotrain attempt
    text = extensions[xapi.RESULT_FILE]
    if not isinstance(text, str):
        return Rejection(name, "malformed", f"its result file ({xapi.RESULT_FILE}) is not JSON text")
    stored = statement.get("stored")
    where = name + (f" (stored {printable(stored)[:40]})" if isinstance(stored, str) else "")
    return Received(where, text.encode("utf-8", "surrogatepass"))


def fetch(endpoint_url: str, auth: str | None = None) -> Fetched:
    """Every submitted attempt held by the LRS at ``endpoint_url``, paging through ``more``."""
    if (problem := xapi.endpoint_problem(endpoint_url)) is not None:
        raise UsageError(f"--lrs: {problem}")
    endpoint = xapi.endpoint(endpoint_url)
    authorization = basic_auth(auth)
    url = endpoint + "statements?" + urlencode({"verb": xapi.VERBS["submitted"], "limit": PAGE})
    documents: list[Received] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    pages = count = 0
    while url:
        if url in seen or pages >= MAX_PAGES:
            raise MesotrainError(f"{endpoint}: the LRS's 'more' links go round in circles ({pages} pages read)")
        seen.add(url)
        page = _get(url, authorization, endpoint)
        pages += 1
        for statement in page["statements"]:
            count += 1
            got = _document(statement, count, endpoint)
            if isinstance(got, Received):
                documents.append(got)
            elif got is not None:
                rejected.append(got)
        more = page.get("more")
        if not more:
            break
        if not isinstance(more, str):
            raise MesotrainError(f"{endpoint}: the LRS's 'more' link is not an address")
        url = urljoin(endpoint, more)
        if not _same_origin(url, endpoint):
            raise MesotrainError(f"{endpoint}: the LRS's 'more' link leads to another site ({printable(more)[:80]}); "
                                 "refused, so the key is not sent there")
    return Fetched(documents, rejected, pages, count)
