import Foundation
import XCTest

/// What every command owes a script: one error voice on stderr, parseable JSON, no
/// crash text, no colour off a terminal, and stable help/version output.
final class OutputContractTests: CLITestCase {
  func testEveryErrorIsOneLineInTheErrorVoice() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let wrongKey = dir + "/wrong.key"
    try writeBytes(wrongKey, Data(repeating: 7, count: 32))
    let existing = dir + "/exists.png"
    try write(existing, "x")
    let cases: [(args: [String], env: [String: String?], code: Int32)] = [
      (["verify"], [:], 64),
      (["frobnicate"], [:], 64),
      (["enrol", "alice", "--bogus"], [:], 64),
      (["verify", "alice", "1", "2"], [:], 64),
      (["enrol", "alice", "--format", "yaml"], [:], 64),
      (["enrol", "alice", "--digits", "7"], [:], 64),
      (["init", "--kdf", "extreme"], [:], 64),
      (["users", "show", "--", "-x"], [:], 64),
      (["init"], ["MFACTL_PASSPHRASE": "x"], 73),
      (["enrol", "alice", "--qr-png", existing], [:], 73),
      (["enrol", "bob", "--secret", "!!"], [:], 65),
      (["enrol", "bob", "--uri", "otpauth://"], [:], 65),
      (["verify", "nobody", "123456"], [:], 67),
      (["verify", "alice", "123456"], ["MFACTL_VAULT": dir + "/missing.mfa"], 66),
      (["users", "list"], ["MFACTL_KEY_FILE": dir + "/missing.key"], 66),
      (["users", "list"], ["MFACTL_KEY_FILE": wrongKey], 77),
      (["users", "list"], ["MFACTL_KEY_FILE": nil], 77),
      (["vault", "remove-key-file"], [:], 64),
    ]
    for c in cases {
      let r = try run(c.args, env: c.env)
      assertError(r, c.code)
      XCTAssertEqual(r.stdout, "", "errors print nothing on stdout\n\(r)")
      XCTAssertFalse(r.stderr.contains("\u{1B}"), "no colour codes off a terminal\n\(r)")
    }
    // JSON output does not change the error voice.
    assertError(try run(["verify", "nobody", "123456", "--format", "json"]), 67)
    // Lockout (2) speaks the same way.
    for _ in 0..<5 { _ = try run(["verify", "alice", "000000"]) }
    assertError(try run(["verify", "alice", try totp(e.secret, at: now)]), 2, contains: ["until"])
  }

  func testUsageHintPointsAtExistingHelp() throws {
    let r = try run(["frobnicate"])
    assertError(r, 64)
    XCTAssertFalse(r.stderr.contains("mfactl frobnicate --help"), "the hint names a command that does not exist\n\(r)")
    let s = try run(["users", "show"])
    assertError(s, 64)
    XCTAssertTrue(s.stderr.contains("mfactl users show --help"), "the hint names the command that was used\n\(s)")
  }

  func testHelpAndVersion() throws {
    let h = try run(["--help"])
    assertExit(h, 0)
    for word in ["init", "enrol", "verify", "code", "users", "vault"] {
      XCTAssertTrue(h.stdout.contains(word), "--help lists \(word)\n\(h)")
    }
    for code in ["64", "65", "66", "67", "69", "73", "75", "77"] {
      XCTAssertTrue(h.stdout.contains(code), "--help documents exit \(code)")
    }
    let v = try run(["--version"])
    assertExit(v, 0)
    XCTAssertTrue(v.stdout.contains("format 4"), v.description)
    for cmd in [["enrol"], ["users", "diagnose"], ["vault", "rekey"]] {
      assertExit(try run(cmd + ["--help"]), 0)
    }
    // A check command's help is a usage error (ARCHITECTURE.md, Rules, "Fail closed");
    // `mfactl help` gives it.
    assertExit(try run(["verify", "--help"]), 64)
    assertExit(try run(["help", "verify"]), 0)
  }

  func testJSONParsesForEveryCommand() throws {
    func object(
      _ args: [String], _ code: Int32 = 0, env: [String: String?] = [:], stdin: String? = nil,
      file: StaticString = #filePath, line: UInt = #line
    ) throws -> [String: Any] {
      let r = try run(args + ["--format", "json"], stdin: stdin, env: env)
      assertExit(r, code, file: file, line: line)
      XCTAssertEqual(r.lines.count, 1, "one JSON object on one line\n\(r)", file: file, line: line)
      return try XCTUnwrap(r.json, "not a JSON object\n\(r)", file: file, line: line)
    }
    let initJ = try object(["init", "--generate-key-file", keyFile, "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil])
    XCTAssertEqual(initJ["format_version"] as? Int, 4)
    let e = try object(["enrol", "alice"])
    let secret = queryItems(e["uri"] as? String ?? "")["secret"] ?? ""
    let confirm = try object(["enrol", "alice", "--confirm", try totp(secret, at: now)])
    XCTAssertEqual(confirm["result"] as? String, "accepted")
    let h = try object(["enrol", "bob", "--type", "hotp", "--activate"])
    let hs = queryItems(h["uri"] as? String ?? "")["secret"] ?? ""
    XCTAssertEqual(try object(["verify", "bob", try hotp(hs, counter: 0)])["result"] as? String, "accepted")
    let rejected = try run(["verify", "bob", try hotp(hs, counter: 0), "--format", "json"])
    assertExit(rejected, 1)
    XCTAssertEqual(rejected.stdout, "", "a rejection prints nothing on stdout, in JSON too\n\(rejected)")
    XCTAssertNotNil(try object(["code", "alice"])["code"] as? String)
    XCTAssertNotNil(try object(["code", "--secret", secret])["code"] as? String)
    XCTAssertNotNil(try object(["users", "show", "alice"])["id"] as? String)
    let list = try run(["users", "list", "--format", "json"])
    assertExit(list, 0)
    XCTAssertEqual(list.jsonLines?.count, 2, list.description)
    XCTAssertNotNil(try object(["users", "disable", "bob"])["user"])
    XCTAssertNotNil(try object(["users", "enable", "bob"])["user"])
    XCTAssertNotNil(try object(["users", "unlock", "bob"])["user"])
    XCTAssertNotNil(
      try object(["users", "resync", "bob", try hotp(hs, counter: 20), try hotp(hs, counter: 21)])["authenticator"])
    XCTAssertNotNil(try object(["users", "diagnose", "alice", try totp(secret, at: now - 90)])["matches"] as? [Any])
    let extra = try object(["enrol", "alice", "--activate"])
    XCTAssertNotNil(try object(["users", "remove", "alice", "--authenticator", extra["id"] as? String ?? "?"])["user"])
    XCTAssertNotNil(try object(["vault", "info"])["slots"] as? [Any])
    XCTAssertEqual(try object(["vault", "check"])["ok"] as? Bool, true)
    let np = dir + "/np"
    try write(np, "pass\n")
    XCTAssertNotNil(try object(["vault", "passwd", "--new-passphrase-file", np])["vault"])
    XCTAssertNotNil(try object(["vault", "add-key-file", dir + "/second.key"])["key_file"])
    XCTAssertNotNil(try object(["vault", "remove-key-file", dir + "/second.key"])["vault"])
    XCTAssertNotNil(try object(["vault", "rekey", "--drop-other-slots"])["vault"])
    XCTAssertEqual(try object(["users", "remove", "bob"])["removed"] as? Bool, true)
  }

  func testNoColourOffATerminal() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    for (args, env) in [
      (["users", "list"], ["NO_COLOR": nil]), (["users", "show", "alice"], ["NO_COLOR": nil]),
      (["verify", "alice", try totp(e.secret, at: now)], ["NO_COLOR": nil]), (["vault", "info"], ["NO_COLOR": nil]),
      (["enrol", "bob"], ["NO_COLOR": nil]),
    ] as [([String], [String: String?])] {
      let r = try run(args, env: env)
      assertExit(r, 0)
      XCTAssertFalse(r.stdout.contains("\u{1B}") || r.stderr.contains("\u{1B}"), "colour off a terminal\n\(r)")
    }
  }

  func testAllCommandsRunWithoutInheritedEnvironmentLeaking() throws {
    // A vault only reachable through --vault and --key-file (no MFACTL_* at all).
    let v = dir + "/explicit/v.mfa"
    let k = dir + "/explicit.key"
    let clean: [String: String?] = ["MFACTL_VAULT": nil, "MFACTL_KEY_FILE": nil]
    assertExit(try run(["init", "--vault", v, "--generate-key-file", k, "--no-passphrase"], env: clean), 0)
    assertExit(try run(["enrol", "alice", "--vault", v, "--key-file", k, "--activate"], env: clean), 0)
    assertExit(try run(["users", "list", "--vault", v, "--key-file", k], env: clean), 0)
    XCTAssertFalse(exists(vault), "nothing at the MFACTL_VAULT path")
    XCTAssertFalse(exists(dir + "/xdg/mfactl/vault.mfa"), "nothing at the default path")
  }
}
