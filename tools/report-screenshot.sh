#!/usr/bin/env bash
# Renders the Excel report of examples/tour.ps1 with LibreOffice and writes the first page (the Summary
# sheet with its charts) to docs/report-summary.png. Needs soffice (libreoffice-calc) and pdftoppm
# (poppler-utils): apt-get install libreoffice-calc-nogui poppler-utils
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet run --project "$root/tools/MgLru.Host" -- "$root/examples/tour.ps1" -OutDir "$work" > "$work/tour.txt"
soffice --headless --convert-to pdf --outdir "$work" "$work/mglru-tour.xlsx" > /dev/null 2>&1
# 110 dpi, landscape A4: 1286 x 910 pixels; the summary table and its two charts fill the top 440.
pdftoppm -f 1 -l 1 -png -r 110 -x 0 -y 0 -W 1286 -H 440 -singlefile "$work/mglru-tour.pdf" "$root/docs/report-summary"
echo "wrote $root/docs/report-summary.png"
