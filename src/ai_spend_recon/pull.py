"""`recon pull`: the providers' admin cost and usage APIs into the landing zone.

    OPENAI_ADMIN_KEY=sk-admin-... ANTHROPIC_ADMIN_KEY=sk-ant-admin01-... recon pull --days 7

Each run writes, per endpoint, one folder `<endpoint folder>/pull_YYYY-MM-DD` (the run's UTC
date; a second run the same day writes `pull_YYYY-MM-DDTHHMMSSZ`, which sorts after it and so
supersedes it) holding the response bodies exactly as received, `page_0001.json`, ... in the
order they were fetched. The readers (load/json_pages.py, the staging models) take it from
there: a newer pull supersedes an older one bucket by bucket, so re-pulling the last `--days`
days (the settle window: providers restate recent days) corrects them and leaves every older
day as the older pull has it.

Nothing half-written looks complete: each page is written under a hidden name (ignored by the
load) and renamed into place once whole, and pages land in order, so a run that stops (a
server that keeps failing, a cut connection, a killed process) leaves a folder whose last page
still says `has_more`. The load quarantines such a pull whole (`page_sequence_incomplete`), so
it supersedes nothing; the next run pulls the window again.

Keys come from the environment only (OPENAI_ADMIN_KEY, ANTHROPIC_ADMIN_KEY), are sent in a
header and never written, logged or repeated in a message; a key that does not look like an
admin key (prefix, whitespace) is refused before any request. 429, 5xx and connection errors
are retried with exponential backoff honouring Retry-After, up to --attempts times.

Base URLs: RECON_OPENAI_BASE_URL, RECON_ANTHROPIC_BASE_URL (the tests point them at a local
server). Documentation: README, "Every day: pull, load, build, check".
"""

from __future__ import annotations

import argparse
import email.utils
import http.client
import json
import logging
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ai_spend_recon.load.sources import OPENAI_USAGE_ENDPOINTS

log = logging.getLogger("ai_spend_recon.pull")

#: Days re-pulled by each run when neither --days nor RECON_PULL_DAYS says otherwise.
DEFAULT_SETTLE_DAYS = 7
DEFAULT_ATTEMPTS = 5
#: The longest wait between two attempts, whatever Retry-After asks (seconds).
MAX_WAIT_SECONDS = 120.0
#: A pull that pages more than this is cut short (marked incomplete), not run forever.
MAX_PAGES = 1000
ANTHROPIC_VERSION = "2023-06-01"
RETRIED_STATUSES = {408, 409, 429, 500, 502, 503, 504, 529}


class PullError(Exception):
    """A pull that cannot go on. Its message never holds a key."""


class KeyRefused(PullError):
    """An admin key that is absent or does not look like one: no request was made."""


@dataclass(frozen=True)
class Provider:
    name: str
    key_variable: str
    key_prefix: str
    base_url_variable: str
    default_base_url: str

    def headers(self, key: str) -> dict[str, str]:
        if self.name == "openai":
            return {"Authorization": f"Bearer {key}"}
        return {"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION}


OPENAI = Provider(
    "openai", "OPENAI_ADMIN_KEY", "sk-admin-", "RECON_OPENAI_BASE_URL", "https://api.openai.com"
)
ANTHROPIC = Provider(
    "anthropic",
    "ANTHROPIC_ADMIN_KEY",
    "sk-ant-admin",
    "RECON_ANTHROPIC_BASE_URL",
    "https://api.anthropic.com",
)
PROVIDERS = {p.name: p for p in (OPENAI, ANTHROPIC)}


@dataclass(frozen=True)
class Endpoint:
    """One paged API and the landing folder its pages go to (load/sources.py)."""

    provider: Provider
    path: str
    folder: str
    group_by: tuple[str, ...]
    max_limit: int
    #: Anthropic spells an array parameter group_by[]=...; OpenAI repeats group_by=...
    array_suffix: str = ""
    query: dict[str, str] = field(default_factory=dict)

    def params(self, start: datetime, end: datetime, limit: int, page: str | None) -> list:
        if self.provider is OPENAI:
            window = [("start_time", int(start.timestamp())), ("end_time", int(end.timestamp()))]
        else:
            window = [("starting_at", _rfc3339(start)), ("ending_at", _rfc3339(end))]
        params = [*window, ("bucket_width", "1d"), ("limit", min(limit, self.max_limit))]
        params += [(f"group_by{self.array_suffix}", g) for g in self.group_by]
        if page is not None:
            params.append(("page", page))
        return params


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# The group-bys give every dimension the staging models read (models/staging/*/_*__sources.yml).
_OPENAI_USAGE_GROUPS = {
    "completions": ("project_id", "api_key_id", "model", "batch", "service_tier"),
    "embeddings": ("project_id", "api_key_id", "model"),
    "moderations": ("project_id", "user_id", "api_key_id", "model"),
    "images": ("project_id", "user_id", "api_key_id", "model", "size", "source"),
    "audio_speeches": ("project_id", "user_id", "api_key_id", "model"),
    "audio_transcriptions": ("project_id", "user_id", "api_key_id", "model"),
}
assert set(_OPENAI_USAGE_GROUPS) == set(OPENAI_USAGE_ENDPOINTS)

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        OPENAI,
        "/v1/organization/costs",
        "openai/costs",
        ("project_id", "line_item", "api_key_id"),
        180,
    ),
    *[
        Endpoint(OPENAI, f"/v1/organization/usage/{e}", f"openai/usage_{e}", groups, 31)
        for e, groups in _OPENAI_USAGE_GROUPS.items()
    ],
    Endpoint(
        ANTHROPIC,
        "/v1/organizations/cost_report",
        "anthropic/cost_report",
        # inference_geo: a row per geography, so the US-only uplift is billed on its own rows
        ("workspace_id", "description", "inference_geo"),
        31,
        array_suffix="[]",
    ),
    Endpoint(
        ANTHROPIC,
        "/v1/organizations/usage_report/messages",
        "anthropic/usage_messages",
        ("api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo"),
        31,
        array_suffix="[]",
    ),
]


# -- keys ---------------------------------------------------------------------------------


def admin_key(provider: Provider, environ: dict[str, str] | None = None) -> str:
    """The provider's admin key from its environment variable, refused (KeyRefused, naming
    the variable, never the value) when absent or not shaped like an admin key."""
    environ = os.environ if environ is None else environ
    key = environ.get(provider.key_variable)
    if not key:
        raise KeyRefused(f"{provider.key_variable} is not set: no {provider.name} pull was made.")
    problem = None
    if any(c.isspace() for c in key):
        problem = "it holds whitespace (a stray space or line break when it was pasted?)"
    elif not key.startswith(provider.key_prefix):
        problem = (
            f"it does not start with {provider.key_prefix} (an admin key does; a project"
            " or workspace API key cannot read the organization's costs)"
        )
    elif not key.isascii() or not key.isprintable() or len(key) < len(provider.key_prefix) + 8:
        problem = "it is too short or holds characters a key does not have"
    if problem:
        raise KeyRefused(
            f"{provider.key_variable} does not look like a {provider.name} admin key: {problem}."
            " No request was made."
        )
    return key


def scrub(text: str, secrets: list[str]) -> str:
    """The text without any of the secrets and without anything shaped like a key."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[key]")
    return re.sub(r"sk-[A-Za-z0-9_\-]{6,}", "[key]", text)


# -- HTTP -----------------------------------------------------------------------------------


@dataclass
class Client:
    """GET with retries. `sleep` and `opener` are replaceable for tests."""

    attempts: int = DEFAULT_ATTEMPTS
    base_wait: float = 1.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    secrets: list[str] = field(default_factory=list)

    def get(self, url: str, headers: dict[str, str]) -> bytes:
        """The body of a 200 response that is a JSON object. Retries 429, 5xx, cut
        connections and bodies that are not whole JSON; raises PullError otherwise."""
        last_problem = ""
        for attempt in range(1, self.attempts + 1):
            wait = self.base_wait * 2 ** (attempt - 1)
            try:
                request = urllib.request.Request(url, headers=headers, method="GET")
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                document = json.loads(body)
                if not isinstance(document, dict):
                    raise ValueError("the body is not a JSON object")
                return body
            except urllib.error.HTTPError as error:
                status = error.code
                detail = _error_detail(error)
                error.close()
                last_problem = f"HTTP {status}{detail}"
                if status not in RETRIED_STATUSES:
                    raise PullError(
                        scrub(
                            f"{_safe_url(url)} answered {last_problem}; not retried.", self.secrets
                        )
                    ) from None
                retry_after = _retry_after(error.headers.get("Retry-After"))
                if retry_after is not None:
                    wait = retry_after
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                last_problem = f"connection error ({type(error).__name__})"
            except (ValueError, UnicodeDecodeError):
                last_problem = "a body that is not whole JSON (cut short?)"
            if attempt < self.attempts:
                wait = min(wait, MAX_WAIT_SECONDS)
                log.warning(
                    scrub(
                        f"{_safe_url(url)}: {last_problem}; attempt {attempt} of"
                        f" {self.attempts}, retrying in {wait:g} s",
                        self.secrets,
                    )
                )
                self.sleep(wait)
        raise PullError(
            scrub(
                f"{_safe_url(url)}: {last_problem} after {self.attempts} attempts; giving up.",
                self.secrets,
            )
        )


def _safe_url(url: str) -> str:
    """The URL without its query (short in messages; no key is ever in it anyway)."""
    return url.split("?", 1)[0]


def _error_detail(error: urllib.error.HTTPError) -> str:
    try:
        body = error.read(2000).decode("utf-8", "replace")
        message = json.loads(body).get("error", {})
        text = message.get("message") if isinstance(message, dict) else str(message)
        return f" ({text})" if text else ""
    except (ValueError, AttributeError, OSError, http.client.HTTPException):
        return ""


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


# -- pulls ----------------------------------------------------------------------------------


@dataclass
class PullResult:
    endpoint: Endpoint
    folder: Path | None
    pages: int
    complete: bool
    problem: str = ""

    def line(self) -> str:
        where = self.folder if self.folder else "(nothing written)"
        if self.complete:
            return f"{self.endpoint.folder}: {self.pages} page(s) -> {where}"
        return (
            f"{self.endpoint.folder}: INCOMPLETE after {self.pages} page(s) -> {where}:"
            f" {self.problem}"
        )


def pull_folder(raw_dir: Path, endpoint: Endpoint, now: datetime) -> Path:
    """pull_YYYY-MM-DD, or pull_YYYY-MM-DDTHHMMSSZ when this day's folder already exists
    (a second run the same day: it sorts after the first, so it supersedes it)."""
    base = raw_dir / endpoint.folder
    folder = base / f"pull_{now:%Y-%m-%d}"
    if folder.exists():
        folder = base / f"pull_{now:%Y-%m-%dT%H%M%SZ}"
    if folder.exists():
        raise PullError(f"{folder} already exists: one pull per second at most.")
    return folder


def _write_page(folder: Path, number: int, body: bytes) -> None:
    """The page under a hidden name (ignored by the load), flushed, then renamed into place."""
    folder.mkdir(parents=True, exist_ok=True)
    hidden = folder / f".page_{number:04d}.json.partial"
    with open(hidden, "wb") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(hidden, folder / f"page_{number:04d}.json")


def pull_endpoint(
    endpoint: Endpoint,
    key: str,
    client: Client,
    base_url: str,
    raw_dir: Path,
    start: datetime,
    end: datetime,
    now: datetime,
    limit: int,
) -> PullResult:
    """Every page of the endpoint over [start, end), written as fetched."""
    folder = pull_folder(raw_dir, endpoint, now)
    page_token: str | None = None
    pages = 0
    while True:
        query = urllib.parse.urlencode(endpoint.params(start, end, limit, page_token))
        url = f"{base_url.rstrip('/')}{endpoint.path}?{query}"
        try:
            body = client.get(url, endpoint.provider.headers(key))
        except PullError as error:
            return PullResult(endpoint, folder if pages else None, pages, False, str(error))
        pages += 1
        _write_page(folder, pages, body)
        document = json.loads(body)
        has_more = document.get("has_more")
        if has_more is not True:
            # false (or absent) ends the pull; the readers treat any other value as more.
            if has_more is False or has_more is None:
                return PullResult(endpoint, folder, pages, True)
            return PullResult(endpoint, folder, pages, False, f"has_more is {has_more!r}")
        page_token = document.get("next_page")
        if not isinstance(page_token, str) or not page_token:
            return PullResult(
                endpoint, folder, pages, False, "has_more is true but next_page is empty"
            )
        if pages >= MAX_PAGES:
            return PullResult(endpoint, folder, pages, False, f"more than {MAX_PAGES} pages")


def settle_window(today: date, days: int) -> tuple[datetime, datetime]:
    """The `days` whole UTC days before today: [today - days, today)."""
    end = datetime(today.year, today.month, today.day, tzinfo=UTC)
    return end - timedelta(days=days), end


def run_pulls(
    raw_dir: Path,
    providers: list[Provider],
    days: int,
    environ: dict[str, str] | None = None,
    now: datetime | None = None,
    client: Client | None = None,
    limit: int = 31,
    endpoints: list[Endpoint] | None = None,
) -> list[PullResult]:
    """Every endpoint of the providers; keys are all checked before any request."""
    environ = os.environ if environ is None else environ
    keys = {p.name: admin_key(p, environ) for p in providers}
    now = now or datetime.now(UTC)
    start, end = settle_window(now.date(), days)
    client = client or Client()
    client.secrets = list(keys.values())
    results = []
    for endpoint in endpoints or ENDPOINTS:
        provider = endpoint.provider
        if provider.name not in keys:
            continue
        base_url = environ.get(provider.base_url_variable) or provider.default_base_url
        result = pull_endpoint(
            endpoint, keys[provider.name], client, base_url, raw_dir, start, end, now, limit
        )
        (log.info if result.complete else log.error)(result.line())
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Pull the OpenAI and Anthropic admin cost and usage APIs into the landing"
        " zone (README, 'Every day: pull, load, build, check')."
    )
    parser.add_argument(
        "--out",
        default=os.environ.get("RECON_RAW_DIR", "demo/raw"),
        help="the landing zone (default: RECON_RAW_DIR)",
    )
    parser.add_argument(
        "--provider",
        action="append",
        choices=sorted(PROVIDERS),
        help="pull this provider (repeatable); default: each whose admin key variable is set",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=int(os.environ.get("RECON_PULL_DAYS", DEFAULT_SETTLE_DAYS)),
        help="re-pull the last N whole UTC days, the settle window"
        f" (default: RECON_PULL_DAYS, else {DEFAULT_SETTLE_DAYS})",
    )
    parser.add_argument(
        "--openai-costs-group-by",
        default=",".join(ENDPOINTS[0].group_by),
        help="group-bys of /v1/organization/costs (default: %(default)s; an organization"
        " whose API refuses api_key_id there can drop it: its rows then name no key)",
    )
    parser.add_argument("--attempts", type=int, default=DEFAULT_ATTEMPTS)
    parser.add_argument("--limit", type=int, default=31, help="buckets per page (capped per API)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="recon pull: %(message)s", stream=sys.stderr)
    if args.days < 1:
        parser.error("--days must be at least 1")
    if args.provider:
        providers = [PROVIDERS[name] for name in args.provider]
    else:
        providers = [p for p in PROVIDERS.values() if os.environ.get(p.key_variable)]
        if not providers:
            print(
                "recon pull: set OPENAI_ADMIN_KEY and/or ANTHROPIC_ADMIN_KEY: no pull was made.",
                file=sys.stderr,
            )
            return 2
    costs = ENDPOINTS[0]
    groups = tuple(g.strip() for g in args.openai_costs_group_by.split(",") if g.strip())
    endpoints = [replace(costs, group_by=groups), *ENDPOINTS[1:]]
    try:
        results = run_pulls(
            Path(args.out),
            providers,
            args.days,
            client=Client(attempts=args.attempts),
            limit=args.limit,
            endpoints=endpoints,
        )
    except KeyRefused as error:
        print(f"recon pull: {error}", file=sys.stderr)
        return 2
    incomplete = [r for r in results if not r.complete]
    if incomplete:
        print(
            f"recon pull: {len(incomplete)} of {len(results)} pulls did not finish; their"
            " folders end with a page that says has_more, so the load quarantines them"
            " (page_sequence_incomplete) and they supersede nothing. Run again.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
