#!/usr/bin/env bash
# Runs every test of HlsCdn: the browser player's unit tests and bundle check (npm), then every .NET test
# project of the solution (unit, in-process, multi-node, browser, topology). Ends with each failed test's name and
# message, then "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

if [ -f client-js/package.json ]; then
  echo "== client-js: npm ci, unit tests, committed bundle up to date"
  (cd client-js && npm ci --no-audit --no-fund --loglevel=error && npm test && npm run check-dist)
fi

echo "== .NET: build and test HlsCdn.Aspire.sln"
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
status=0
# Build in parallel, then run the test assemblies one after another (-m:1): on 2 cores, the browser, topology and load
# tests running side by side starved each other (stalls, late failovers, shutdown races), and saved little time.
dotnet build HlsCdn.Aspire.sln -c Release
dotnet test HlsCdn.Aspire.sln -c Release --no-build -m:1 --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # xunit v3's TRX marks skipped tests NotExecuted but leaves the notExecuted counter at 0: total - executed counts them.
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
  # Name each failed test and the start of its message, right before the counts, so the tail of a long log says
  # what broke (a failed test without a message is named alone; it never takes the next result's message).
  awk '
    /<UnitTestResult / { if (want) print "FAILED " name; want = 0 }
    /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next }
    want && /<Message>/ { sub(/.*<Message>/, ""); print "FAILED " name ": " substr($0, 1, 300); want = 0 }
    END { if (want) print "FAILED " name }
  ' "$trx"
done
echo "dotnet: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
