import Foundation
import XCTest

/// Moving users in and out: secret files written by Debian's real `google-authenticator`
/// (libpam-google-authenticator) import with their state, and `users export-uri` round
/// trips through `users import uris` into another vault. Codes come from oathtool.
final class MigrationE2ETests: CLITestCase {
  static let installed: Result<String, Binary.Failure> = installGoogleAuthenticator()

  /// `google-authenticator` on PATH, installed with apt-get when missing (root only).
  private static func installGoogleAuthenticator() -> Result<String, Binary.Failure> {
    if let p = Binary.tool("google-authenticator") { return .success(p) }
    guard geteuid() == 0 else {
      return .failure(
        .init(
          description:
            "google-authenticator is not installed and installing it needs root (apt-get install libpam-google-authenticator)"
        ))
    }
    let apt =
      "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 -q install -y --no-install-recommends libpam-google-authenticator </dev/null"
    var r = shell(apt)
    if r.code != 0 {
      _ = shell("DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q update </dev/null")
      r = shell(apt)
    }
    if let p = Binary.tool("google-authenticator") { return .success(p) }
    let tail = r.out.split(separator: "\n").suffix(5).joined(separator: " | ")
    return .failure(
      .init(description: "cannot install libpam-google-authenticator with apt-get (exit \(r.code)): \(tail)"))
  }

  private static func shell(_ command: String) -> (code: Int32, out: String) {
    guard
      let r = try? Running(
        executable: "/bin/sh", args: ["-c", command + " 2>&1"], stdin: nil, env: ProcessInfo.processInfo.environment,
        cwd: "/"
      ).wait(timeout: 900)
    else { return (127, "cannot run /bin/sh") }
    return (r.code, r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  struct GAFile {
    var path: String
    var text: String
    var secret: String
    var scratch: [String]
  }

  /// Runs the real tool non-interactively and reads the file it wrote.
  func makeFile(_ name: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> GAFile {
    let tool: String
    switch Self.installed {
    case .success(let p): tool = p
    case .failure(let f): throw XCTSkip("google-authenticator migration test: \(f.description)")
    }
    let path = dir + "/" + name
    let r = try Running(
      executable: tool, args: args + ["-f", "-C", "-q", "-Q", "NONE", "-s", path], stdin: nil,
      env: ProcessInfo.processInfo.environment, cwd: dir
    ).wait()
    XCTAssertEqual(r.code, 0, "google-authenticator failed: \(r)", file: file, line: line)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    return GAFile(
      path: path, text: text, secret: lines[0],
      scratch: lines.filter { $0.count == 8 && $0.allSatisfy(\.isNumber) })
  }

  /// A copy of the file with one option line replaced (as the PAM module rewrites it).
  func rewrite(_ f: GAFile, _ name: String, option: String, to line: String) throws -> String {
    let path = dir + "/" + name
    let text = f.text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasPrefix("\" \(option)") ? line : String($0)
    }.joined(separator: "\n")
    try write(path, text)
    return path
  }

  func importFile(_ path: String, user: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String:
    Any]
  {
    let r = try run(["users", "import", "google-authenticator", path, "--user", user, "--format", "json"])
    assertExit(r, 0, "import failed", file: file, line: line)
    return r.json ?? [:]
  }

  func auditEvents(_ name: String) throws -> [[String: Any]] {
    try run(["audit", "list", "--event", name, "--format", "json"]).jsonLines ?? []
  }

  // MARK: google-authenticator

  func testTOTPFileFromTheRealToolImportsAndItsNextCodeVerifies() throws {
    let f = try makeFile("ga-totp", ["-t", "-d", "-r", "3", "-R", "30", "-w", "3", "-e", "5"])
    XCTAssertTrue(f.text.contains("\" TOTP_AUTH") && f.text.contains("\" DISALLOW_REUSE"), f.text)
    XCTAssertEqual(f.scratch.count, 5)
    try initKeyFileVault()
    let j = try importFile(f.path, user: "alice")
    XCTAssertEqual(j["type"] as? String, "totp")
    XCTAssertEqual(j["period_s"] as? Int, 30)
    XCTAssertEqual(j["recovery_codes_imported"] as? Int, 5)
    XCTAssertEqual(j["not_applied"] as? [String], ["WINDOW_SIZE 3", "RATE_LIMIT 3 30"])
    let id = try XCTUnwrap(j["id"] as? String)
    assertExit(try run(["verify", "alice", try totp(f.secret, at: now)]), 0)
    assertExit(try run(["verify", "alice", try totp(f.secret, at: now)]), 1, "replay")
    XCTAssertEqual(try show("alice")["state"] as? String, "active")

    // Audited with the file's settings, never the secret or a scratch code.
    let events = try auditEvents("enrol.imported")
    XCTAssertEqual(events.count, 1)
    let detail = events.first?["detail"] as? [String: String] ?? [:]
    XCTAssertEqual(detail["source"], "google-authenticator")
    XCTAssertEqual(detail["authenticator"], id)
    XCTAssertEqual(detail["window_size"], "3")
    XCTAssertEqual(detail["rate_limit"], "3/30s")
    XCTAssertEqual(detail["scratch_codes"], "5")
    let log = try run(["audit", "list", "--format", "json"]).stdout
    XCTAssertFalse(log.contains(f.secret))
    for c in f.scratch { XCTAssertFalse(log.contains(c)) }
    assertExit(try run(["audit", "verify"]), 0)
  }

  func testDisallowReuseStepsAreRefusedAndTimeSkewIsKept() throws {
    let f = try makeFile("ga-used", ["-t", "-d", "-r", "3", "-R", "30", "-w", "3", "-e", "1"])
    let step = now / 30
    // As the PAM module leaves it after logins at this step and the one before.
    let path = try rewrite(f, "ga-used-2", option: "DISALLOW_REUSE", to: "\" DISALLOW_REUSE \(step - 1) \(step)")
    try initKeyFileVault()
    let j = try importFile(path, user: "bob")
    XCTAssertEqual(j["last_step"] as? Int, Int(step))
    assertExit(try run(["verify", "bob", try totp(f.secret, at: now)]), 1, "a code the module already accepted")
    assertExit(try run(["verify", "bob", try totp(f.secret, at: now - 30)]), 1)
    assertExit(try run(["verify", "bob", try totp(f.secret, at: now + 30)]), 0, "the next step is new")

    // TIME_SKEW (steps) becomes the remembered drift.
    var skewed = try String(contentsOfFile: f.path, encoding: .utf8)
    skewed = skewed.replacingOccurrences(of: "\" TOTP_AUTH", with: "\" TOTP_AUTH\n\" TIME_SKEW -3")
    try write(dir + "/ga-skew", skewed)
    try run(["users", "remove", "bob"])
    XCTAssertEqual(try importFile(dir + "/ga-skew", user: "bob")["drift_steps"] as? Int, -3)
    assertExit(try run(["verify", "bob", try totp(f.secret, at: now - 90)]), 0, "a device 3 steps slow")
  }

  func testScratchCodesBecomeRecoveryCodes() throws {
    let f = try makeFile("ga-scratch", ["-t", "-d", "-u", "-w", "3", "-e", "4"])
    try initKeyFileVault()
    _ = try importFile(f.path, user: "carol")
    XCTAssertEqual(try recoveryRemaining("carol"), 4)
    // The 8 digits exactly as google-authenticator printed them...
    assertExit(try run(["verify", "carol", "--allow-recovery", f.scratch[0]]), 0)
    assertExit(try run(["verify", "carol", "--allow-recovery", f.scratch[0]]), 1, "each works once")
    // Not without --allow-recovery: an 8-digit code for a 6-digit user is a malformed,
    // so wrong, code (1, counted).
    let w = try run(["verify", "carol", f.scratch[3]])
    assertExit(w, 1)
    XCTAssertTrue(w.stderr.contains("digits"), w.description)
    // ...and in the stored form, with or without the hyphen.
    let r = try run(["recovery-codes", "use", "carol", f.scratch[1], "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["remaining"] as? Int, 2)
    // The hyphenated form shown by recovery-codes works as well.
    let c = "00" + f.scratch[2]
    assertExit(try run(["recovery-codes", "use", "carol", String(c.prefix(5)) + "-" + String(c.suffix(5))]), 0)
    XCTAssertEqual(try recoveryRemaining("carol"), 1)
  }

  func testHOTPFileKeepsItsCounter() throws {
    let f = try makeFile("ga-hotp", ["-c", "-r", "3", "-R", "30", "-w", "5", "-e", "2"])
    XCTAssertTrue(f.text.contains("\" HOTP_COUNTER 1"), f.text)
    try initKeyFileVault()
    XCTAssertEqual(try importFile(f.path, user: "dan")["counter"] as? Int, 1)
    assertExit(
      try run(["verify", "dan", try hotp(f.secret, counter: 0)]), 1, "counter 0 is behind the module's counter")
    assertExit(try run(["verify", "dan", try hotp(f.secret, counter: 1)]), 0)

    // A file the module has moved on: the counter carries over.
    let moved = try rewrite(f, "ga-hotp-7", option: "HOTP_COUNTER", to: "\" HOTP_COUNTER 7")
    let j = try importFile(moved, user: "erin")
    XCTAssertEqual(j["counter"] as? Int, 7)
    assertExit(try run(["verify", "erin", try hotp(f.secret, counter: 6)]), 1)
    assertExit(try run(["verify", "erin", try hotp(f.secret, counter: 7)]), 0)
    let auths = try show("erin")["authenticators"] as? [[String: Any]]
    XCTAssertEqual(auths?.first?["counter"] as? Int, 8)
  }

  func testStepSizeBecomesThePeriod() throws {
    let f = try makeFile("ga-60", ["-t", "-D", "-u", "-S", "60", "-w", "3", "-e", "0"])
    XCTAssertTrue(f.text.contains("\" STEP_SIZE 60"), f.text)
    try initKeyFileVault()
    XCTAssertEqual(try importFile(f.path, user: "fay")["period_s"] as? Int, 60)
    assertExit(try run(["verify", "fay", try totp(f.secret, at: now, period: 60)]), 0)
    XCTAssertEqual(try recoveryRemaining("fay"), 0)
  }

  func testRefusalsChangeNothing() throws {
    let f = try makeFile("ga-ok", ["-t", "-d", "-u", "-w", "3", "-e", "2"])
    try initKeyFileVault()
    let existing = try enrol("gus")
    let before = vaultState()
    // Malformed: named by line, exit 65.
    try write(dir + "/bad", f.text.replacingOccurrences(of: "\" TOTP_AUTH", with: "\" TOTP_AUTH\n\" WINDOW_SIZE lots"))
    let bad = try run(["users", "import", "google-authenticator", dir + "/bad", "--user", "hal"])
    assertError(bad, 65, contains: ["line", "WINDOW_SIZE"])
    try write(dir + "/bad2", "not a secret!\n\" TOTP_AUTH\n")
    assertError(
      try run(["users", "import", "google-authenticator", dir + "/bad2", "--user", "hal"]), 65, contains: ["line 1"])
    assertError(try run(["users", "import", "google-authenticator", f.path, "--user", "bad user"]), 64)
    assertError(try run(["users", "import", "google-authenticator", f.path, "--user", "-x"]), 64)
    assertError(try run(["users", "import", "google-authenticator", dir + "/missing", "--user", "hal"]), 66)
    XCTAssertEqual(vaultState(), before)
    assertError(try run(["verify", "hal", "123456"]), 67)

    // An existing user gets the authenticator added (like enrol); the same secret twice is 73.
    let j = try importFile(f.path, user: "gus")
    XCTAssertEqual(j["user_created"] as? Bool, false)
    XCTAssertEqual((try show("gus")["authenticators"] as? [[String: Any]])?.count, 2)
    assertExit(try run(["verify", "gus", try totp(f.secret, at: now)]), 0)
    assertExit(try run(["verify", "gus", try totp(existing.secret, at: now)]), 0)
    let after = vaultState()
    assertError(
      try run(["users", "import", "google-authenticator", f.path, "--user", "gus"]), 73, contains: ["secret"])
    XCTAssertEqual(vaultState(), after)

    // From stdin.
    let r = try run(["users", "import", "google-authenticator", "-", "--user", "ivy"], stdin: f.text)
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("imported authenticator"), r.stdout)
  }

  // MARK: export-uri

  func testExportURINeedsYes() throws {
    try initKeyFileVault()
    let a = try enrol("jo")
    let before = vaultState()
    let r = try run(["users", "export-uri", "jo"])
    assertError(r, 64, contains: ["secret", "--yes"])
    XCTAssertFalse(r.stdout.contains(a.secret))
    XCTAssertEqual(vaultState(), before)
    assertError(try run(["users", "export-uri", "nobody", "--yes"]), 67)
    assertError(try run(["users", "export-uri", "jo", "--id", "deadbeef", "--yes"]), 66)
    XCTAssertEqual(try auditEvents("secret.exported").count, 0)
  }

  func testExportURIRoundTripsIntoAnotherVault() throws {
    try initKeyFileVault()
    let t = try enrol("kim")
    let h = try enrol("kim", ["--type", "hotp"])
    let pending = try enrol("lee", activate: false)
    assertExit(try run(["verify", "kim", try hotp(h.secret, counter: 0)]), 0)

    let text = try run(["users", "export-uri", "kim", "--yes"])
    assertExit(text, 0)
    XCTAssertEqual(text.lines.count, 2)
    XCTAssertTrue(text.stderr.contains("secret"), "a warning on stderr")
    let json = try XCTUnwrap(try run(["users", "export-uri", "kim", "--yes", "--format", "json"]).jsonLines)
    XCTAssertEqual(json.map { $0["id"] as? String }, [t.id, h.id])
    XCTAssertEqual(json.map { $0["uri"] as? String }, text.lines)
    XCTAssertEqual(queryItems(text.lines[1])["counter"], "1", "HOTP exports the next unused counter")
    // One authenticator, and pending ones too.
    let one = try run(["users", "export-uri", "kim", "--id", t.id, "--yes", "--quiet"])
    XCTAssertEqual(one.lines, [text.lines[0]])
    XCTAssertEqual(one.stderr, "")
    let p = try run(["users", "export-uri", "lee", "--yes", "--format", "json"])
    XCTAssertEqual(p.json?["state"] as? String, "pending")
    XCTAssertEqual(queryItems(p.json?["uri"] as? String ?? "")["secret"], pending.secret)

    // Audited per authenticator, by id, never the secret.
    let events = try auditEvents("secret.exported")
    XCTAssertEqual(events.count, 2 + 2 + 1 + 1)
    XCTAssertEqual(
      Set(events.compactMap { ($0["detail"] as? [String: String])?["authenticator"] }), [t.id, h.id, pending.id])
    let log = try run(["audit", "list", "--format", "json"]).stdout
    XCTAssertFalse(log.contains(t.secret) || log.contains(h.secret))

    // Into a second vault with `users import uris`; codes verify in both.
    let v2 = dir + "/second/vault.mfa"
    let k2 = dir + "/second.key"
    let env2: [String: String?] = ["MFACTL_VAULT": v2, "MFACTL_KEY_FILE": k2]
    assertExit(
      try run(
        ["init", "--generate-key-file", k2, "--no-passphrase"], env: ["MFACTL_VAULT": v2, "MFACTL_KEY_FILE": nil]), 0)
    let batch = text.lines.enumerated().map { "\($0.offset == 0 ? "kim" : "kim2")\t\($0.element)" }.joined(
      separator: "\n")
    assertExit(try run(["users", "import", "uris"], stdin: batch + "\n", env: env2), 0)
    let code = try totp(t.secret, at: now)
    assertExit(try run(["verify", "kim", code]), 0)
    assertExit(try run(["verify", "kim", code], env: env2), 0)
    assertExit(
      try run(["verify", "kim2", try hotp(h.secret, counter: 0)], env: env2), 1, "counter 0 was used before the export")
    assertExit(try run(["verify", "kim2", try hotp(h.secret, counter: 1)], env: env2), 0)
    assertExit(try run(["verify", "kim", try hotp(h.secret, counter: 1)]), 0)
  }

  /// An imported google-authenticator file exports as a URI other verifiers take.
  func testImportedFileExportsToTheSameSecret() throws {
    let f = try makeFile("ga-x", ["-t", "-d", "-u", "-w", "3", "-e", "0"])
    try initKeyFileVault()
    _ = try importFile(f.path, user: "max")
    let r = try run(["users", "export-uri", "max", "--yes", "--quiet"])
    assertExit(r, 0)
    XCTAssertEqual(queryItems(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["secret"], f.secret)
  }
}
