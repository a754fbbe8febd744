"""Where alerts go besides the table: a webhook and e-mail, as the settings configure."""

from __future__ import annotations

import json
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from ... import settings


class Sink(Protocol):
    @property
    def name(self) -> str:
        """``webhook`` or ``email``."""

    @property
    def target(self) -> str:
        """The URL or the addresses."""

    def send(self, alert: dict[str, Any]) -> None:
        """Deliver one alert; raise on failure."""


class SinkError(RuntimeError):
    """A sink could not deliver (it will be retried later)."""


@dataclass
class WebhookSink:
    """JSON POST of the alert to a URL; a few quick retries on network errors, 429 and 5xx."""

    url: str
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    name: str = "webhook"

    @property
    def target(self) -> str:
        return self.url

    def send(self, alert: dict[str, Any]) -> None:
        import httpx

        body = json.dumps({"type": "parallax.alert", "alert": alert}, ensure_ascii=False)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": settings.get("user_agent"),
            "Idempotency-Key": f"parallax-alert-{alert['watch']}-{alert['id']}",
        }
        error = ""
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with httpx.Client(timeout=self.timeout, trust_env=False) as client:
                    response = client.post(self.url, content=body.encode("utf-8"), headers=headers)
            except httpx.HTTPError as err:
                error = f"{type(err).__name__}: {err}"
                continue
            if 200 <= response.status_code < 300:
                return
            error = f"HTTP {response.status_code}"
            if response.status_code != 429 and response.status_code < 500:
                break  # a client error will not heal by retrying now
        raise SinkError(error)


@dataclass
class EmailSink:
    """A plain-text e-mail through an SMTP server (STARTTLS and login when configured)."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 20.0
    name: str = "email"

    @property
    def target(self) -> str:
        return ",".join(self.recipients)

    def message(self, alert: dict[str, Any]) -> EmailMessage:
        msg = EmailMessage()
        count = int(alert.get("count") or 1)
        subject = f"[Parallax] {alert['title']}" + (f" (×{count})" if count > 1 else "")
        msg["Subject"] = " ".join(subject.split())[:200]
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["X-Parallax-Alert"] = f"{alert['watch']}/{alert['id']}"
        lines = [
            alert.get("summary") or alert["title"],
            "",
            f"rule: {alert['rule']} ({alert['kind']}), subject: {alert['subject']}",
            f"days: {alert['first_day']} .. {alert['last_day']}, triggers: {count}",
            "events: " + ", ".join(alert.get("event_ids", [])[:30]),
            "articles: " + ", ".join(alert.get("article_ids", [])[:30]),
        ]
        if alert.get("story_ids"):
            lines.append("stories: " + ", ".join(alert["story_ids"][:30]))
        msg.set_content("\n".join(lines) + "\n")
        return msg

    def send(self, alert: dict[str, Any]) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(self.message(alert))
        except (OSError, smtplib.SMTPException) as err:
            raise SinkError(f"{type(err).__name__}: {err}") from err


def configured_sinks() -> list[Sink]:
    """The webhook and e-mail sinks the settings configure (none by default)."""
    sinks: list[Sink] = []
    timeout = settings.get_float("timeout")
    for url in settings.get("alert_webhook").split(","):
        if url.strip():
            sinks.append(WebhookSink(url.strip(), timeout=timeout))
    host = settings.get("smtp_host").strip()
    to = tuple(a.strip() for a in settings.get("alert_email_to").split(",") if a.strip())
    if host and to:
        sinks.append(
            EmailSink(
                host=host,
                port=settings.get_int("smtp_port"),
                sender=settings.get("alert_email_from"),
                recipients=to,
                user=settings.get("smtp_user"),
                password=settings.get("smtp_password"),
                starttls=settings.get("smtp_starttls").lower() in ("1", "true", "yes", "on"),
                timeout=timeout,
            )
        )
    return sinks
