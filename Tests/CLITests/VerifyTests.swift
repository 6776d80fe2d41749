import Foundation
import XCTest

final class VerifyTests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  // MARK: Where the code comes from

  func testCodeFromArgument() throws {
    let e = try enrol("alice")
    let r = try run(["verify", "alice", try totp(e.secret, at: now)])
    assertExit(r, 0)
    XCTAssertTrue(r.stderr.isEmpty, r.description)
  }

  func testCodeFromStdinWhenAbsent() throws {
    let e = try enrol("alice")
    let r = try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n")
    assertExit(r, 0)
  }

  func testCodeFromStdinWithDash() throws {
    let e = try enrol("alice")
    assertExit(try run(["verify", "alice", "-"], stdin: try totp(e.secret, at: now) + "\n"), 0)
    // CRLF line endings and no final newline work too.
    let t2 = now + 30
    assertExit(try run(["verify", "alice", "-"], stdin: try totp(e.secret, at: t2) + "\r\n", at: t2), 0)
    let t3 = now + 60
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: t3), at: t3), 0)
  }

  func testEmptyStdinIsNotAnAttempt() throws {
    try enrol("alice")
    let before = vaultState()
    let r = try run(["verify", "alice"], stdin: "")
    XCTAssertNotEqual(r.code, 0)
    XCTAssertNotEqual(r.code, 1, "end of input is not a rejected code\n\(r)")
    assertError(r, r.code)
    XCTAssertEqual(vaultState(), before)
  }

  func testArgumentShapesAScriptMightUse() throws {
    let e = try enrol("alice")
    let env: [String: String?] = ["MFACTL_KEY_FILE": nil, "MFACTL_VAULT": nil]
    var t = now
    func next() throws -> String {
      t += 30
      return try totp(e.secret, at: t)
    }
    let shapes: [(String) -> [String]] = [
      { ["verify", "--vault", self.vault, "--key-file", self.keyFile, "alice", $0] },
      { ["verify", "alice", $0, "--vault=\(self.vault)", "--key-file=\(self.keyFile)", "--format=json"] },
      {
        ["verify", "--format", "json", "--window", "2", "--vault", self.vault, "alice", "--key-file", self.keyFile, $0]
      },
      {
        [
          "verify", "--quiet", "--actor", "pam", "--ip", "192.0.2.1", "--user-agent", "sshd", "--vault", self.vault,
          "--key-file", self.keyFile, "alice", "--", $0,
        ]
      },
    ]
    for shape in shapes {
      let code = try next()
      let r = try run(shape(code), env: env, at: t)
      assertExit(r, 0, "shape \(shape(code))")
      if shape(code).contains(where: { $0.hasPrefix("--format") }) {
        XCTAssertEqual(r.json?["result"] as? String, "accepted", r.description)
      }
    }
    // Not valid shapes: usage errors, and nothing is changed.
    let before = vaultState()
    for bad in [
      ["verify", "alice", "123456", "--window"], ["verify", "alice", "123456", "--window", "x"],
      ["verify", "alice", "123456", "--format", "xml"], ["verify", "alice", "123456", "--nope"],
      ["verify", "alice", "123456", "--quiet=yes"], ["verify", "alice", "1", "2"],
      ["verify", "--", "-alice", "123456"],
    ] {
      assertError(try run(bad), 64)
    }
    XCTAssertEqual(vaultState(), before)
  }

  // MARK: Accept, reject, replay

  func testWrongCodeRejected() throws {
    let e = try enrol("alice")
    let good = try totp(e.secret, at: now)
    let r = try run([
      "verify", "alice", wrongCode(not: [good, try totp(e.secret, at: now - 30), try totp(e.secret, at: now + 30)]),
    ])
    assertExit(r, 1)
    XCTAssertEqual(r.stderrLines.count, 1, r.description)
    XCTAssertEqual(try failures("alice"), 1)
  }

  func testReplayOfSameCodeRejected() throws {
    let e = try enrol("alice")
    let code = try totp(e.secret, at: now)
    assertExit(try run(["verify", "alice", code]), 0)
    let r = try run(["verify", "alice", code, "--format", "json"])
    assertExit(r, 1)
    XCTAssertEqual(r.stdout, "", "a rejection prints nothing on stdout\n\(r)")
    XCTAssertTrue(r.stderr.contains("already used"), "the reason goes to stderr: a replay\n\(r)")
    // Still refused a few seconds later, within the same step.
    assertExit(try run(["verify", "alice", code], at: now + 10), 1)
  }

  func testEarlierStepAfterLaterOneRejected() throws {
    let e = try enrol("alice")
    let next = try totp(e.secret, at: now + 30)
    let current = try totp(e.secret, at: now)
    assertExit(try run(["verify", "alice", next]), 0)
    assertExit(try run(["verify", "alice", current]), 1, "a step before an accepted one is never accepted")
  }

  func testOneStepEitherSideAcceptedTwoRejected() throws {
    let cases: [(Int64, Int32)] = [(-30, 0), (30, 0), (-60, 1), (60, 1), (0, 0), (-90, 1), (90, 1)]
    for (i, (delta, expected)) in cases.enumerated() {
      let user = "u\(i)"
      let e = try enrol(user)
      let code = try totp(e.secret, at: now + delta)
      // A code that happens to repeat inside the window would make the case meaningless.
      let window = try [-30, 0, 30].map { try totp(e.secret, at: now + Int64($0)) }
      if expected == 1 && window.contains(code) { continue }
      assertExit(try run(["verify", user, code]), expected, "offset \(delta) s")
    }
  }

  func testWindowIsInStepsOfTheAuthenticatorsPeriod() throws {
    let a = try enrol("alice", ["--period", "60"])
    assertExit(try run(["verify", "alice", try totp(a.secret, at: now + 60, period: 60)]), 0, "+1 step of 60 s")
    let b = try enrol("bob", ["--period", "60"])
    let far = try totp(b.secret, at: now + 120, period: 60)
    let window = try [-60, 0, 60].map { try totp(b.secret, at: now + Int64($0), period: 60) }
    if !window.contains(far) {
      assertExit(try run(["verify", "bob", far]), 1, "+2 steps of 60 s")
    }
  }

  func testWindowOption() throws {
    let a = try enrol("alice")
    assertExit(try run(["verify", "alice", try totp(a.secret, at: now + 60), "--window", "2"]), 0)
    let b = try enrol("bob")
    assertExit(try run(["verify", "bob", try totp(b.secret, at: now - 60), "--window", "2"]), 0)
    let c = try enrol("carol")
    let code = try totp(c.secret, at: now + 30)
    let centre = try totp(c.secret, at: now)
    if code != centre {
      assertExit(try run(["verify", "carol", code, "--window", "0"]), 1, "--window 0: only the current step")
    }
    assertExit(try run(["verify", "carol", centre, "--window", "0"]), 0)
    assertError(try run(["verify", "carol", centre, "--window", "-1"]), 64)
    assertError(try run(["verify", "carol", centre, "--window", "1000"]), 64)
  }

  func testDriftIsRememberedAndCentresTheNextWindow() throws {
    let e = try enrol("alice")
    // The device runs one step ahead.
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now + 30)]), 0)
    let auth = (try show("alice")["authenticators"] as? [[String: Any]])?.first
    XCTAssertEqual(auth?["drift_steps"] as? Int, 1)
    // Later, two steps ahead of the server is one step from the remembered centre.
    let later = now + 300
    assertExit(try run(["verify", "alice", try totp(e.secret, at: later + 60)], at: later), 0)
  }

  func testPendingAuthenticatorNotAccepted() throws {
    let e = try enrol("alice", activate: false)
    let code = try totp(e.secret, at: now)
    assertExit(try run(["verify", "alice", code]), 1)
    assertExit(try run(["enrol", "alice", "--confirm", code]), 0)
    let later = now + 30
    assertExit(try run(["verify", "alice", try totp(e.secret, at: later)], at: later), 0)
  }

  // MARK: Cross-checked with oathtool

  func testOathtoolCodesAcceptedForEveryAlgorithmAndLength() throws {
    let configs: [(alg: String, digits: Int, period: Int)] = [
      ("SHA1", 6, 30), ("SHA256", 6, 30), ("SHA512", 6, 30), ("SHA1", 8, 30), ("SHA256", 8, 60), ("SHA512", 8, 45),
    ]
    for (i, c) in configs.enumerated() {
      let user = "user\(i)"
      let e = try enrol(user, ["--algorithm", c.alg, "--digits", String(c.digits), "--period", String(c.period)])
      for k in 0..<3 {
        let t = now + Int64(k * c.period * 7 + 3)
        let code = try totp(e.secret, at: t, algorithm: c.alg, digits: c.digits, period: c.period)
        XCTAssertEqual(code.count, c.digits)
        assertExit(try run(["verify", user, code], at: t), 0, "\(c) at \(t)")
      }
    }
  }

  func testHOTPLookAheadAndCounterMovesForward() throws {
    let e = try enrol("alice", ["--type", "hotp"])
    let c10 = try hotp(e.secret, counter: 10)
    let c11 = try hotp(e.secret, counter: 11)
    let lookahead = try (0...10).map { try hotp(e.secret, counter: $0) }
    if !lookahead.contains(c11) {
      assertExit(try run(["verify", "alice", c11]), 1, "counter 11 is beyond c+10")
    }
    assertExit(try run(["verify", "alice", c10]), 0, "counter 10 is c+10")
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.first?["counter"] as? Int, 11)
    // Lower counters are used up.
    let c5 = try hotp(e.secret, counter: 5)
    let live = try (11...21).map { try hotp(e.secret, counter: $0) }
    if !live.contains(c5) {
      assertExit(try run(["verify", "alice", c5]), 1, "the counter only moves forward")
    }
    assertExit(try run(["verify", "alice", c10]), 1, "replay")
    assertExit(try run(["verify", "alice", c11]), 0, "counter 11 is next now")
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 12)]), 0)
  }

  func testHOTPEightDigitsCrossChecked() throws {
    let e = try enrol("alice", ["--type", "hotp", "--digits", "8"])
    for n: UInt64 in [0, 3, 4, 14] {
      assertExit(try run(["verify", "alice", try hotp(e.secret, counter: n, digits: 8)]), 0, "counter \(n)")
    }
  }

  // MARK: Bad input and missing things

  func testMalformedCodeIsAWrongCodeCountedAndAudited() throws {
    try enrol("alice")
    // A typo is a wrong code (docs/guide.md, "Exit codes", 1): exit 1, one failure each.
    var expected = 0
    for code in ["12ab", "12345", "1234567", "123456789", "abcdef", "12-456", "12345678"] {
      if expected == 4 {
        assertExit(try run(["users", "unlock", "alice"]), 0)
        expected = 0
      }
      let r = try run(["verify", "alice", code])
      assertExit(r, 1, "malformed code \(code)")
      XCTAssertTrue(r.stderr.contains("code rejected for alice: malformed"), r.description)
      XCTAssertFalse(r.stderr.contains(code), "the code is never echoed\n\(r)")
      expected += 1
      XCTAssertEqual(try failures("alice"), expected, "malformed code \(code) counts as a failure")
    }
  }

  func testUnknownUserIs67() throws {
    try enrol("alice")
    let before = vaultState()
    assertError(try run(["verify", "bob", "123456"]), 67, contains: ["bob"])
    XCTAssertEqual(vaultState(), before)
  }

  func testMissingVaultIs66WithInitHint() throws {
    let r = try run(["verify", "alice", "123456"], env: ["MFACTL_VAULT": dir + "/nowhere/vault.mfa"])
    assertError(r, 66, contains: ["mfactl init"])
    XCTAssertFalse(exists(dir + "/nowhere"), "a failed verify creates nothing")
  }

  func testWrongKeyFileIs77AndVaultUnchanged() throws {
    let e = try enrol("alice")
    let before = vaultState()
    let wrong = dir + "/wrong.key"
    try writeBytes(wrong, Data((0..<32).map { UInt8($0) }))
    let r = try run(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_KEY_FILE": wrong])
    assertError(r, 77)
    XCTAssertEqual(vaultState(), before)
    let r2 = try run(
      ["verify", "alice", try totp(e.secret, at: now), "--key-file", wrong], env: ["MFACTL_KEY_FILE": nil])
    assertError(r2, 77)
    XCTAssertEqual(vaultState(), before)
  }

  func testMissingKeyFileIsNotFound() throws {
    try enrol("alice")
    let r = try run(["verify", "alice", "123456"], env: ["MFACTL_KEY_FILE": dir + "/no.key"])
    assertError(r, 66, contains: ["no.key"])
  }

  func testNoKeySourceIs77NamingTheOptions() throws {
    let e = try enrol("alice")
    let before = vaultState()
    let r = try run(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_KEY_FILE": nil])
    // The vault has only a key-file slot, so only the key-file sources are named.
    assertError(r, 77, contains: ["--key-file", "$MFACTL_KEY_FILE", "only key-file slots"])
    XCTAssertFalse(r.stderr.contains("passphrase"), "a passphrase cannot open this vault\n\(r)")
    XCTAssertEqual(vaultState(), before)
    // Same when the code comes from stdin (which is then not free for a prompt anyway).
    let r2 = try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n", env: ["MFACTL_KEY_FILE": nil])
    assertError(r2, 77, contains: ["--key-file"])
  }

  func testPassphraseVault() throws {
    let v = dir + "/p/vault.mfa"
    let env: [String: String?] = ["MFACTL_VAULT": v, "MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "pw one"]
    assertExit(try run(["init"], env: env), 0)
    let r = try run(["enrol", "alice", "--activate", "--format", "json"], env: env)
    assertExit(r, 0)
    let secret = queryItems(try XCTUnwrap(r.json?["uri"] as? String))["secret"]!
    let before = bytes(v)
    var wrong = env
    wrong["MFACTL_PASSPHRASE"] = "pw two"
    assertError(try run(["verify", "alice", try totp(secret, at: now)], env: wrong), 77)
    XCTAssertEqual(bytes(v), before)
    // Code on stdin, passphrase from the environment.
    assertExit(try run(["verify", "alice"], stdin: try totp(secret, at: now) + "\n", env: env), 0)
  }

  func testJSONResult() throws {
    let e = try enrol("alice")
    let ok = try run(["verify", "alice", try totp(e.secret, at: now), "--format", "json"])
    assertExit(ok, 0)
    let j = try XCTUnwrap(ok.json, ok.description)
    XCTAssertEqual(j["result"] as? String, "accepted")
    XCTAssertEqual(j["authenticator"] as? String, e.id)
    XCTAssertEqual(j["user"] as? String, "alice")
    let bad = try run(["verify", "alice", "000000", "--format", "json"], at: now + 300)
    assertExit(bad, 1)
    XCTAssertEqual(bad.stdout, "", "a rejection prints nothing on stdout, in JSON too\n\(bad)")
    XCTAssertEqual(try failures("alice", at: now + 300), 1)
  }

  func testSuccessRecordsLastSuccess() throws {
    let e = try enrol("alice")
    XCTAssertTrue(try show("alice")["last_success"] is NSNull)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
    XCTAssertEqual(try show("alice")["last_success"] as? String, "2023-11-14T22:13:45Z")
  }
}
