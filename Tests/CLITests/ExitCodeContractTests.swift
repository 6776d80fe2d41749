// The exit-code contract as scripts meet it (issue 9, items 1, 2, 5, 6, 7): a typo is a
// wrong code (1, counted, audited) on every check path; flags beat the environment when
// unlocking and the 77 names the source tried; a user not in the vault is 67, apart from
// 66; `users import uris` adds to existing users; `backup create --dir` twice in one
// second gives two backups.
import Foundation
import XCTest

final class ExitCodeContractTests: CLITestCase {
  /// The newest audit event (JSON).
  func lastEvent(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let r = try run(["audit", "list", "--limit", "1", "--format", "json"])
    assertExit(r, 0, file: file, line: line)
    return r.jsonLines?.first ?? [:]
  }

  /// A rejection of a malformed code: exit 1, one more failure, audited as a failure with
  /// `reason=malformed`, and the code in neither the message nor the log.
  func assertMalformedRejected(
    _ r: RunResult, user: String, failures expected: Int, event: String, code: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    assertExit(r, 1, "a malformed code is a wrong code", file: file, line: line)
    XCTAssertTrue(r.stderr.contains("malformed"), "the message says malformed\n\(r)", file: file, line: line)
    if code.count >= 3 {
      XCTAssertFalse(r.stderr.contains(code), "the code is never echoed\n\(r)", file: file, line: line)
    }
    XCTAssertEqual(try failures(user), expected, "counted as a failure", file: file, line: line)
    let e = try lastEvent(file: file, line: line)
    XCTAssertEqual(e["event"] as? String, event, "\(e)", file: file, line: line)
    XCTAssertEqual(e["outcome"] as? String, "failure", "\(e)", file: file, line: line)
    let detail = e["detail"] as? [String: Any] ?? [:]
    XCTAssertEqual(detail["reason"] as? String, "malformed", "\(e)", file: file, line: line)
    if code.count >= 3 {
      let all = try run(["audit", "export"])
      XCTAssertFalse(all.stdout.contains(code), "the code is never in the audit log", file: file, line: line)
    }
  }

  // MARK: Item 1: a malformed code is a wrong code

  func testMalformedCodeIsAWrongCodeOnEveryCheckPath() throws {
    try initKeyFileVault()
    try enrol("alice")
    _ = try generateRecoveryCodes("alice", count: 2)

    // verify: stdin (5 digits, letters, 7 digits, an empty line) and an argument.
    var n = 0
    for (input, viaStdin) in [("12345", true), ("abcdef", true), ("1234567", false), ("", true)] {
      let r = viaStdin ? try run(["verify", "alice"], stdin: input + "\n") : try run(["verify", "alice", input])
      n += 1
      try assertMalformedRejected(r, user: "alice", failures: n, event: "verify.failure", code: input)
      if n == 4 {
        assertExit(try run(["users", "unlock", "alice"]), 0)
        n = 0
      }
    }
    // verify --allow-recovery: neither a 6/8 digit code nor a recovery code's shape.
    try assertMalformedRejected(
      try run(["verify", "alice", "--allow-recovery"], stdin: "ABCDE-FGH!J\n"), user: "alice", failures: 1,
      event: "verify.failure", code: "ABCDE-FGH!J")
    // recovery-codes use.
    try assertMalformedRejected(
      try run(["recovery-codes", "use", "alice"], stdin: "ABCDE\n"), user: "alice", failures: 2,
      event: "recovery.failure", code: "ABCDE")
    XCTAssertEqual(try recoveryRemaining("alice"), 2, "no recovery code was used up")
    // users resync.
    try assertMalformedRejected(
      try run(["users", "resync", "alice", "12ab56", "123456"]), user: "alice", failures: 3,
      event: "authenticator.resync_failed", code: "12ab56")
    // enrol --confirm of a pending authenticator.
    try enrol("bob", activate: false)
    try assertMalformedRejected(
      try run(["enrol", "bob", "--confirm", "-"], stdin: "98765\n"), user: "bob", failures: 1,
      event: "enrol.rejected", code: "98765")
    let auths = try show("bob")["authenticators"] as? [[String: Any]] ?? []
    XCTAssertEqual(auths.first?["state"] as? String, "pending", "a typo activates nothing")
    // A challenge code is checked by verify: a malformed one is a wrong code too.
    let sent = try run(["challenge", "send", "alice"])
    assertExit(sent, 0)
    try assertMalformedRejected(
      try run(["verify", "alice", "12 34"]), user: "alice", failures: 4, event: "verify.failure", code: "12 34")
  }

  func testMalformedCodesCountTowardsTheLockout() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    for bad in ["1", "22", "333", "4444", "55555"] { assertExit(try run(["verify", "alice", bad]), 1) }
    let r = try run(["verify", "alice", try totp(e.secret, at: now)])
    assertExit(r, 2, "five typos lock the user out like five wrong codes")
    // While locked, a malformed code is a locked try (2) and counts again.
    assertExit(try run(["verify", "alice", "x"]), 2)
    XCTAssertEqual(try failures("alice"), 7)
  }

  func testMalformedTokensAreRejectedAndUnreadableInputIsNot() throws {
    try initKeyFileVault()
    try enrol("alice")
    for t in ["garbage", "mfas_", ""] {
      assertExit(try run(["sessions", "check"], stdin: t + "\n"), 1, "malformed session token '\(t)'")
      assertExit(try run(["devices", "check", "alice"], stdin: t + "\n"), 1, "malformed device token '\(t)'")
    }
    // Over-long input is bad data (65), read no further, and not an attempt.
    let long = try run(["verify", "alice"], stdin: String(repeating: "1", count: 5000) + "\n")
    assertError(long, 65)
    XCTAssertEqual(try failures("alice"), 0)
  }

  // MARK: Item 2: flags beat the environment

  func testPassphraseFileFlagBeatsKeyFileVariable() throws {
    try initPassphraseVault("correct horse")
    try write(dir + "/pass", "correct horse\n")
    try writeBytes(dir + "/other.key", Data(repeating: 7, count: 32))
    // $MFACTL_KEY_FILE names a key that opens nothing; the flag wins.
    let r = try run(
      ["users", "list", "--passphrase-file", dir + "/pass"], env: ["MFACTL_KEY_FILE": dir + "/other.key"])
    assertExit(r, 0, "an explicit --passphrase-file beats $MFACTL_KEY_FILE")
    // And --key-file beats $MFACTL_PASSPHRASE_FILE / $MFACTL_PASSPHRASE: the wrong key
    // file is what was tried, and the error says so.
    let k = try run(
      ["users", "list", "--key-file", dir + "/other.key"],
      env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE_FILE": dir + "/pass", "MFACTL_PASSPHRASE": "correct horse"])
    assertError(k, 77, contains: ["the key file from --key-file (\(dir)/other.key) opens no key slot"])
    XCTAssertFalse(k.stderr.contains("hint: check --key-file"), "the hint does not ask for what was given\n\(k)")
  }

  func testUnlockFailureNamesTheSourceTried() throws {
    try initPassphraseVault("correct horse")
    try writeBytes(dir + "/other.key", Data(repeating: 7, count: 32))
    let env = try run(["users", "list"], env: ["MFACTL_KEY_FILE": dir + "/other.key"])
    assertError(env, 77, contains: ["the key file from $MFACTL_KEY_FILE (\(dir)/other.key) opens no key slot"])
    let hint = env.stderrLines.last ?? ""
    XCTAssertTrue(hint.hasPrefix("hint: "), env.description)
    XCTAssertTrue(hint.contains("beats the environment"), "the hint says a flag would win\n\(env)")
    XCTAssertFalse(hint.contains("$MFACTL_KEY_FILE"), "the hint does not ask for what was given\n\(env)")

    let pass = try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "wrong"])
    assertError(pass, 77, contains: ["the passphrase from $MFACTL_PASSPHRASE opens no key slot"])
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "correct horse"]), 0)

    // No key at all, off a terminal: 77 naming every option (this vault takes a passphrase).
    assertError(
      try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil]), 77,
      contains: ["--key-file", "--passphrase-file", "$MFACTL_PASSPHRASE"])
    // A named file that does not exist is 66, naming where the name came from.
    let missing = try run(["users", "list"], env: ["MFACTL_KEY_FILE": dir + "/none.key"])
    assertError(missing, 66, contains: ["$MFACTL_KEY_FILE"])
  }

  /// Runs mfactl under script(1), so its stdin is a terminal; stdin of script is empty.
  func runOnTerminal(_ args: [String], env: [String: String?], timeout: Double = 30) throws -> RunResult {
    guard let script = Binary.tool("script") else {
      XCTFail("script(1) is not installed (util-linux)")
      throw Binary.Failure(description: "script")
    }
    let command = ([try binary()] + args).map { "'\($0)'" }.joined(separator: " ")
    return try Running(
      executable: script, args: ["-qec", command, "/dev/null"], stdin: Data(), env: environment(env), cwd: dir
    ).wait(timeout: timeout)
  }

  func testAVaultWithOnlyKeyFileSlotsNeverPrompts() throws {
    try initKeyFileVault()
    let r = try runOnTerminal(["users", "list"], env: ["MFACTL_KEY_FILE": nil])
    XCTAssertEqual(r.code, 77, r.description)
    XCTAssertFalse(r.stdout.contains("Passphrase for"), "no passphrase prompt for a key-file vault\n\(r)")
    XCTAssertTrue(r.stdout.contains("only key-file slots"), r.description)
    XCTAssertTrue(r.stdout.contains("--key-file"), r.description)

    // A vault with a passphrase slot does prompt on a terminal.
    let other = dir + "/p.mfa"
    assertExit(try run(["init", "--vault", other], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "pw"]), 0)
    // It then waits for the passphrase; the prompt is all this needs, so stop it early.
    let p = try runOnTerminal(["users", "list", "--vault", other], env: ["MFACTL_KEY_FILE": nil], timeout: 3)
    XCTAssertTrue(p.stdout.contains("Passphrase for"), "a passphrase vault prompts on a terminal\n\(p)")
  }

  // MARK: Item 5: a user not in the vault is 67

  func testUserNotInTheVaultIs67AndMissingThingsStay66() throws {
    try initKeyFileVault()
    try enrol("alice")
    for cmd in [
      ["verify", "nosuch", "123456"], ["users", "show", "nosuch"], ["recovery-codes", "use", "nosuch", "ABCDE-FGHJK"],
      ["devices", "check", "nosuch", "mfad_x"], ["sessions", "create", "nosuch"],
      ["audit", "list", "--user", "nosuch"],
      ["enrol", "nosuch", "--confirm", "123456"], ["users", "resync", "nosuch", "123456", "654321"],
    ] {
      let r = try run(cmd)
      assertError(r, 67, contains: ["nosuch"])
      XCTAssertFalse(r.stderr.contains("mfactl enrol"), "no advice to enrol someone who was looked up\n\(r)")
    }
    XCTAssertTrue(try run(["users", "show", "nosuch"]).stderr.contains("hint: mfactl users list"))
    // 66 stays for what is missing around the user.
    assertError(try run(["verify", "alice", "123456"], env: ["MFACTL_VAULT": dir + "/none.mfa"]), 66)
    assertError(try run(["verify", "alice", "123456"], env: ["MFACTL_KEY_FILE": dir + "/none.key"]), 66)
    assertError(try run(["sessions", "revoke", "deadbeef"]), 66)
    // The top-level help lists both, and 69.
    let h = try run(["--help"])
    for s in ["66 not found", "67 no such user", "69 unavailable"] {
      XCTAssertTrue(h.stdout.contains(s), "--help says '\(s)'\n\(h)")
    }
  }

  // MARK: Item 6: users import uris adds to existing users

  func testImportURIsAddsAuthenticatorsToExistingUsers() throws {
    try initKeyFileVault()
    let a = try enrol("alice")
    let secretB = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
    let secretC = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    let file = dir + "/uris.txt"
    try write(
      file,
      "alice\totpauth://totp/x:alice?secret=\(secretB)\ncarol\totpauth://totp/x:carol?secret=\(secretB)\n"
        + "carol\totpauth://totp/x:carol?secret=\(secretC)\n")
    let r = try run(["users", "import", "uris", file, "--format", "json"])
    assertExit(r, 0, "an existing user gets the authenticator added, like enrol")
    XCTAssertEqual(r.json?["imported"] as? Int, 3, r.description)
    XCTAssertEqual((try show("alice")["authenticators"] as? [Any])?.count, 2)
    XCTAssertEqual((try show("carol")["authenticators"] as? [Any])?.count, 2)
    // Every secret verifies: the old one and the imported ones.
    assertExit(try run(["verify", "alice", try totp(a.secret, at: now)]), 0)
    assertExit(try run(["verify", "alice", try totp(secretB, at: now + 30)]), 0)
    assertExit(try run(["verify", "carol", try totp(secretC, at: now)]), 0)

    // Errors name the line; all or nothing.
    let before = vaultState()
    try write(file, "dave\totpauth://totp/x:dave?secret=\(secretC)\nalice\totpauth://totp/x:alice?secret=\(secretB)\n")
    assertError(
      try run(["users", "import", "uris", file]), 73, contains: ["line 2", "alice already holds this secret"])
    try write(
      file, "dave\totpauth://totp/x:dave?secret=\(secretC)\n\n# c\ndave\totpauth://totp/x:dave?secret=\(secretC)\n")
    assertError(try run(["users", "import", "uris", file]), 65, contains: ["line 4", "line 1"])
    try write(file, "dave\totpauth://totp/x:dave?secret=\(secretC)\nerin\totpauth://totp/x:erin?secret=NOT-BASE32!\n")
    assertError(try run(["users", "import", "uris", file]), 65, contains: ["line 2"])
    XCTAssertEqual(vaultState(), before, "a failed import changes nothing")
    assertError(try run(["users", "show", "dave"]), 67)
  }

  // MARK: Item 7: backups twice in one second

  func testBackupDirTwiceInOneSecondGivesUniqueNamesInTimeOrder() throws {
    try initKeyFileVault()
    try enrol("alice")
    let backups = dir + "/backups"
    var made: [String] = []
    for _ in 1...3 {
      let r = try run(["backup", "create", "--dir", backups, "--keep", "2", "--format", "json"])
      assertExit(r, 0, "a second backup within the same second is not 'already exists'")
      made.append(r.json?["path"] as? String ?? "")
    }
    let names = made.map { ($0 as NSString).lastPathComponent }
    XCTAssertEqual(
      names,
      [
        "mfactl-backup-20231114T221345Z.mfab", "mfactl-backup-20231114T221345Z_002.mfab",
        "mfactl-backup-20231114T221345Z_003.mfab",
      ])
    XCTAssertEqual(names, names.sorted(), "names sort by time as text too")
    // --keep 2 removed the oldest, and list shows the rest newest first.
    let listed = try run(["backup", "list", backups, "--format", "json"])
    assertExit(listed, 0)
    XCTAssertEqual(
      listed.jsonLines?.compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } },
      [names[2], names[1]], listed.description)
    // A later second sorts after every name of this one.
    let later = try run(["backup", "create", "--dir", backups, "--format", "json"], at: now + 1)
    assertExit(later, 0)
    let laterName = ((later.json?["path"] as? String ?? "") as NSString).lastPathComponent
    XCTAssertGreaterThan(laterName, names[2])
    // An explicit FILE is still never overwritten.
    assertError(try run(["backup", "create", made[2]]), 73)
  }
}
