import Foundation
import XCTest

/// `users import uris` (the bulk path) and the verify fast path, which must behave
/// exactly like the ArgumentParser path it short-cuts (MFACTL_NO_FAST_PATH=1).
final class ImportAndFastPathTests: CLITestCase {
  let secretA = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  // "12345678901234567890"
  let secretB = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

  func testImportIsAllOrNothingAndImportedCodesVerify() throws {
    try initKeyFileVault()
    let file = dir + "/uris.txt"
    try write(
      file,
      """
      # onboarding batch
      alice\totpauth://totp/acme:alice?secret=\(secretA)&issuer=acme

      otpauth://hotp/acme:bob?secret=\(secretB)&issuer=acme&counter=5

      """)
    let r = try run(["users", "import", "uris", file, "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["imported"] as? Int, 2)
    // Imported authenticators are active at once, with their parameters (HOTP counter).
    assertExit(try run(["verify", "alice", try totp(secretA, at: now)]), 0)
    assertExit(try run(["verify", "bob", try hotp(secretB, counter: 5)]), 0)
    assertExit(try run(["verify", "bob", try hotp(secretB, counter: 4)]), 1)

    // A second batch with one bad line changes nothing, and names the line.
    let before = vaultState()
    try write(
      file,
      """
      carol\totpauth://totp/acme:carol?secret=\(secretA)
      dave\totpauth://totp/acme:dave?secret=NOT-BASE32!
      """)
    let bad = try run(["users", "import", "uris", file])
    assertError(bad, 65, contains: ["line 2"])
    XCTAssertEqual(vaultState(), before)

    // A secret a user already holds aborts the whole import (73, naming the line); so does
    // one secret twice for one user in the file (65).
    try write(
      file, "erin\totpauth://totp/acme:erin?secret=\(secretA)\nalice\totpauth://totp/x:alice?secret=\(secretA)\n")
    assertError(try run(["users", "import", "uris", file]), 73, contains: ["line 2", "alice"])
    try write(file, "erin\totpauth://totp/x:erin?secret=\(secretA)\nerin\totpauth://totp/x:erin?secret=\(secretA)\n")
    assertError(try run(["users", "import", "uris", file]), 65, contains: ["twice"])
    try write(file, "bad name\totpauth://totp/x:y?secret=\(secretA)\n")
    assertError(try run(["users", "import", "uris", file]), 64)
    XCTAssertEqual(vaultState(), before)
    assertError(try run(["verify", "erin", "123456"]), 67)
  }

  func testImportReadsStdin() throws {
    try initKeyFileVault()
    let r = try run(["users", "import", "uris"], stdin: "zed\totpauth://totp/z:zed?secret=\(secretA)\n")
    assertExit(r, 0)
    assertExit(try run(["verify", "zed", try totp(secretA, at: now)]), 0)
  }

  /// The same verify calls through the fast path and through ArgumentParser give the
  /// same exit code, stdout and stderr, for accepted, rejected and malformed codes.
  /// FastPathEquivalenceTests shows, in-process, that both build the same input from
  /// every shape of command line; this runs the binary for the options that change what
  /// a verify does (sessions, devices, recovery codes, syslog, JSON) and one refusal.
  func testFastPathMatchesArgumentParser() throws {
    try initKeyFileVault()
    let shapes: [(String, (String) -> [String])] = [
      ("plain", { ["verify", "alice", $0] }),
      (
        "session and device, json",
        {
          [
            "verify", "--format", "json", "alice", $0, "--session", "--ttl", "2h", "--idle=10m", "--trust-device",
            "laptop",
            "--device-ttl", "7d",
          ]
        }
      ),
      (
        "recovery, syslog, quiet",
        { ["verify", "--allow-recovery", "alice", "--syslog", $0, "--quiet", "--remember", "--session"] }
      ),
      ("bad window", { ["verify", "alice", $0, "--window", "99"] }),
    ]
    for (name, shape) in shapes {
      // Each path starts from the same fresh user, so state changes do not interfere.
      var results: [RunResult] = []
      for noFast in ["0", "1"] {
        _ = try run(["users", "remove", "alice"])
        try run(["users", "import", "uris"], stdin: "alice\totpauth://totp/t:alice?secret=\(secretA)\n")
        let code = try totp(secretA, at: now)
        // The right code, a wrong one and a malformed one.
        for variant in [code, wrongCode(not: [code]), "12ab"] {
          results.append(try run(shape(variant), env: ["MFACTL_NO_FAST_PATH": noFast]))
        }
      }
      for k in 0..<3 {
        let fast = results[k]
        let slow = results[k + 3]
        XCTAssertEqual(fast.code, slow.code, "\(name) #\(k): exit differs\nfast: \(fast)\nslow: \(slow)")
        // Ids and tokens are random; everything else must match.
        func normalised(_ s: String) -> String {
          s.replacingOccurrences(
            of: #""(authenticator|session|device)":"[0-9a-f]+""#, with: "ID", options: .regularExpression
          )
          .replacingOccurrences(of: #"mfa[sd]_[A-Za-z0-9_-]+"#, with: "TOKEN", options: .regularExpression)
        }
        XCTAssertEqual(normalised(fast.stdout), normalised(slow.stdout), "\(name) #\(k): stdout differs")
        XCTAssertEqual(fast.stderr, slow.stderr, "\(name) #\(k): stderr differs")
        assertNoCrash(fast)
      }
      if name.hasPrefix("session") { XCTAssertTrue(results[0].stdout.contains("device_token"), results[0].stdout) }
    }
  }

  func testFastPathReadsTheCodeFromStdin() throws {
    try initKeyFileVault()
    try run(["users", "import", "uris"], stdin: "alice\totpauth://totp/t:alice?secret=\(secretA)\n")
    let code = try totp(secretA, at: now)
    assertExit(try run(["verify", "alice"], stdin: code + "\n"), 0)
    assertExit(try run(["verify", "alice", "-"], stdin: code + "\n"), 1, "replay")
  }

  /// `sessions check` and `devices check` give the same answers through the fast path
  /// and through ArgumentParser.
  func testCheckFastPathsMatchArgumentParser() throws {
    try initKeyFileVault()
    try run(["users", "import", "uris"], stdin: "alice\totpauth://totp/t:alice?secret=\(secretA)\n")
    let session = try run(["sessions", "create", "alice", "--quiet"]).stdout.trimmingCharacters(
      in: .whitespacesAndNewlines)
    let device = try run(["devices", "trust", "alice", "--name", "laptop", "--quiet"]).stdout.trimmingCharacters(
      in: .whitespacesAndNewlines)
    XCTAssertTrue(session.hasPrefix("mfas_") && device.hasPrefix("mfad_"))
    let calls: [[String]] = [
      ["sessions", "check", session], ["sessions", "check", session, "--format", "json"],
      ["sessions", "check", "mfas_nope"],
      ["sessions", "check", "--bogus"], ["devices", "check", "alice", device],
      ["devices", "check", "alice", "mfad_nope"],
      ["devices", "check", "alice", device, "--format=json"], ["devices", "check", "-bad", device],
    ]
    for args in calls {
      let fast = try run(args)
      let slow = try run(args, env: ["MFACTL_NO_FAST_PATH": "1"])
      XCTAssertEqual(fast.code, slow.code, "\(args): exit differs\nfast: \(fast)\nslow: \(slow)")
      XCTAssertEqual(fast.stdout, slow.stdout, "\(args): stdout differs")
      XCTAssertEqual(fast.stderr, slow.stderr, "\(args): stderr differs")
    }
    // Through stdin as well.
    assertExit(try run(["sessions", "check"], stdin: session + "\n"), 0)
  }

  func testVersionFastPathMatchesArgumentParser() throws {
    let fast = try run(["--version"])
    let slow = try run(["--version"], env: ["MFACTL_NO_FAST_PATH": "1"])
    assertExit(fast, 0)
    XCTAssertEqual(fast.stdout, slow.stdout)
    XCTAssertTrue(fast.stdout.contains("vault format 4"), fast.stdout)
  }
}
