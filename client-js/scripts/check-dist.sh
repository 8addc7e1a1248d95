#!/bin/sh
# Rebuilds dist/ and fails when it differs from the committed files (dist must be rebuilt and committed).
set -e
cd "$(dirname "$0")/.."
npm run build
if ! git diff --quiet -- dist || [ -n "$(git ls-files --others --exclude-standard -- dist)" ]; then
  echo "check-dist: dist/ is stale; run 'npm run build' in client-js and commit dist/" >&2
  git status --short -- dist >&2
  exit 1
fi
echo "check-dist: dist/ is up to date"
