// PAM integration (docs/pam.md): the wrapper scripts/pam/mfactl-pam run by pam_exec.so
// through a real PAM stack, driven by pamtester.
//
// As root only: the test installs `pamtester` and `libpam-modules` from Debian when they
// are missing, writes a PAM service file /etc/pam.d/mfactl-test-<random> (removed in
// tearDown, also after a failure), and checks what a login would see: right code
// accepted, wrong code rejected, replayed code rejected, locked user rejected even with a
// valid code. pam_exec runs the wrapper with the PAM environment only (no MFACTL_NOW), so
// these runs use the real clock and codes computed by oathtool for the current time.
//
// The wrapper reads no settings from the environment (by design: a user may influence the
// PAM environment), so each test uses a copy of it with the binary, vault and key file of
// the test written into its variables.
//
// The direct tests at the end run the wrapper without PAM (no root needed): the input
// forms pam_exec produces, user-name checks, other PAM types and the exit-code mapping.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class PAMIntegrationTests: PAMTestCase {
  private var wrapper = ""

  // MARK: Set-up

  /// scripts/pam/mfactl-pam in the source tree this file belongs to.
  static let wrapperSource: String = {
    let here = URL(fileURLWithPath: #filePath)
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/pam/mfactl-pam").path
  }()

  /// A copy of the wrapper in the test's directory with this test's binary, vault and key
  /// file in its variables (and SYSLOG=0), mode 0755.
  func makeWrapper(file: StaticString = #filePath, line: UInt = #line) throws -> String {
    guard let source = bytes(Self.wrapperSource) else {
      XCTFail("\(Self.wrapperSource) is missing", file: file, line: line)
      throw Binary.Failure(description: "wrapper missing")
    }
    let settings = ["MFACTL": try binary(), "MFACTL_VAULT": vault, "MFACTL_KEY_FILE": keyFile, "SYSLOG": "0"]
    var replaced = Set<String>()
    var lines = String(decoding: source, as: UTF8.self).components(separatedBy: "\n")
    for (i, l) in lines.enumerated() {
      for (name, value) in settings where l.hasPrefix(name + "=") {
        XCTAssertTrue(replaced.insert(name).inserted, "\(name)= set twice in the wrapper", file: file, line: line)
        lines[i] = "\(name)='\(value.replacingOccurrences(of: "'", with: "'\\''"))'"
      }
    }
    XCTAssertEqual(
      replaced, Set(settings.keys),
      "the wrapper no longer sets these at the top: \(Set(settings.keys).subtracting(replaced))",
      file: file, line: line)
    let path = dir + "/mfactl-pam"
    try write(path, lines.joined(separator: "\n"))
    XCTAssertEqual(chmod(path, 0o755), 0)
    return path
  }

  /// A key-file vault, the wrapper copy and the users, each enrolled with an active TOTP
  /// authenticator; returns their secrets.
  func prepareVault(users: [String]) throws -> [String: String] {
    try initKeyFileVault()
    wrapper = try makeWrapper()
    var secrets: [String: String] = [:]
    for u in users { secrets[u] = try enrol(u, ["--qr", "none"]).secret }
    return secrets
  }

  static let installed: Result<String, Binary.Failure> = installPAMTools()

  /// pamtester on PATH and pam_exec.so installed, with apt-get when missing (root only).
  private static func installPAMTools() -> Result<String, Binary.Failure> {
    func present() -> String? {
      guard let p = Binary.tool("pamtester") else { return nil }
      let st = shell("dpkg-query -W -f '${db:Status-Status}' libpam-modules 2>/dev/null")
      return st.out == "installed" ? p : nil
    }
    if let p = present() { return .success(p) }
    let apt =
      "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 -q install -y --no-install-recommends pamtester libpam-modules </dev/null"
    var r = shell(apt)
    if r.code != 0 {
      // A fresh machine may have no package lists yet.
      _ = shell("DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q update </dev/null")
      r = shell(apt)
    }
    if let p = present() { return .success(p) }
    let tail = r.out.split(separator: "\n").suffix(5).joined(separator: " | ")
    return .failure(
      Binary.Failure(
        description:
          "PAM integration test: cannot install pamtester and libpam-modules with apt-get (exit \(r.code)): \(tail)"))
  }

  /// Runs a /bin/sh command line (stdin /dev/null) and returns its status and output.
  private static func shell(_ command: String) -> (code: Int32, out: String) {
    guard
      let r = try? Running(
        executable: "/bin/sh", args: ["-c", command + " 2>&1"], stdin: nil, env: ProcessInfo.processInfo.environment,
        cwd: "/"
      ).wait(timeout: 900)
    else { return (127, "cannot run /bin/sh") }
    return (r.code, r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  static func skipUnlessRoot() throws {
    guard geteuid() == 0 else {
      throw XCTSkip("PAM integration test needs root (it installs pamtester and writes /etc/pam.d/mfactl-test-*)")
    }
  }

  /// Skips unless root; then installs the tools and writes the PAM service file.
  func requirePAM(stack: [String]? = nil) throws -> String {
    try Self.skipUnlessRoot()
    let pamtester: String
    switch Self.installed {
    case .success(let p): pamtester = p
    case .failure(let f): throw XCTSkip(f.description)
    }
    XCTAssertFalse(wrapper.isEmpty, "prepareVault first")
    XCTAssertNil(
      wrapper.rangeOfCharacter(from: .whitespacesAndNewlines), "a PAM config line cannot hold this path: \(wrapper)")
    service = "mfactl-test-" + UUID().uuidString.prefix(8).lowercased()
    let path = "/etc/pam.d/" + service
    // The auth stack docs/pam.md recommends (/etc/pam.d/mfactl-auth there).
    let auth =
      stack ?? [
        "auth [success=1 default=ignore] pam_exec.so expose_authtok quiet seteuid \(wrapper)",
        "auth [cred_err=ignore default=die] pam_deny.so",
        "auth required pam_permit.so",
      ]
    let text =
      (["# written by mfactl's PAMIntegrationTests; removed when the test ends"] + auth + [
        "account required pam_permit.so"
      ]).joined(separator: "\n") + "\n"
    serviceFile = path
    try write(path, text)
    return pamtester
  }

  func assertAccepted(_ r: RunResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(r.code, 0, "\(message): expected PAM success\n\(r)", file: file, line: line)
    XCTAssertTrue(r.stdout.contains("successfully authenticated"), "\(message)\n\(r)", file: file, line: line)
  }

  /// Rejected as an authentication failure (PAM_AUTH_ERR from the recommended stack).
  func assertRejected(_ r: RunResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(r.code, 0, "\(message): expected PAM failure\n\(r)", file: file, line: line)
    XCTAssertTrue(
      r.stderr.contains("Authentication failure"), "\(message): not PAM_AUTH_ERR\n\(r)", file: file, line: line)
  }

  var unixNow: Int64 { Int64(Date().timeIntervalSince1970) }

  // MARK: Through PAM (root)

  func testRightWrongAndReplayedCodesThroughPAM() throws {
    try Self.skipUnlessRoot()
    let secrets = try prepareVault(users: ["alice"])
    let pamtester = try requirePAM()
    let s = secrets["alice"]!
    let t = unixNow
    let code = try totp(s, at: t)
    let valid = try [t - 30, t, t + 30, t + 60].map { try totp(s, at: $0) }

    // Right code: accepted; pam_setcred (sshd calls it after authentication) succeeds too.
    var r = try pam(pamtester, "alice", code, ops: ["authenticate", "setcred"], items: ["rhost=203.0.113.9"])
    assertAccepted(r, "right code")
    XCTAssertTrue(r.stderr.contains("performing operation - setcred"), "\(r)")
    let events = try auditEvents(limit: 5)
    let ok = events.first { ($0["event"] as? String) == "verify.success" }
    XCTAssertNotNil(ok, "no verify.success in \(events)")
    XCTAssertEqual(ok?["actor"] as? String, "pam:\(service)", "the wrapper passes --actor pam:SERVICE")
    XCTAssertEqual(ok?["ip"] as? String, "203.0.113.9", "the wrapper passes PAM_RHOST as --ip")
    for e in events {
      XCTAssertFalse("\(e)".contains(code), "the code appears in the audit log: \(e)")
    }

    // The same code again: a replay.
    r = try pam(pamtester, "alice", code)
    assertRejected(r, "replayed code")
    XCTAssertEqual(try auditEvents(limit: 1).first?["event"] as? String, "verify.replay")

    // A wrong code, and nothing at all.
    r = try pam(pamtester, "alice", wrongCode(not: valid))
    assertRejected(r, "wrong code")
    XCTAssertEqual(try auditEvents(limit: 1).first?["event"] as? String, "verify.failure")
    r = try pam(pamtester, "alice", "")
    assertRejected(r, "empty code")

    // A user who is not in the vault, and one mfactl would refuse as a name.
    r = try pam(pamtester, "mallory", code)
    assertRejected(r, "unknown user")
    r = try pam(pamtester, "al ice", code)
    assertRejected(r, "invalid user name")

    // The next step's code still works: the rejections above did not lock alice out.
    r = try pam(pamtester, "alice", try totp(s, at: t + 30))
    assertAccepted(r, "next code after failures")
    XCTAssertEqual(try failures("alice"), 0)
  }

  func testLockedUserIsRejectedEvenWithAValidCode() throws {
    try Self.skipUnlessRoot()
    let secrets = try prepareVault(users: ["bob"])
    let pamtester = try requirePAM()
    let s = secrets["bob"]!
    let t = unixNow
    let valid = try [t - 30, t, t + 30, t + 60].map { try totp(s, at: $0) }
    let wrong = wrongCode(not: valid)
    for i in 1...5 {
      assertRejected(try pam(pamtester, "bob", wrong), "wrong code \(i)")
    }
    let shown = try show("bob")
    XCTAssertEqual(shown["state"] as? String, "locked", "\(shown)")
    XCTAssertNotNil(shown["locked_until"] as? String, "\(shown)")

    // A code that is valid and unused (the next step's) is refused while locked.
    let code = try totp(s, at: t + 30)
    assertRejected(try pam(pamtester, "bob", code), "locked user with a valid code")
    XCTAssertEqual(try auditEvents(limit: 1).first?["event"] as? String, "verify.locked")

    // It was the lock: once unlocked, that very code is accepted.
    assertExit(try run(["users", "unlock", "bob"]), 0)
    assertAccepted(try pam(pamtester, "bob", code), "same code after unlock")
  }

  func testThePAMEnvironmentCannotRedirectTheWrapper() throws {
    try Self.skipUnlessRoot()
    // A second vault the "attacker" controls, with alice in it and a secret they know.
    let secrets = try prepareVault(users: ["alice"])
    let otherVault = dir + "/other/vault.mfa"
    let otherKey = dir + "/other.key"
    assertExit(
      try run(
        ["init", "--generate-key-file", otherKey, "--no-passphrase"],
        env: ["MFACTL_VAULT": otherVault, "MFACTL_KEY_FILE": nil]), 0)
    let r0 = try run(
      ["enrol", "alice", "--activate", "--qr", "none", "--format", "json"],
      env: ["MFACTL_VAULT": otherVault, "MFACTL_KEY_FILE": otherKey])
    assertExit(r0, 0)
    let otherSecret = queryItems(r0.json?["uri"] as? String ?? "")["secret"] ?? ""
    let pamtester = try requirePAM()

    // pamtester -E puts variables into the PAM environment, which pam_exec passes on.
    let t = unixNow
    let attackerCode = try totp(otherSecret, at: t)
    let valid = try [t - 30, t, t + 30].map { try totp(secrets["alice"]!, at: $0) }
    XCTAssertFalse(valid.contains(attackerCode))
    let r = try pam(
      pamtester, "alice", attackerCode,
      pamEnv: ["MFACTL_VAULT=\(otherVault)", "MFACTL_KEY_FILE=\(otherKey)", "MFACTL_NOW=\(t)", "PATH=\(dir)"])
    assertRejected(r, "a code from a vault named in the PAM environment")

    // The real vault still decides, whatever the PAM environment says.
    let code = try totp(secrets["alice"]!, at: t)
    assertAccepted(
      try pam(pamtester, "alice", code, pamEnv: ["MFACTL_VAULT=\(otherVault)", "MFACTL_NOW=1"]), "right code")
  }

  func testTheOneLineStackFailsSetcred() throws {
    try Self.skipUnlessRoot()
    // `auth required pam_exec.so ...` alone authenticates, but pam_setcred then finds no
    // module that succeeds (pam_exec ignores setcred) and fails: sshd drops the login
    // after "Accepted keyboard-interactive/pam". docs/pam.md says why it adds pam_permit.
    let secrets = try prepareVault(users: ["carol"])
    let pamtester = try requirePAM(stack: [
      "auth required pam_exec.so expose_authtok quiet seteuid \(wrapper)"
    ])
    let r = try pam(pamtester, "carol", try totp(secrets["carol"]!, at: unixNow), ops: ["authenticate", "setcred"])
    XCTAssertTrue(r.stdout.contains("successfully authenticated"), "\(r)")
    XCTAssertNotEqual(r.code, 0, "setcred unexpectedly succeeded with pam_exec alone\n\(r)")
  }

  // MARK: The wrapper on its own (no PAM, no root)

  /// Runs the wrapper copy as pam_exec would: only PAM_* variables, the code on stdin.
  func runWrapper(_ input: Data, user: String?, type: String = "auth", extra: [String: String] = [:]) throws
    -> RunResult
  {
    var env = ["PAM_TYPE": type, "PAM_SERVICE": "direct"]
    if let u = user { env["PAM_USER"] = u }
    for (k, v) in extra { env[k] = v }
    return try Running(executable: wrapper, args: [], stdin: input, env: env, cwd: dir).wait(timeout: 60)
  }

  func testWrapperInputFormsAndExitCodes() throws {
    let secrets = try prepareVault(users: ["dave", "erin"])
    let s = secrets["dave"]!
    let t = unixNow

    // PAM >= 1.4 writes the token without a newline; older pam_exec added a NUL.
    var r = try runWrapper(Data(try totp(s, at: t).utf8), user: "dave")
    XCTAssertEqual(r.code, 0, "code without a newline\n\(r)")
    r = try runWrapper(Data(try totp(s, at: t + 30).utf8) + Data([0]), user: "dave")
    XCTAssertEqual(r.code, 0, "NUL-terminated code\n\(r)")
    // Rejected and a malformed code (both mfactl 1, both counted) come out as 1.
    r = try runWrapper(Data(try totp(s, at: t + 30).utf8), user: "dave")
    XCTAssertEqual(r.code, 1, "replay\n\(r)")
    r = try runWrapper(Data("12ab".utf8), user: "dave")
    XCTAssertEqual(r.code, 1, "malformed code\n\(r)")
    XCTAssertEqual(try failures("dave"), 2)

    // Locked out (mfactl 2) comes out as 1.
    let valid = try [t - 30, t, t + 30, t + 60, t + 90].map { try totp(secrets["erin"]!, at: $0) }
    for _ in 1...5 { XCTAssertEqual(try runWrapper(Data(wrongCode(not: valid).utf8), user: "erin").code, 1) }
    r = try runWrapper(Data(try totp(secrets["erin"]!, at: t + 60).utf8), user: "erin")
    XCTAssertEqual(r.code, 1, "locked\n\(r)")
    XCTAssertTrue(r.stderr.contains("locked out"), "mfactl did not say locked out (exit 2)\n\(r)")

    // No such user (67); unlock failure (77) when the key file is wrong.
    XCTAssertEqual(try runWrapper(Data(try totp(s, at: t).utf8), user: "nobody").code, 1)
    try writeBytes(keyFile, Data(repeating: 7, count: 32))
    r = try runWrapper(Data(try totp(s, at: t + 60).utf8), user: "dave")
    XCTAssertEqual(r.code, 1, "wrong key file\n\(r)")
  }

  func testWrapperRefusesBadUserNamesAndIgnoresOtherTypes() throws {
    let secrets = try prepareVault(users: ["frank"])
    let code = try totp(secrets["frank"]!, at: unixNow)
    let before = try auditEvents().count
    for bad in [nil, "", "-frank", "fr ank", "frank\n", "../frank", "frank;id", String(repeating: "a", count: 65)] {
      let r = try runWrapper(Data(code.utf8), user: bad)
      XCTAssertEqual(r.code, 1, "user \(String(describing: bad))\n\(r)")
    }
    XCTAssertEqual(try auditEvents().count, before, "a refused name reached mfactl")
    // 64 characters is still a valid name (unknown here: rejected by mfactl, audited or not).
    XCTAssertEqual(try runWrapper(Data(code.utf8), user: String(repeating: "a", count: 64)).code, 1)

    // account, session and password calls succeed without reading a code or the vault.
    for type in ["account", "open_session", "close_session", "password"] {
      let r = try runWrapper(Data("000000".utf8), user: "frank", type: type)
      XCTAssertEqual(r.code, 0, "PAM_TYPE=\(type)\n\(r)")
    }
    XCTAssertEqual(try failures("frank"), 0)
    XCTAssertEqual(try runWrapper(Data(code.utf8), user: "frank").code, 0)
  }
}
