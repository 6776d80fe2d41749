#!/usr/bin/env bash
# The Swift tests as `make test` runs them, inside the throwaway PostgreSQL server of
# scripts/pg-server.sh (its PG* variables are in the environment):
#   1. every suite, vaults in files (PostgresE2ETests use the server; without one they
#      fail, MFACTL_TEST_REQUIRE_PG=1, instead of skipping);
#   2. the end-to-end suites below again, every vault in a database of its own
#      (MFACTL_TEST_BACKEND=postgresql; tests of what only a file has skip themselves).
# Arguments go to both `swift test` runs.
set -euo pipefail
SWIFT=${SWIFT:-swift}
export MFACTL_TEST_REQUIRE_PG=1

# The suites whose subject is the same on either backend.
pg_suites=(
  VerifyTests LockoutTests SessionsE2ETests DevicesE2ETests RecoveryCodesE2ETests ChallengeE2ETests
  UsersTests EnrolTests CascadeE2ETests PolicyE2ETests DataSubjectE2ETests CodeTests ChecksAreReadsTests
  AuditCoverageE2ETests OutputContractTests VaultCommandTests InitTests
)
filter="CLITests\\.($(IFS='|'; echo "${pg_suites[*]}"))/"

"$SWIFT" test --disable-swift-testing "$@"
echo "== the same suites with every vault in PostgreSQL: ${pg_suites[*]}"
MFACTL_TEST_BACKEND=postgresql "$SWIFT" test --disable-swift-testing --skip-build --filter "$filter" "$@"
