"""Every setting in one place, with its default, environment variable and meaning.

Precedence, lowest to highest: the defaults below < the environment < command-line options.
Secrets are never stored in files: they are read from the environment only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "PARALLAX_DB", "parallax.db", "Path of the SQLite store (created on first use)."),
    Setting("watch", "PARALLAX_WATCH", "iran-russia", "Watch used when none is named."),
    Setting(
        "watch_dir",
        "PARALLAX_WATCH_DIR",
        "",
        "Extra folders of user watch files (NAME.toml), separated like PATH; searched before"
        " ~/.config/parallax/watches and the watches shipped in the package.",
    ),
    Setting(
        "outlets",
        "PARALLAX_OUTLETS",
        "",
        "A TOML file of extra [[outlets]] merged into whichever watch is loaded.",
    ),
    Setting(
        "max_page_bytes",
        "PARALLAX_MAX_PAGE_BYTES",
        str(16 * 1024 * 1024),
        "Largest HTML page, WARC record or JSON Lines line read (bytes); larger ones are"
        " recorded as too-large errors and reading goes on.",
    ),
    Setting(
        "max_annotate_chars",
        "PARALLAX_MAX_ANNOTATE_CHARS",
        "250000",
        "Characters of an article's text the annotation stages read (quality, language, actors,"
        " events, themes, dedupe); the text is stored whole and flagged annotated_in_part.",
    ),
    Setting(
        "dedupe_threshold",
        "PARALLAX_DEDUPE_THRESHOLD",
        "0.7",
        "Estimated Jaccard similarity of word 3-shingles at which an article is a near-duplicate.",
    ),
    Setting(
        "demo_data",
        "PARALLAX_DEMO_DATA",
        "../shared/data/demo",
        "Folder of the offline demo corpus (JSON Lines, gzip).",
    ),
    Setting(
        "demo_news",
        "PARALLAX_DEMO_NEWS",
        "news/feeds-iran-war-2026/feeds-2026.jsonl.gz,news/farsnews-2023/farsnews-2023.jsonl.gz",
        "Files the demo ingests besides its folder (comma-separated, relative to the folder's"
        " parent, the shared data folder) unless `--data` names a folder: the 2026 war feeds of"
        " Iranian and Russian media and Persian Fars articles. Empty: none.",
    ),
    Setting(
        "workers",
        "PARALLAX_WORKERS",
        "auto",
        "Processes running the stateless stages during ingest (auto: one per core, at most 2;"
        " 1 runs everything in one process).",
    ),
    Setting(
        "batch_size",
        "PARALLAX_BATCH_SIZE",
        "500",
        "Articles written per store transaction during ingest.",
    ),
    Setting(
        "chromium",
        "PARALLAX_CHROMIUM",
        "/usr/bin/chromium",
        "Headless browser that prints briefings to PDF (`parallax brief --format pdf`).",
    ),
    Setting(
        "actors",
        "PARALLAX_ACTORS",
        "",
        "User actor dictionary files (TOML, YAML or CSV; separated like PATH) applied over the"
        " shipped dictionary: new entries, overrides and patches.",
    ),
    Setting(
        "actors_ner",
        "PARALLAX_ACTORS_NER",
        "off",
        "Add names a statistical NER model finds (needs the 'ner' extra): on or off.",
    ),
    Setting(
        "user_agent",
        "PARALLAX_USER_AGENT",
        "ParallaxBot/0.1 (+https://pypi.org/project/newsparallax/; news research monitor)",
        "User-Agent sent by the live monitor; its first word is the robots.txt product token.",
    ),
    Setting(
        "host_delay",
        "PARALLAX_HOST_DELAY",
        "1.0",
        "Seconds between two requests to one host (robots.txt Crawl-delay raises it, up to 60).",
    ),
    Setting(
        "concurrency",
        "PARALLAX_CONCURRENCY",
        "4",
        "Requests the monitor has in flight at once, over all hosts.",
    ),
    Setting("timeout", "PARALLAX_TIMEOUT", "20", "Seconds before a monitor request times out."),
    Setting(
        "max_response_bytes",
        "PARALLAX_MAX_RESPONSE_BYTES",
        str(32 * 1024 * 1024),
        "Largest response body the monitor reads, after decompression (bombs are refused).",
    ),
    Setting(
        "poll_interval",
        "PARALLAX_POLL_INTERVAL",
        "900",
        "Seconds between two polls of one feed by `parallax watch` (failures back off more).",
    ),
    Setting(
        "warc_dir",
        "PARALLAX_WARC_DIR",
        "",
        "Folder of the monitor's WARC archives (default: a 'warc' folder beside the store).",
    ),
    Setting(
        "warc_max_bytes",
        "PARALLAX_WARC_MAX_BYTES",
        str(1024**3),
        "Size at which the monitor starts a new WARC file.",
    ),
    Setting(
        "allow_private_networks",
        "PARALLAX_ALLOW_PRIVATE_NETWORKS",
        "false",
        "Let the monitor fetch loopback/private addresses: 'true', or a comma-separated list of"
        " networks (CIDR). Link-local and metadata addresses stay refused unless listed.",
    ),
    Setting(
        "fetch_via",
        "PARALLAX_FETCH_VIA",
        "",
        "Send every monitor request to this replay server (http://127.0.0.1:PORT of"
        " `parallax replay-server`) instead of the network, keeping the original URLs.",
    ),
    Setting(
        "api_token",
        "PARALLAX_API_TOKEN",
        "",
        "Bearer token that `parallax serve` requires on write endpoints (secret: environment"
        " only); unset, writes are refused.",
    ),
    Setting(
        "max_request_bytes",
        "PARALLAX_MAX_REQUEST_BYTES",
        str(1024 * 1024),
        "Largest request body `parallax serve` takes (its writes send small JSON); a larger"
        " one is refused with 413 before it is read, or as soon as it goes over when streamed.",
    ),
    Setting(
        "api_read",
        "PARALLAX_API_READ",
        "local",
        "Who may use the read endpoints and pages of `parallax serve`: local (loopback clients),"
        " open (everyone) or token (the PARALLAX_API_TOKEN bearer token).",
    ),
    Setting(
        "allowed_hosts",
        "PARALLAX_ALLOWED_HOSTS",
        "",
        "Host names (comma-separated; *.domain for subdomains, * for any) that `parallax serve`"
        " answers to besides localhost, loopback addresses and the address it was reached at;"
        " other Host headers get 400 (DNS rebinding).",
    ),
    Setting(
        "stories_threshold",
        "PARALLAX_STORIES_THRESHOLD",
        "0.2",
        "Similarity (0-1) at which an article joins an open story in `parallax cluster`;"
        " higher makes smaller, purer stories.",
    ),
    Setting(
        "stories_quiet_days",
        "PARALLAX_STORIES_QUIET_DAYS",
        "1",
        "Days without a new article after which a story closes.",
    ),
    Setting(
        "stories_max_span_days",
        "PARALLAX_STORIES_MAX_SPAN_DAYS",
        "2",
        "Longest a story may run: an article this many days after a story began starts a new one.",
    ),
    Setting(
        "stories_max_span_hours",
        "PARALLAX_STORIES_MAX_SPAN_HOURS",
        "36",
        "Longest a story may run for an article timed to the minute: one this many hours after a"
        " story began starts a new one (an article dated only to the day keeps the days' span).",
    ),
    Setting(
        "stories_arc_threshold",
        "PARALLAX_STORIES_ARC_THRESHOLD",
        "0.15",
        "Cosine (0-1) at which a closed story joins an arc (a long-running story line) in"
        " `parallax cluster`; higher makes more, narrower arcs.",
    ),
    Setting(
        "stories_arc_merge",
        "PARALLAX_STORIES_ARC_MERGE",
        "0.2",
        "Cosine (0-1) of two arcs' centroids at which they are merged into one story line.",
    ),
    Setting(
        "event_threshold",
        "PARALLAX_EVENT_THRESHOLD",
        "",
        "Confidence (0-1, the calibrated precision of the events coder) an event needs to count"
        " in the relation index, timelines, alerts and claims; below it, it is stored and listed"
        " for inspection only. Empty: the shipped confidence model's threshold.",
    ),
    Setting(
        "themes_min_score",
        "PARALLAX_THEMES_MIN_SCORE",
        "0.5",
        "Score (0-1, the themes model's probability) a theme needs to be tagged on an article"
        " by the themes stage.",
    ),
    Setting(
        "web_refresh",
        "PARALLAX_WEB_REFRESH",
        "5",
        "Seconds that pages, cached figures and ETags of `parallax serve` may lag writes by other"
        " processes (the monitor, an ingest); 0 looks at the store on every request.",
    ),
    Setting(
        "relation_smooth_days",
        "PARALLAX_RELATION_SMOOTH_DAYS",
        "7",
        "Days of the trailing window that smooths daily relation series (`parallax relation`).",
    ),
    Setting(
        "alert_deliver_days",
        "PARALLAX_ALERT_DELIVER_DAYS",
        "7",
        "Alerts about days older than this before the newest article are recorded as historical"
        " and not sent to the webhook or e-mail (a first run over an archive sends nothing old).",
    ),
    Setting(
        "alert_webhook",
        "PARALLAX_ALERT_WEBHOOK",
        "",
        "URL(s), comma-separated, that get each new alert as a JSON POST (retried until it"
        " succeeds); unset, no webhook.",
    ),
    Setting(
        "smtp_host",
        "PARALLAX_SMTP_HOST",
        "",
        "SMTP server that sends alert e-mails (with PARALLAX_ALERT_EMAIL_TO); unset, no e-mail.",
    ),
    Setting("smtp_port", "PARALLAX_SMTP_PORT", "25", "Port of the SMTP server."),
    Setting(
        "smtp_starttls",
        "PARALLAX_SMTP_STARTTLS",
        "false",
        "Upgrade the SMTP connection with STARTTLS before logging in: true or false.",
    ),
    Setting("smtp_user", "PARALLAX_SMTP_USER", "", "SMTP login user (none: no login)."),
    Setting(
        "smtp_password",
        "PARALLAX_SMTP_PASSWORD",
        "",
        "SMTP login password (secret: environment only).",
    ),
    Setting(
        "alert_email_from",
        "PARALLAX_ALERT_EMAIL_FROM",
        "parallax@localhost",
        "Sender address of alert e-mails.",
    ),
    Setting(
        "alert_email_to",
        "PARALLAX_ALERT_EMAIL_TO",
        "",
        "Recipients of alert e-mails, comma-separated.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment if set, else the default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env) or setting.default


def get_int(name: str) -> int:
    return int(get(name))


def get_float(name: str) -> float:
    return float(get(name))


def demo_news_files() -> list[Path]:
    """The extra demo files (:data:`demo_news`) that exist, beside the demo folder."""
    base = demo_data_dir().parent
    names = [n.strip() for n in get("demo_news").split(",") if n.strip()]
    return [base / n for n in names if (base / n).is_file()]


def demo_data_dir() -> Path:
    """The demo corpus folder: the setting relative to the current folder, else beside the
    source checkout (``<repo>/../shared/data/demo``)."""
    configured = Path(get("demo_data"))
    if configured.is_dir() or os.environ.get("PARALLAX_DEMO_DATA"):
        return configured
    beside_checkout = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "demo"
    return beside_checkout if beside_checkout.is_dir() else configured
