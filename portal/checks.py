"""System checks for what PDFs need from the machine (WeasyPrint, Chinese text)."""

import ctypes.util
import shutil
import subprocess
from functools import lru_cache

from django.core.checks import Warning, register

APT_LINE = "apt-get install -y libpango-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"


@lru_cache(maxsize=1)
def pdf_support_problems():
    """Missing system pieces for Chinese PDFs, as human-readable strings (empty when all is there)."""
    problems = []
    if not ctypes.util.find_library("pango-1.0"):
        problems.append("libpango-1.0-0（WeasyPrint 排版库）")
    if not ctypes.util.find_library("harfbuzz-subset"):
        problems.append("libharfbuzz-subset0（字体子集化；缺少时每份中文PDF约需12秒）")
    if not _has_cjk_font():
        problems.append("fonts-noto-cjk（中文字体）")
    return problems


def _has_cjk_font():
    if not shutil.which("fc-list"):
        return False
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


@register()
def check_pdf_support(app_configs, **kwargs):
    problems = pdf_support_problems()
    if not problems:
        return []
    return [Warning(
        "生成中文PDF所需的系统组件缺失：" + "；".join(problems),
        hint=f"以 root 身份运行：{APT_LINE}",
        id="portal.W001",
    )]


@register()
def check_public_base_url(app_configs, **kwargs):
    """In production the certificates' QR links must point at the portal's public HTTPS address (issue 15 §1)."""
    from django.conf import settings

    if not getattr(settings, "PRODUCTION", False):
        return []
    url = getattr(settings, "PUBLIC_BASE_URL", "")
    if not url:
        return [Warning("PUBLIC_BASE_URL 未设置：证书二维码和“电子证书核验”地址将指向 http://127.0.0.1:8000。",
                        hint="在环境中设置 PUBLIC_BASE_URL=https://门户的公网域名", id="portal.W002")]
    if not url.startswith("https://"):
        return [Warning(f"PUBLIC_BASE_URL 不是 HTTPS 地址：{url}",
                        hint="证书二维码指向的核验地址须使用 https://", id="portal.W003")]
    return []
