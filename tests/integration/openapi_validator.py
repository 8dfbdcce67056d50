"""Checks HTTP responses against openapi/openapi.yaml.

The integration tests call `validate(method, path, status, body)` (or
`validate_response(response)` with a `requests.Response`) on what the real
server sent. It finds the documented operation for the concrete path, the
documented response for the status, and validates the JSON body against that
response's schema (JSON Schema 2020-12, as OpenAPI 3.1 uses); given the
response's headers, a Content-Type that is not JSON (the cost report's CSV,
an event stream) selects that documented media type instead, and the body is
checked as text. A request that no operation takes (unknown path, or a method
the path lacks) is checked against the spec's `x-unrouted-responses` (404
NotFound, 405, and the transport's 400/413/431). Anything undocumented, or a body that does not
match, raises AssertionError with a message that says which rule broke where.

Uses only Debian's python3-yaml and python3-jsonschema (4.10: the RefResolver
API; `#/components/...` refs resolve against the whole spec document).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit

import jsonschema
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "openapi.yaml"

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_ERRORS_SHOWN = 8
_MAX_BODY_SHOWN = 600


@functools.lru_cache(maxsize=None)
def load_spec(path: Path = SPEC_PATH) -> dict:
    """The parsed spec. Cached: treat it as read-only."""
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3.1"):
        raise AssertionError(f"{path} is not an OpenAPI 3.1 document")
    return spec


def validate(
    method: str,
    path: str,
    status: int,
    body: Any,
    headers: Optional[Mapping[str, str]] = None,
) -> Any:
    """Asserts that `body` is what the spec documents for this response.

    `path` is the concrete request path; a query string or a full URL is
    accepted and only the path is used. `body` is the parsed JSON, or the raw
    text/bytes of it, or None (or empty) for no body. When `headers` is given,
    the response's required headers (e.g. `Allow` on 405) must be in it, and
    a Content-Type that is not JSON (`text/csv`, `text/event-stream`, ...)
    selects that media type of the response: the spec must document it, and
    the body is checked as text against its schema. Returns the parsed body
    (the text, for such a media type).
    """
    spec = load_spec()
    where = f"{method.upper()} {path} -> {status}"
    template, path_item = _find_path(spec, path)
    operation = path_item.get(method.lower()) if path_item is not None else None
    if operation is not None:
        response = _find_response(spec, operation, status, template, method, where)
    else:
        response = _find_unrouted_response(spec, path_item, method, status, template, where)
        template = template or "no documented path"

    if headers is not None:
        _check_headers(spec, response, headers, where)

    content = response.get("content")
    if not content:
        if body not in (None, "", b""):
            raise AssertionError(f"{where}: the spec documents no body, got {_show(body)}")
        return body

    media_type = _media_type_of(headers)
    if media_type is not None and not _is_json_media_type(media_type):
        return _check_text_body(spec, content, media_type, body, f"{where} ({template})")

    media = content.get("application/json")
    if media is None:
        raise AssertionError(f"{where}: the spec documents no application/json body "
                             f"(only {sorted(content)})")
    parsed = _parse_json(body, where)
    schema = media.get("schema")
    if schema is not None:
        _check_schema(spec, schema, parsed, f"{where} ({template})")
    return parsed


def validate_response(response: Any) -> Any:
    """`validate` for a `requests.Response`, headers included."""
    request = response.request
    return validate(request.method, request.url, response.status_code,
                    response.content, headers=response.headers)


def validate_schema(name: str, instance: Any) -> None:
    """Asserts that `instance` matches `#/components/schemas/<name>`.

    For values checked apart from a whole response, e.g. one summary of a
    list: `validate_schema("TrainingJobSummary", page["TrainingJobSummaries"][0])`.
    """
    spec = load_spec()
    if name not in spec.get("components", {}).get("schemas", {}):
        raise AssertionError(f"no schema {name!r} in {SPEC_PATH}")
    _check_schema(spec, {"$ref": f"#/components/schemas/{name}"}, instance, f"schema {name}")


# ---- lookup -------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _path_patterns() -> list:
    """(regex, template) for every documented path, most literal first, so that
    a literal path wins over a template that would also match it."""
    patterns = []
    for template in load_spec().get("paths", {}):
        parts = re.split(r"(\{[^/{}]+\})", template)
        regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        literal_chars = sum(len(p) for p in parts if not p.startswith("{"))
        patterns.append((literal_chars, re.compile(regex), template))
    patterns.sort(key=lambda t: -t[0])
    return [(regex, template) for _, regex, template in patterns]


def _find_path(spec: dict, path: str):
    """(template, path item) for the concrete path, or (None, None)."""
    request_path = urlsplit(path).path or "/"
    for regex, template in _path_patterns():
        if regex.fullmatch(request_path):
            return template, spec["paths"][template]
    return None, None


def _find_unrouted_response(spec, path_item, method, status, template, where):
    """A request that no operation takes: the spec's `x-unrouted-responses`
    say what it may get. 404 only when no path matches, 405 only when one does."""
    unrouted = {str(k): v for k, v in spec.get("x-unrouted-responses", {}).items()}
    if path_item is None:
        unrouted.pop("405", None)
        if str(status) in unrouted:
            return _deref(spec, unrouted[str(status)])
        raise AssertionError(
            f"{where}: the path matches no documented path ({', '.join(spec.get('paths', {}))}); "
            f"such a request may only get {', '.join(sorted(unrouted))}")
    unrouted.pop("404", None)
    if str(status) in unrouted:
        return _deref(spec, unrouted[str(status)])
    documented = ", ".join(m.upper() for m in _HTTP_METHODS if m in path_item)
    raise AssertionError(f"{where}: {template} documents no {method.upper()} operation "
                         f"(only {documented}); such a request may only get "
                         f"{', '.join(sorted(unrouted))}")


def _responses(operation: dict) -> dict:
    # YAML may have parsed an unquoted status code as an int.
    return {str(k): v for k, v in operation.get("responses", {}).items()}


def _find_response(spec, operation, status, template, method, where):
    responses = _responses(operation)
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return _deref(spec, responses[key])
    op = operation.get("operationId", f"{method.upper()} {template}")
    raise AssertionError(f"{where}: {op} documents no {status} response "
                         f"(documented: {', '.join(sorted(responses))})")


def _deref(spec: dict, obj: Any) -> Any:
    """Follows local `$ref`s of non-schema objects (responses, headers)."""
    seen = set()
    while isinstance(obj, dict) and "$ref" in obj:
        ref = obj["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise AssertionError(f"cannot resolve $ref {ref!r} in {SPEC_PATH}")
        seen.add(ref)
        obj = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(obj, dict) or part not in obj:
                raise AssertionError(f"dangling $ref {ref!r} in {SPEC_PATH}")
            obj = obj[part]
    return obj


# ---- checks -------------------------------------------------------------------

def _check_headers(spec, response, headers, where):
    present = {k.lower() for k in headers}
    for name, header in (response.get("headers") or {}).items():
        header = _deref(spec, header)
        if header.get("required") and name.lower() not in present:
            raise AssertionError(f"{where}: required header {name!r} is missing "
                                 f"(got {', '.join(sorted(headers))})")


def _media_type_of(headers: Optional[Mapping[str, str]]) -> Optional[str]:
    """The response's media type (`type/subtype`, lower case, no parameters)
    from its Content-Type header; None without headers or without one."""
    if headers is None:
        return None
    for name, value in headers.items():
        if name.lower() == "content-type" and value:
            return value.split(";", 1)[0].strip().lower()
    return None


def _is_json_media_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _check_text_body(spec, content: dict, media_type: str, body: Any, where: str) -> str:
    """A response whose Content-Type is not JSON (CSV, Prometheus text, an
    event stream): the spec must document that media type (its parameters
    aside) for the response, and the body, as text, must match its schema."""
    documented = {key.split(";", 1)[0].strip().lower(): media for key, media in content.items()}
    media = documented.get(media_type)
    if media is None:
        raise AssertionError(f"{where}: the spec documents no {media_type} body "
                             f"(only {sorted(content)})")
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", errors="replace")
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise AssertionError(f"{where}: a {media_type} body must be text, got {_show(body)}")
    schema = media.get("schema")
    if schema is not None:
        _check_schema(spec, schema, body, where)
    return body


def _parse_json(body: Any, where: str) -> Any:
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        try:
            return json.loads(body)
        except ValueError as e:
            raise AssertionError(f"{where}: body is not JSON ({e}): {_show(body)}") from None
    return body


def _check_schema(spec: dict, schema: Any, instance: Any, where: str) -> None:
    resolver = jsonschema.RefResolver.from_schema(spec)
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(instance), key=lambda e: _json_path(e.absolute_path))
    if not errors:
        return
    lines = [f"{where}: body does not match the spec ({len(errors)} problem(s)):"]
    for error in errors[:_MAX_ERRORS_SHOWN]:
        rule = "/".join(str(p) for p in error.schema_path)
        lines.append(f"  at {_json_path(error.absolute_path)}: {_short(error.message)}  [{rule}]")
    if len(errors) > _MAX_ERRORS_SHOWN:
        lines.append(f"  ... and {len(errors) - _MAX_ERRORS_SHOWN} more")
    lines.append(f"  body: {_show(instance)}")
    raise AssertionError("\n".join(lines))


def _json_path(parts) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _show(value: Any) -> str:
    try:
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return _short(text, _MAX_BODY_SHOWN)
