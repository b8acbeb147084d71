"""The error pages (400, 403, 404, 429, 500, CSRF failure) depend on nothing that can fail.

No static files (under ManifestStaticFilesStorage a missing manifest entry raises, and a 500 page
that raises leaves the visitor a bare "Server Error" line), no context processors (the navigation
bar reads the database, which may be why we are here), no URL reversing: their style is inline,
in ``templates/errors/_page.html`` through the ``error_style`` tag, and allowed by its hash in
the response's Content-Security-Policy (``style-src 'self'`` refuses inline style otherwise).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ERROR_CSS = (
    "*{box-sizing:border-box}"
    'body{margin:0;background:#f8f9fa;color:#212529;font:16px/1.6 "Noto Sans CJK SC","Source Han Sans SC",'
    '"Microsoft YaHei","PingFang SC",system-ui,sans-serif}'
    ".xc-bar{background:#b4232a;color:#fff;font-weight:700;padding:.6rem 1rem}"
    "main{max-width:44rem;margin:3rem auto;padding:0 1rem}"
    ".xc-card{background:#fff;border:1px solid #e3e5e8;border-radius:.5rem;padding:2.5rem 1.5rem;text-align:center}"
    ".xc-code{font-size:2.5rem;font-weight:300;color:#6c757d;line-height:1.2}"
    "h1{font-size:1.4rem;font-weight:600;margin:.5rem 0 1rem}"
    "p{color:#6c757d;margin:0 0 1rem}"
    ".xc-small{font-size:.875rem}"
    ".xc-btn{display:inline-block;margin-top:.5rem;padding:.45rem 1.1rem;border-radius:.375rem;background:#b4232a;"
    "color:#fff;text-decoration:none}"
    ".xc-btn:hover{background:#8c1a20}"
    "footer{max-width:44rem;margin:0 auto 2rem;padding:0 1rem;color:#6c757d;font-size:.875rem;text-align:center}"
)
# The CSP source that lets exactly this style block through ('unsafe-inline' would let any in).
ERROR_CSS_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(ERROR_CSS.encode()).digest()).decode() + "'"

# Used only when the 500 template itself cannot be rendered (a broken template engine, say).
FALLBACK_500 = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    f"<title>系统错误 · 巡察工作平台</title><style>{ERROR_CSS}</style></head><body>"
    '<header class="xc-bar">巡察工作平台</header><main><div class="xc-card">'
    '<div class="xc-code">500</div><h1>系统暂时出现错误</h1>'
    "<p>您的操作没有完成，数据未作改动。请稍后重试；如问题持续，请联系系统管理员。</p>"
    '<p class="xc-small">A server error occurred. Nothing was changed. Please try again later.</p>'
    '<a class="xc-btn" href="/">返回首页</a></div></main>'
    "<footer>巡察工作平台 · 内部资料 注意保密</footer></body></html>"
)


# The public pages, mounted at these paths in both URL confs, and where their visitor goes back to
# (plain paths: reversing a URL name is one more thing that could fail here).
PUBLIC_BACK = {
    "/report/": ("/report/", _("返回举报受理页")),
    "/captcha/": ("/report/", _("返回举报受理页")),
    "/gongkai/": ("/gongkai/", _("巡察整改公开")),
    "/pingjia/": (None, None),
}


def page_context(request: HttpRequest | None) -> dict[str, Any]:
    """Who the page is for: a visitor of the public pages sees no internal wording or links."""
    path = getattr(request, "path", "") or ""
    for prefix, (back, label) in PUBLIC_BACK.items():
        if path.startswith(prefix):
            return {"public": True, "back": back, "back_label": label}
    if settings.XUNCHA_PUBLIC_ONLY:
        return {"public": True, "back": "/report/", "back_label": PUBLIC_BACK["/report/"][1]}
    return {"public": False, "back": "/", "back_label": _("返回我的工作")}


def error_style() -> SafeString:
    return mark_safe(f"<style>{ERROR_CSS}</style>")  # noqa: S308 - a constant of this module


def allow_error_style(response: HttpResponse) -> HttpResponse:
    """Let the page's inline style through its CSP (django-csp reads this attribute)."""
    response._csp_update = {"style-src": [ERROR_CSS_HASH]}  # type: ignore[attr-defined]
    return response


def error_response(request: HttpRequest | None, template: str, status: int) -> HttpResponse:
    """``template`` rendered without the request: no context processors, no database."""
    html = loader.render_to_string(template, page_context(request))
    return allow_error_style(HttpResponse(html, status=status))


def server_error_response(request: HttpRequest | None = None) -> HttpResponse:
    try:
        return error_response(request, "errors/500.html", 500)
    except Exception:  # the 500 page must answer whatever broke, the template engine included
        return allow_error_style(HttpResponse(FALLBACK_500, status=500))
