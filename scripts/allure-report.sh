#!/usr/bin/env bash
# The BDD run's Allure report: reports/allure/index.html, one self-contained HTML file
# (open it from the disk, no server), made from reports/allure-results by Allure Report 3's
# command-line tool (npm `allure`, pinned in package-lock.json, installed by
# scripts/setup-node.sh; configuration in allurerc.mjs). Arguments: the results and the
# report directory (default: reports/allure-results, reports/allure).
#
# Never fatal: a report that cannot be made is said on stderr and the script exits 0, so
# it never hides or replaces the tests' own outcome; the results stay in
# reports/allure-results beside the JUnit and cucumber reports.
set -uo pipefail
cd "$(dirname "$0")/.."
results=${1:-reports/allure-results}
out=${2:-reports/allure}
log="${out%/}-generate.log"
allure=${ALLURE_BIN:-node_modules/.bin/allure}

if ! compgen -G "$results/*-result.json" > /dev/null; then
  echo "allure-report: no results in $results; no report written" >&2
  exit 0
fi
if [ ! -x "$allure" ]; then
  echo "allure-report: $allure is missing (run scripts/setup-node.sh); results kept in $results" >&2
  exit 0
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
# The report page must load nothing from the internet (no analytics script).
if ALLURE_NO_ANALYTICS=true "$allure" generate "$results" --config allurerc.mjs \
      --output "$out" > "$log" 2>&1 && [ -s "$out/index.html" ]; then
  echo "allure-report: $out/index.html"
else
  echo "allure-report: the report could not be generated (see $log);" \
       "the results are in $results" >&2
fi
exit 0
