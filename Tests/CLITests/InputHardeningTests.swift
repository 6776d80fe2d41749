// Issue 8 items 4, 5, 6, 13 (URIs and files) and 14, end to end: numbers out of range
// are 65 (data) or 64 (flags) and never a crash; stdin is read within limits; a FIFO,
// device or directory where a file is expected is refused at once (65); display text
// from URIs and files refuses control characters and bidi overrides; resync counts for
// the lockout. A failed command leaves the vault as it was.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class InputHardeningTests: CLITestCase {
  let secret = "JBSWY3DPEHPK3PXP"  // 10 bytes

  /// Runs a shell pipeline with `$MFACTL` set to the binary (for inputs larger than a
  /// pipe buffer, FIFOs and /dev/zero).
  func shell(_ script: String, timeout: Double = 60) throws -> RunResult {
    var env = environment([:])
    env["MFACTL"] = try binary()
    return try Running(executable: "/bin/sh", args: ["-c", script], stdin: nil, env: env, cwd: dir).wait(
      timeout: timeout)
  }

  func vaultFiles() -> [String: Data?] {
    [vault: vaultState(), vault + ".audit": bytes(vault + ".audit")]
  }

  func assertUnchanged(_ before: [String: Data?], file: StaticString = #filePath, line: UInt = #line) {
    for (p, b) in before { XCTAssertEqual(bytes(p), b, "\(p) changed", file: file, line: line) }
  }

  // MARK: Item 4: HOTP counters and other numbers

  func testHOTPCounterOfTwoToThe63OrMoreIsBadData() throws {
    try initKeyFileVault()
    let before = vaultFiles()
    for counter in ["9223372036854775808", "18446744073709551615", "18446744073709551616"] {
      let uri = "otpauth://hotp/x?secret=\(secret)&counter=\(counter)"
      assertError(try run(["code", "--uri", uri]), 65, contains: ["counter"])
      assertError(try run(["code", "--uri", "-"], stdin: uri + "\n"), 65, contains: ["counter"])
      assertError(try run(["enrol", "bob", "--uri", uri, "--activate"]), 65, contains: ["counter"])
      try write(dir + "/uris", "bob\t\(uri)\n")
      assertError(try run(["users", "import", "uris", dir + "/uris"]), 65, contains: ["line 1", "counter"])
      try write(dir + "/ga", "\(secret)\n\" HOTP_COUNTER \(counter)\n")
      assertError(try run(["users", "import", "google-authenticator", "--user", "bob", dir + "/ga"]), 65)
    }
    assertUnchanged(before)
    assertError(try run(["code", "--secret", secret, "--counter", "9223372036854775808"]), 64, contains: ["--counter"])
    assertError(
      try run(["code", "--secret", secret, "--counter", "18446744073709551615"]), 64, contains: ["--counter"])
  }

  /// The largest counter works end to end: show, export, code, verify and resync near
  /// 2^63 neither trap nor move the counter past the bound.
  func testCounterAtTheTopWorksWithoutCrashing() throws {
    try initKeyFileVault()
    let top: UInt64 = 9_223_372_036_854_775_807
    let start = top - 20
    let uri = "otpauth://hotp/bob?secret=\(secret)&counter=\(start)"
    assertExit(try run(["enrol", "bob", "--uri", uri, "--activate"]), 0)
    XCTAssertEqual(
      try run(["code", "--uri", uri]).stdout.trimmingCharacters(in: .whitespacesAndNewlines),
      try hotp(secret, counter: start))
    let shown = try show("bob")
    XCTAssertEqual((shown["authenticators"] as? [[String: Any]])?.first?["counter"] as? Int64, Int64(start))
    assertExit(try run(["users", "export", "bob"]), 0)
    assertExit(try run(["users", "export-uri", "bob", "--yes"]), 0)
    assertExit(try run(["code", "bob"]), 0)
    // Resync to the very top: k = top - 3, k + 1 = top - 2, next unused counter top - 1.
    let r = try run(["users", "resync", "bob", try hotp(secret, counter: top - 3), try hotp(secret, counter: top - 2)])
    assertExit(r, 0)
    assertExit(try run(["verify", "bob", try hotp(secret, counter: top - 1)]), 0)
    let last = try show("bob")
    XCTAssertEqual((last["authenticators"] as? [[String: Any]])?.first?["counter"] as? Int64, Int64(top))
    // Exhausted: the code at 2^63 - 1 is never accepted (its successor does not exist).
    assertExit(try run(["verify", "bob", try hotp(secret, counter: top)]), 1)
    assertExit(try run(["users", "diagnose", "bob", try hotp(secret, counter: top)]), 0)
  }

  func testTimesAndCountsOutOfRangeAreUsageErrors() throws {
    try initKeyFileVault()
    for args in [
      ["audit", "list", "--since", "9223372036854775807"], ["audit", "list", "--until", "253402300800"],
      ["audit", "list", "--since", "10000-01-01T00:00:00Z"], ["audit", "prune", "--before", "99999999999999999999"],
      ["sessions", "create", "alice", "--ttl", "9223372036854775807s"],
      ["recovery-codes", "generate", "alice", "--count", "99999999999999999999"],
      ["verify", "alice", "123456", "--window", "9223372036854775807"],
    ] {
      assertExit(try run(args), 64, args.joined(separator: " "))
    }
  }

  // MARK: Item 5: stdin within limits

  func testImportFromStdinIsCappedAt16MiB() throws {
    try initKeyFileVault()
    let before = vaultFiles()
    // 17 MiB of 4 KiB comment lines: every line is fine, the total is not.
    let big = dir + "/big"
    let line = "#" + String(repeating: "x", count: 4094)
    func makeFile(_ bytes: Int) throws {
      XCTAssertEqual(try shell("yes '\(line)' 2>/dev/null | head -c \(bytes) > '\(big)'").code, 0)
    }
    try makeFile(17 << 20)
    let r = try shell("\"$MFACTL\" users import uris - < '\(big)'")
    assertError(r, 65, contains: ["16 MiB", "at line 4097"])
    // An endless line (no newline at all) stops at the line limit, at once.
    let z = try shell("\"$MFACTL\" users import uris - < /dev/zero", timeout: 20)
    assertError(z, 65, contains: ["line 1", "8 KiB"])
    // The same limits for a named file.
    assertError(try run(["users", "import", "uris", big]), 65, contains: ["16 MiB"])
    assertUnchanged(before)
    // Exactly the limit is read in full (and holds nothing to import).
    try makeFile(16 << 20)
    assertExit(try run(["users", "import", "uris", big]), 0)
  }

  func testSecretsFromStdinAreOneLineOfAtMost4KiB() throws {
    try initKeyFileVault()
    try enrol("alice")
    let before = vaultFiles()
    let long = String(repeating: "1", count: 4097) + "\n"
    for args in [
      ["verify", "alice"], ["sessions", "check"], ["devices", "check", "alice"], ["recovery-codes", "use", "alice"],
      ["code", "--uri", "-"], ["users", "diagnose", "alice", "-"],
    ] {
      assertError(try run(args, stdin: long), 65, contains: ["4096 bytes"])
    }
    // An endless stdin is refused after 4 KiB, not read to the end.
    let z = try shell("\"$MFACTL\" sessions check < /dev/zero", timeout: 20)
    assertError(z, 65, contains: ["4096 bytes"])
    XCTAssertLessThan(z.seconds, 10)
    assertUnchanged(before)
    // A passphrase piped to init: the same limit.
    let other = dir + "/other.mfa"
    assertError(
      try run(
        ["init", "--vault", other], stdin: String(repeating: "p", count: 5000) + "\n", env: ["MFACTL_KEY_FILE": nil]),
      65)
    XCTAssertFalse(exists(other))
  }

  // MARK: Item 6: FIFOs, devices and directories

  func testFIFOsDevicesAndDirectoriesAreRefusedAtOnce() throws {
    try initKeyFileVault()
    try enrol("alice")
    let backup = dir + "/b.mfab"
    assertExit(try run(["backup", "create", backup]), 0)
    let fifo = dir + "/fifo"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let before = vaultFiles()
    for path in [fifo, "/dev/zero", dir] {
      let cases: [([String], [String: String?])] = [
        (["users", "list", "--key-file", path], [:]),
        (["users", "list"], ["MFACTL_KEY_FILE": path]),
        (["users", "list", "--passphrase-file", path], ["MFACTL_KEY_FILE": nil]),
        (["users", "list"], ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE_FILE": path]),
        (["vault", "passwd", "--new-passphrase-file", path], [:]),
        (["vault", "add-key-file", path], [:]),
        (["users", "list", "--vault", path], [:]),
        (["backup", "verify", path], [:]),
        (["backup", "restore", path, "--force"], [:]),
        (["users", "import", "uris", path], [:]),
        (["users", "import", "google-authenticator", "--user", "bob", path], [:]),
      ]
      for (args, env) in cases {
        let r = try run(args, env: env, timeout: 15)
        assertError(r, 65, contains: ["not a regular file"])
        XCTAssertLessThan(r.seconds, 10, "\(args) waited")
      }
    }
    // A FIFO among the backups is skipped, not waited on.
    let bdir = dir + "/backups"
    try FileManager.default.createDirectory(atPath: bdir, withIntermediateDirectories: true)
    XCTAssertEqual(mkfifo(bdir + "/x.mfab", 0o600), 0)
    let l = try run(["backup", "list", bdir], timeout: 15)
    assertExit(l, 0)
    assertUnchanged(before)
  }

  // MARK: Item 13: display text from URIs and files

  func testControlAndBidiCharactersInURIsAreBadData() throws {
    try initKeyFileVault()
    let before = vaultFiles()
    for bad in ["%E2%80%AE", "%E2%81%A6", "%1B%5B2J", "%C2%9B", "%0A"] {
      for uri in [
        "otpauth://totp/Iss\(bad):bob?secret=\(secret)", "otpauth://totp/bob\(bad)?secret=\(secret)",
        "otpauth://totp/bob?secret=\(secret)&issuer=A\(bad)",
      ] {
        assertError(try run(["enrol", "bob", "--uri", uri, "--activate"]), 65)
        assertError(try run(["code", "--uri", uri]), 65)
        try write(dir + "/uris", "bob\t\(uri)\n")
        assertError(try run(["users", "import", "uris", dir + "/uris"]), 65, contains: ["line 1"])
      }
    }
    // Flags: 64.
    try write(dir + "/ga", "\(secret)\n\" TOTP_AUTH\n")
    assertError(
      try run(["users", "import", "google-authenticator", "--user", "bob", "--issuer", "A\u{202E}B", dir + "/ga"]), 64)
    assertError(try run(["enrol", "bob", "--issuer", "A\u{2066}B"]), 64)
    assertError(try run(["enrol", "bob", "--label", "x\u{1B}[2J"]), 64)
    // An escape sequence inside a google-authenticator file is not echoed raw.
    try write(dir + "/ga", "\(secret)\n\" HOTP_COUNTER 1\u{1B}[2J\n")
    let g = try run(["users", "import", "google-authenticator", "--user", "bob", dir + "/ga"])
    assertError(g, 65)
    XCTAssertFalse(g.stderr.contains("\u{1B}"), g.stderr)
    assertUnchanged(before)
  }

  // MARK: Item 14: resync and the lockout

  func lockOut(_ user: String) throws {
    let wrong = wrongCode(not: try (0...30).map { try hotp(secret, counter: UInt64($0)) })
    for _ in 0..<5 { assertExit(try run(["verify", user, wrong]), 1) }
    assertExit(try run(["verify", user, wrong]), 2)
  }

  func testLockedUserCannotResyncAndTheTryCounts() throws {
    try initKeyFileVault()
    assertExit(try run(["enrol", "bob", "--type", "hotp", "--secret", secret, "--activate"]), 0)
    try lockOut("bob")
    let failures = try failures("bob")
    let counterBefore = (try show("bob")["authenticators"] as? [[String: Any]])?.first?["counter"] as? Int
    // Right codes, but locked: refused without checking, exit 2, and one more failure.
    let r = try run(["users", "resync", "bob", try hotp(secret, counter: 5), try hotp(secret, counter: 6)])
    assertError(r, 2, contains: ["locked"])
    XCTAssertEqual(try self.failures("bob"), failures + 1)
    XCTAssertEqual((try show("bob")["authenticators"] as? [[String: Any]])?.first?["counter"] as? Int, counterBefore)
    let events = try run(["audit", "list", "--event", "authenticator.resync_locked", "--format", "json"])
    XCTAssertEqual(events.jsonLines?.count, 1, "\(events)")
  }

  func testFailedResyncsCountAndASuccessResets() throws {
    try initKeyFileVault()
    assertExit(try run(["enrol", "bob", "--type", "hotp", "--secret", secret, "--activate"]), 0)
    for i in 1...4 {
      assertExit(try run(["users", "resync", "bob", try hotp(secret, counter: 50), try hotp(secret, counter: 52)]), 1)
      XCTAssertEqual(try failures("bob"), i)
    }
    assertExit(try run(["users", "resync", "bob", try hotp(secret, counter: 50), try hotp(secret, counter: 51)]), 0)
    XCTAssertEqual(try failures("bob"), 0, "a successful resync resets the count")
    for _ in 1...5 {
      assertExit(try run(["users", "resync", "bob", try hotp(secret, counter: 60), try hotp(secret, counter: 62)]), 1)
    }
    // Five failed resyncs lock the user like five wrong codes.
    assertExit(try run(["verify", "bob", try hotp(secret, counter: 52)]), 2)
  }
}
