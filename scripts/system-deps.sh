#!/usr/bin/env bash
# The Debian packages the tests need: Chromium (browser tests) and Noto CJK fonts (Chinese in
# screenshots and PDFs). Installs them when running as root (as CI does); otherwise names them.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then missing+=(fonts-noto-cjk); fi
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装测试所需的系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
else
  echo "缺少测试所需的系统软件包：${missing[*]}"
  echo "请以 root 身份执行：apt-get update && apt-get install -y ${missing[*]}"
  exit 1
fi
