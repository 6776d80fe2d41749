import Foundation
import XCTest

final class CodeTests: CLITestCase {
  func testCodeForUserMatchesOathtoolChangesNoStateAndIsAudited() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--algorithm", "SHA256", "--digits", "8"])
    let before = try show("alice")
    let r = try run(["code", "alice"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines, [try totp(e.secret, at: now, algorithm: "SHA256", digits: 8)])
    XCTAssertEqual(
      NSDictionary(dictionary: try show("alice")), NSDictionary(dictionary: before), "code changes no user state")
    // Reading a secret is audited (docs/guide.md, "Audit log"), without the code itself.
    let log = try run(["audit", "list", "--event", "code.shown", "--format", "json"])
    assertExit(log, 0)
    XCTAssertEqual(log.jsonLines?.count, 1, log.description)
    XCTAssertFalse(log.stdout.contains(r.lines.first ?? "-"), "the code is not in the audit log")
    // The printed code is still accepted by verify (code does not use it up).
    assertExit(try run(["verify", "alice", r.lines.first ?? ""]), 0)
  }

  func testCodeForHOTPUserIsTheNextCounter() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 3)]), 0)
    let r = try run(["code", "alice", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["code"] as? String, try hotp(e.secret, counter: 4), r.description)
    XCTAssertEqual(r.json?["counter"] as? Int, 4, r.description)
  }

  func testCodeFromSecretEqualsOathtoolWithoutAVault() throws {
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    // No vault and no key are needed.
    let env: [String: String?] = ["MFACTL_KEY_FILE": nil, "MFACTL_VAULT": dir + "/none.mfa"]
    for t: Int64 in [59, 1_111_111_109, 1_234_567_890, 2_000_000_000, now] {
      let r = try run(["code", "--secret", secret], env: env, at: t)
      assertExit(r, 0)
      XCTAssertEqual(r.lines, [try totp(secret, at: t)], "at \(t)")
    }
    for alg in ["SHA1", "SHA256", "SHA512"] {
      let r = try run(["code", "--secret", secret, "--algorithm", alg, "--digits", "8", "--period", "60"], env: env)
      assertExit(r, 0)
      XCTAssertEqual(r.lines, [try totp(secret, at: now, algorithm: alg, digits: 8, period: 60)], alg)
    }
    let h = try run(["code", "--secret", secret, "--counter", "7"], env: env)
    assertExit(h, 0)
    XCTAssertEqual(h.lines, [try hotp(secret, counter: 7)])
    let stdin = try run(["code", "--secret", "-"], stdin: secret + "\n", env: env)
    assertExit(stdin, 0)
    XCTAssertEqual(stdin.lines, [try totp(secret, at: now)])
    XCTAssertFalse(exists(dir + "/none.mfa"))
  }

  func testCodeFromURI() throws {
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    let uri = "otpauth://totp/X:alice?secret=\(secret)&issuer=X&algorithm=SHA512&digits=8&period=60"
    let r = try run(["code", "--uri", uri], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    XCTAssertEqual(r.lines, [try totp(secret, at: now, algorithm: "SHA512", digits: 8, period: 60)])
    let h = try run(["code", "--uri", "-"], stdin: "otpauth://hotp/X:a?secret=\(secret)&counter=42\n")
    assertExit(h, 0)
    XCTAssertEqual(h.lines, [try hotp(secret, counter: 42)])
    let j = try run(["code", "--uri", uri, "--format", "json"])
    assertExit(j, 0)
    XCTAssertEqual(j.json?["code"] as? String, r.lines.first, j.description)
  }

  func testCodeErrors() throws {
    assertError(try run(["code"]), 64)
    assertError(try run(["code", "alice", "--secret", "JBSWY3DPEHPK3PXP"]), 64)
    assertError(try run(["code", "--secret", "not base32!"]), 65)
    assertError(try run(["code", "--uri", "otpauth://totp/x?digits=6"]), 65)
    assertError(try run(["code", "--secret", "JBSWY3DPEHPK3PXP", "--digits", "7"]), 64)
    assertError(try run(["code", "alice"]), 66)
  }

  func testSecretParametersAreRefusedWithAUserOrURI() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    for extra in [["--digits", "8"], ["--algorithm", "SHA256"], ["--period", "60"], ["--counter", "3"]] {
      assertError(try run(["code", "alice"] + extra), 64, contains: ["--secret"])
      assertError(try run(["code", "--uri", e.uri] + extra), 64)
    }
    assertError(try run(["code", "--secret", e.secret, "--id", e.id]), 64)
  }

  func testEmptyPassphraseVariableCountsAsUnset() throws {
    try initKeyFileVault()
    // With a key file also set, an empty $MFACTL_PASSPHRASE changes nothing...
    assertExit(try run(["users", "list"], env: ["MFACTL_PASSPHRASE": ""]), 0)
    // ...and alone it is no key at all (77 naming the options), not a wrong passphrase.
    let r = try run(["users", "list"], env: ["MFACTL_PASSPHRASE": "", "MFACTL_KEY_FILE": nil])
    assertError(r, 77, contains: ["no key"])
  }
}
