#!/usr/bin/env bash
# Run the whole suite against this machine's PostgreSQL and Redis.
# Under CI (CI=true) a missing service or browser is a failure; elsewhere the tests that need
# it skip with a message. pytest's exit code 5 (no tests ran) is turned into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"

bash scripts/ensure_services.sh
bash scripts/ensure_chromium.sh || { [ "${CI:-}" = "true" ] && exit 1; }

.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests; treating that as a failure." >&2
    exit 1
fi
exit "$status"
