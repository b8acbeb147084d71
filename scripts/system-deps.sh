#!/usr/bin/env bash
# The Debian packages the tests need: Chromium (browser tests), Noto CJK fonts (Chinese in
# screenshots and PDFs), LibreOffice Writer without its GUI (Word → PDF, xuncha/documents/pdf.py)
# and the free fonts that stand in for the 公文 fonts in those PDFs (AR PL UKai for 楷体, AR PL
# UMing behind Noto Serif CJK for 仿宋/宋体, Liberation Serif for Times New Roman; see
# xuncha/documents/pdf_fonts.conf and docs/deploy.md §17). Installs them when running as root (as
# CI does); otherwise names them.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then missing+=(fonts-noto-cjk); fi
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# pdftoppm: the pages of the PDFs as pictures (manage.py document_pages, docs/documents/).
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# pg_dump and psql: the generator's tests copy the PostgreSQL test database with them.
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
if ! fc-list 2>/dev/null | grep -i "AR PL UKai" >/dev/null; then missing+=(fonts-arphic-ukai); fi
if ! fc-list 2>/dev/null | grep -i "AR PL UMing" >/dev/null; then missing+=(fonts-arphic-uming); fi
if ! fc-list 2>/dev/null | grep -i "Liberation Serif" >/dev/null; then missing+=(fonts-liberation2); fi

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
