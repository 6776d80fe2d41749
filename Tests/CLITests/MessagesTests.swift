import Foundation
import XCTest

/// Issue 9, item 11: what people at a terminal read. Counts in words, ages in days,
/// errors that say what happened, the US spelling of enrol, event names without the
/// dot, and file names in the bash completion.
final class MessagesTests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  func testStatusOfAnEmptyVaultHasNoEmptyParentheses() throws {
    let r = try run(["status"])
    assertExit(r, 0)
    let users = try XCTUnwrap(r.lines.first { $0.hasPrefix("users:") }, r.description)
    XCTAssertEqual(users, "users:          0")
    XCTAssertTrue(r.stdout.contains("audit log:      0 events"), r.description)
    try enrol("alice")
    let one = try run(["status"])
    XCTAssertTrue(one.stdout.contains("users:          1 (1 active)\n"), one.description)
  }

  func testUsersShowCountsInWords() throws {
    try enrol("alice")
    assertExit(try run(["recovery-codes", "generate", "alice", "--count", "1"]), 0)
    let one = try run(["users", "show", "alice"])
    assertExit(one, 0)
    XCTAssertTrue(one.stdout.contains("recovery:  1 code left\n"), one.description)
    XCTAssertTrue(one.stdout.contains("drift 0 steps"), one.description)
    assertExit(try run(["recovery-codes", "generate", "alice", "--count", "3"]), 0)
    XCTAssertTrue(try run(["users", "show", "alice"]).stdout.contains("recovery:  3 codes left\n"))
  }

  func testLastBackupAgeInDays() throws {
    assertExit(try run(["backup", "create", "--dir", dir + "/backups"]), 0)
    let later = try run(["status"], at: now + 172_824)
    assertExit(later, 0)
    XCTAssertTrue(later.stdout.contains("(2 days ago)"), later.description)
    XCTAssertFalse(later.stdout.contains(" s ago"), later.description)
    XCTAssertTrue(try run(["status"], at: now + 3_700).stdout.contains("(1 hour ago)"))
    XCTAssertTrue(try run(["status"], at: now + 90).stdout.contains("(1 minute ago)"))
    XCTAssertTrue(try run(["status"], at: now + 5).stdout.contains("(5 seconds ago)"))
  }

  /// Found by the man page examples (ManExamplesTests): a restored vault's log is the
  /// backup's, which ends before the backup's own event, so `status --check` called
  /// the vault never backed up right after a restore.
  func testARestoredVaultCountsTheBackupItCameFrom() throws {
    try enrol("alice")
    let backup = dir + "/b.mfab"
    assertExit(try run(["backup", "create", backup]), 0)
    assertExit(try run(["backup", "restore", backup, "--force"], at: now + 60), 0)
    let r = try run(["status", "--check", "--max-backup-age", "2d"], at: now + 120)
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("(2 minutes ago)"), r.description)
  }

  func testNegativeWindowIsOutOfRangeNotAMissingValue() throws {
    let e = try enrol("alice")
    let before = vaultState()
    for args in [
      ["verify", "alice", "--window", "-1", try totp(e.secret, at: now)],
      ["verify", "--window", "-1", "alice", "123456"],
    ] {
      let r = try run(args)
      assertError(r, 64, contains: ["--window must be 0 to"])
      XCTAssertFalse(r.stderr.contains("missing value"), r.description)
    }
    XCTAssertEqual(vaultState(), before, "nothing was checked")
    assertExit(try run(["verify", "alice", "--window", "2", try totp(e.secret, at: now)]), 0)
  }

  func testUsedChallengeCodeSaysSoAndHowToGetANewOne() throws {
    try enrol("bob", activate: false)  // pending only: the challenge is the only factor
    let code = try sendChallenge("bob")
    assertExit(try run(["verify", "bob", code]), 0)
    let again = try run(["verify", "bob", code])
    assertError(again, 1, contains: ["no live challenge code", "mfactl challenge send bob", "--confirm"])
  }

  func testEnrollIsAnAliasOfEnrol() throws {
    let r = try run(["enroll", "alice", "--activate", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["user"] as? String, "alice")
    XCTAssertEqual(r.json?["state"] as? String, "active")
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.count, 1)
    // The alias is the check command too: help with --confirm is a usage error (64).
    assertExit(try run(["enroll", "alice", "--confirm", "--help"]), 64)
    assertExit(try run(["enrol", "alice", "--confirm", "--help"]), 64)
  }

  func testGoogleAuthenticatorScratchCodesAreTypedAsTheyWere() throws {
    let file = dir + "/ga"
    try write(file, "JBSWY3DPEHPK3PXP\n\" TOTP_AUTH\n12345678\n87654321\n")
    let r = try run(["users", "import", "google-authenticator", "--user", "carol", file])
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("2 scratch codes are now recovery codes: type them as before"), r.description)
    // No zero-padded form of a code ("0012345678") to type. Only that line is looked at:
    // the first names the authenticator's random id, which holds "00" now and then.
    let scratchLine = r.stdout.split(separator: "\n").first { $0.contains("scratch codes") } ?? ""
    XCTAssertFalse(scratchLine.contains("00"), "no '00' to type\n\(r)")
    assertExit(try run(["verify", "carol", "--allow-recovery", "12345678"]), 0, "typed as it was")
  }

  func testEventNameWithoutADotMatchesItsFamily() throws {
    let e = try enrol("alice")
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
    assertExit(try run(["verify", "alice", wrongCode(not: [try totp(e.secret, at: now)])], at: now + 60), 1)
    let verify = try run(["audit", "list", "--event", "verify", "--format", "json"])
    assertExit(verify, 0)
    let names = (verify.jsonLines ?? []).compactMap { $0["event"] as? String }
    XCTAssertEqual(names.count, 2, verify.description)
    XCTAssertTrue(names.allSatisfy { $0.hasPrefix("verify.") }, verify.description)
    // A whole word before the dot, not any prefix.
    XCTAssertTrue(try run(["audit", "list", "--event", "verif"]).stdout.contains("no events"))
    XCTAssertEqual(
      (try run(["audit", "list", "--event", "enrol.started", "--format", "json"]).jsonLines ?? []).count, 1,
      "an exact name still matches")
  }

  // MARK: - Bash completion offers file names

  /// What the committed bash completion offers for the last of `words`.
  func complete(_ words: [String]) throws -> [String] {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let binDir = URL(fileURLWithPath: try binary()).deletingLastPathComponent().path
    var e = environment([:])
    e["PATH"] = binDir + ":" + (e["PATH"] ?? "/usr/bin:/bin")
    let r = try Running(
      executable: try XCTUnwrap(Binary.tool("bash")),
      args: [
        "--norc", "--noprofile", "-c",
        """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
        _mfactl "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """,
        "_", repo + "/completions/mfactl.bash",
      ] + words, stdin: nil, env: e, cwd: dir
    ).wait()
    return r.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
  }

  func testCompletionOffersFileNames() throws {
    try enrol("alice")
    try write(dir + "/qr-old.png", "x")
    try FileManager.default.createDirectory(atPath: dir + "/backups", withIntermediateDirectories: true)
    try write(dir + "/backups/one.mfab", "x")
    XCTAssertEqual(try complete(["mfactl", "verify", "--vault", "dat"]), ["data"])
    XCTAssertEqual(try complete(["mfactl", "users", "list", "--key-file", "vault.k"]), ["vault.key"])
    XCTAssertEqual(try complete(["mfactl", "enrol", "bob", "--qr-png", "qr-"]), ["qr-old.png"])
    XCTAssertEqual(try complete(["mfactl", "backup", "create", "--dir", "back"]), ["backups"])
    XCTAssertEqual(try complete(["mfactl", "backup", "verify", "backups/"]), ["backups/one.mfab"])
    XCTAssertEqual(try complete(["mfactl", "backup", "list", "back"]), ["backups"])
    // The global options stay known to the completion (hidden only in --help): the word
    // after --key-file is its value, and the user name is still the first argument.
    XCTAssertEqual(try complete(["mfactl", "verify", "--key-file", "vault.key", "al"]), ["alice"])
  }
}
