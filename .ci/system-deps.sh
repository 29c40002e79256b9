#!/usr/bin/env bash
# Debian packages the portal needs: WeasyPrint's Pango/HarfBuzz, fonts to embed in PDFs,
# Chromium for the browser tests, poppler-utils (pdftotext) for checking PDF text.
# Installs what is missing when run as root (or with sudo); otherwise says what to install.
set -u
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 poppler-utils chromium)
[ "${1:-}" = "--runtime-only" ] && PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Paquets système manquants : ${missing[*]}" >&2
  echo "Ce n'est pas une machine Debian/Ubuntu : installez l'équivalent de ces paquets (Pango, HarfBuzz, Chromium)." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Paquets système manquants : ${missing[*]}" >&2
    echo "Installez-les avec : sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installation des paquets système : ${missing[*]}"
$SUDO apt-get update -qq >/dev/null || true
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/tmp/cls-apt.log 2>&1; then
  echo "Échec de l'installation de : ${missing[*]} (journal : /tmp/cls-apt.log)" >&2
  tail -n 20 /tmp/cls-apt.log >&2
  exit 1
fi
