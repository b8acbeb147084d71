"""Transport: one message, one channel, one attempt. No database here.

Webhooks are posted with ``urllib.request`` (no extra dependency) and never follow redirects (a
redirected POST would silently turn into a GET). DingTalk and WeCom robots answer HTTP 200 with
``{"errcode": 0}`` on success; any other errcode is a failure. E-mail goes through Django's mail
backend (SMTP settings from the environment). Every failure is a ``ChannelError`` with a short
text for the delivery log; ``endpoint_down`` says whether the endpoint could not be reached at
all, so the caller may skip that endpoint's other messages for the rest of the run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote_plus

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuncha.notify.models import WebhookKind

MAX_ANSWER_BYTES = 64 * 1024


class ChannelError(Exception):
    def __init__(self, message: str, *, endpoint_down: bool = False) -> None:
        super().__init__(message[:500])
        self.endpoint_down = endpoint_down


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute
    key: str
    sent_at: datetime


def timeout() -> int:
    return settings.XUNCHA_NOTIFY_TIMEOUT


# --- webhooks -------------------------------------------------------------------------------


def _markdown(msg: Message, *, title_line: str) -> str:
    lines = [title_line, "", msg.body]
    if msg.url:
        lines += ["", f"[{_('打开巡察工作平台查看')}]({msg.url})"]
    return "\n".join(lines).strip()


def payload(kind: str, msg: Message) -> dict:
    """The JSON body for a webhook of ``kind``."""
    if kind == WebhookKind.DINGTALK:
        text = _markdown(msg, title_line=f"### {msg.title}")
        return {"msgtype": "markdown", "markdown": {"title": msg.title, "text": text}}
    if kind == WebhookKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": _markdown(msg, title_line=f"**{msg.title}**")}}
    return {"title": msg.title, "body": msg.body, "url": msg.url, "key": msg.key, "sent_at": msg.sent_at.isoformat()}


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk "加签": HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None  # urllib then raises HTTPError for the 3xx answer


_opener = urllib.request.build_opener(_NoRedirect)


def post_webhook(*, kind: str, url: str, secret: str, msg: Message) -> None:
    """POST ``msg`` to the endpoint; raise ``ChannelError`` unless it was accepted."""
    if kind == WebhookKind.DINGTALK and secret:
        url = dingtalk_signed_url(url, secret, int(msg.sent_at.timestamp() * 1000))
    data = json.dumps(payload(kind, msg), ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310  (scheme checked: validate_http_url)
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    if request.type not in ("http", "https"):
        raise ChannelError(_("推送地址只能使用 http 或 https。"))
    answer = _send(request)
    if kind in (WebhookKind.DINGTALK, WebhookKind.WECOM):
        _check_errcode(answer)


def _send(request: urllib.request.Request) -> bytes:
    try:
        with _opener.open(request, timeout=timeout()) as response:
            return response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        body = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
        raise ChannelError(f"HTTP {exc.code} {exc.reason}: {body}".strip().rstrip(":")) from None
    except urllib.error.URLError as exc:
        raise ChannelError(_("无法连接：%(reason)s") % {"reason": _reason(exc.reason)}, endpoint_down=True) from None
    except OSError as exc:  # includes a timeout while reading the answer
        raise ChannelError(_("无法连接：%(reason)s") % {"reason": _reason(exc)}, endpoint_down=True) from None
    except (ValueError, http.client.HTTPException) as exc:  # a malformed address or answer
        raise ChannelError(f"{type(exc).__name__}: {exc}") from None


# The robot errors officials meet most, explained (the code and the robot's own text follow).
ROBOT_ERRORS = {
    310000: _lazy("钉钉安全设置校验未通过：检查自定义关键词、加签密钥或IP地址段"),
    300001: _lazy("机器人地址无效或机器人已被移出群聊"),
    93000: _lazy("机器人地址无效或机器人已被移出群聊"),
    130101: _lazy("发送过快，超过了机器人每分钟20条的限制，稍后自动重试"),
    45009: _lazy("发送过快，超过了机器人的频率限制，稍后自动重试"),
}


def _reason(reason: object) -> str:
    """A connection failure in words an office understands (the technical text follows)."""
    if isinstance(reason, ConnectionRefusedError):
        return _("对方拒绝连接，请检查地址和端口，或对方服务是否在运行（%(detail)s）") % {"detail": reason}
    if isinstance(reason, socket.gaierror):
        return _("找不到该主机名，请检查地址或服务器的域名解析（%(detail)s）") % {"detail": reason}
    if isinstance(reason, TimeoutError):
        return _("超时：%(n)s 秒内没有应答") % {"n": timeout()}
    if isinstance(reason, ssl.SSLError):
        return _("HTTPS 证书或加密连接有误（%(detail)s）") % {"detail": reason}
    return str(reason)


def _check_errcode(answer: bytes) -> None:
    try:
        data = json.loads(answer.decode("utf-8"))
        code = data.get("errcode")
    except (ValueError, AttributeError):
        raise ChannelError(_("应答不是机器人接口的JSON：%(text)s") % {"text": answer[:200].decode("utf-8", "replace")})
    if code != 0:
        hint = ROBOT_ERRORS.get(code)
        text = f"errcode {code}: {data.get('errmsg', '')}"
        raise ChannelError(f"{hint}（{text}）" if hint else text)


# --- e-mail ---------------------------------------------------------------------------------


def send_email(*, address: str, msg: Message) -> None:
    """Send ``msg`` to ``address`` through the configured mail backend."""
    subject = " ".join(msg.title.split())  # a header: no line breaks
    parts = [msg.body]
    if msg.url:
        parts.append(_("查看详情：%(url)s") % {"url": msg.url})
    parts.append("-- \n" + _("本邮件由巡察工作平台自动发送，请勿直接回复。"))
    try:
        connection = get_connection(timeout=timeout())
        EmailMessage(
            subject=subject, body="\n\n".join(p for p in parts if p), to=[address], connection=connection
        ).send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise ChannelError(_("邮件服务器拒收此地址：%(detail)s") % {"detail": _smtp_detail(exc)}) from None
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, TimeoutError, ConnectionError) as exc:
        raise ChannelError(_("无法连接邮件服务器：%(detail)s") % {"detail": exc}, endpoint_down=True) from None
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        raise ChannelError(_("邮件发送失败：%(detail)s") % {"detail": _smtp_detail(exc)}) from None


def _smtp_detail(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr} {code} {text!r}" for addr, (code, text) in exc.recipients.items())
    return f"{type(exc).__name__}: {exc}"
