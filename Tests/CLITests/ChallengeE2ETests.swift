import Foundation
import XCTest

/// Issue 3, challenge codes (the email/SMS path): `challenge send`, accepted by `verify`
/// (docs/guide.md, "Challenge codes (email, SMS)").
final class ChallengeE2ETests: CLITestCase {
  var secret = ""
  let minute = CLITestCase.minute

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    secret = try enrol("alice").secret
  }

  /// A delivery script: the message on stdin goes to OUT/msg, $MFACTL_USER to OUT/user,
  /// its second argument to OUT/arg; it exits with its third argument (default 0).
  func deliveryScript() throws -> String {
    let path = dir + "/deliver.sh"
    try write(
      path,
      """
      out="$1"
      cat > "$out/msg"
      printf '%s' "$MFACTL_USER" > "$out/user"
      printf '%s' "$2" > "$out/arg"
      exit "${3:-0}"

      """)
    return path
  }

  func delivered(_ name: String) -> String { String(decoding: bytes(dir + "/" + name) ?? Data(), as: UTF8.self) }

  /// The 6-digit code in a delivered message.
  func code(in message: String) -> String {
    guard let r = message.range(of: "[0-9]{6}", options: .regularExpression) else { return "" }
    return String(message[r])
  }

  func verify(_ user: String, _ code: String, at t: Int64? = nil, json: Bool = false) throws -> RunResult {
    try run(["verify", user, code] + (json ? ["--format", "json"] : []), at: t)
  }

  // MARK: Without a delivery command

  func testCodeOnStdoutWorksOnce() throws {
    let code = try sendChallenge("alice")
    let r = try verify("alice", code, json: true)
    assertExit(r, 0)
    XCTAssertEqual(r.json?["method"] as? String, "challenge", r.description)
    let again = try verify("alice", code)
    assertExit(again, 1, "a challenge code works once")
    assertNotOnStderr([code], again)
    let j = try run(["challenge", "send", "alice", "--format", "json"])
    assertExit(j, 0)
    let jc = j.json?["code"] as? String ?? ""
    XCTAssertTrue(matches(jc, "^[0-9]{6}$"), j.description)
    assertNotOnDisk([code, jc])
    assertExit(try verify("alice", jc), 0)
    assertError(try run(["challenge", "send", "nobody"]), 67)
  }

  // MARK: Delivery

  func testDeliverCommandGetsTheMessageOnStdinWithoutAShell() throws {
    let script = try deliveryScript()
    let r = try run(["challenge", "send", "alice", "--deliver", "sh \(script) \(dir) 'a;b $HOME `id`'"])
    assertExit(r, 0)
    let message = delivered("msg")
    let code = code(in: message)
    XCTAssertTrue(matches(code, "^[0-9]{6}$"), "the message holds the code\n\(message)")
    XCTAssertTrue(message.contains("alice"), message)
    XCTAssertEqual(delivered("user"), "alice", "MFACTL_USER is set for the command")
    XCTAssertEqual(delivered("arg"), "a;b $HOME `id`", "no shell: arguments arrive as written")
    assertNotOnStdout([code], r)
    assertNotOnStderr([code], r)
    assertExit(try verify("alice", code), 0)
    assertExit(try verify("alice", code), 1)
  }

  func testDeliverFromTheEnvironment() throws {
    let script = try deliveryScript()
    let r = try run(["challenge", "send", "alice"], env: ["MFACTL_DELIVER": "sh \(script) \(dir) x"])
    assertExit(r, 0)
    let code = code(in: delivered("msg"))
    XCTAssertTrue(matches(code, "^[0-9]{6}$"), delivered("msg"))
    assertNotOnStdout([code], r)
    assertExit(try verify("alice", code), 0)
    // --deliver wins over the environment.
    let other = dir + "/other"
    try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
    assertExit(
      try run(
        ["challenge", "send", "alice", "--deliver", "sh \(script) \(other) y"],
        env: ["MFACTL_DELIVER": "sh \(script) \(dir) x"]), 0)
    XCTAssertEqual(delivered("other/arg"), "y")
    XCTAssertEqual(delivered("arg"), "x")
  }

  func testFailingDeliveryIs74AndLeavesNoLiveCode() throws {
    let r = try run(["challenge", "send", "alice", "--deliver", "false"])
    assertError(r, 74)
    // A command that takes the message, then fails: its code must not work.
    let script = try deliveryScript()
    let f = try run(["challenge", "send", "alice", "--deliver", "sh \(script) \(dir) x 3"])
    assertError(f, 74)
    let code = code(in: delivered("msg"))
    XCTAssertTrue(matches(code, "^[0-9]{6}$"), delivered("msg"))
    assertNotOnStderr([code], f)
    assertNotOnStdout([code], f)
    assertExit(try verify("alice", code), 1, "an undelivered code is not accepted")
    assertError(try run(["challenge", "send", "alice", "--deliver", dir + "/no-such-program"]), 74)
  }

  // MARK: Limits

  func testFourthSendWithinTenMinutesIsThrottled() throws {
    var codes: [String] = []
    for i: Int64 in 0..<3 { codes.append(try sendChallenge("alice", at: now + i * minute)) }
    let r = try run(["challenge", "send", "alice"], at: now + 3 * minute)
    assertError(r, 2)
    XCTAssertEqual(r.stdout, "", "no code when throttled\n\(r)")
    assertExit(try run(["challenge", "send", "alice"], at: now + 10 * minute - 1), 2)
    let later = try sendChallenge("alice", at: now + 10 * minute + 1)
    // The earlier codes stayed good while throttled (the third is still live here).
    assertExit(try verify("alice", codes[2], at: now + 10 * minute + 2), 0)
    assertExit(try verify("alice", later, at: now + 10 * minute + 32), 0)
  }

  func testCodeExpiresAfterTenMinutesOrTTL() throws {
    let a = try sendChallenge("alice")
    let b = try sendChallenge("alice")
    assertExit(try verify("alice", a, at: now + 10 * minute - 1), 0, "valid just under 10 min")
    assertExit(try verify("alice", b, at: now + 10 * minute + 1), 1, "expired after 10 min")

    let t = now + 20 * minute
    let c = try sendChallenge("alice", ["--ttl", "2m"], at: t)
    let d = try sendChallenge("alice", ["--ttl", "2m"], at: t)
    assertExit(try verify("alice", c, at: t + 2 * minute - 1), 0)
    assertExit(try verify("alice", d, at: t + 2 * minute + 1), 1, "expired after --ttl 2m")
    for bad in ["25h", "soon", "0"] {
      assertError(try run(["challenge", "send", "alice", "--ttl", bad]), 64)
    }
  }

  func testThreeWrongTriesKillAChallenge() throws {
    let a = try sendChallenge("alice")
    let wrongA = try wrongSixDigits(secret: secret, at: now, not: [a])
    for _ in 0..<2 { assertExit(try verify("alice", wrongA), 1) }
    assertExit(try verify("alice", a), 0, "two wrong tries leave the challenge alive")

    let b = try sendChallenge("alice")
    let wrongB = try wrongSixDigits(secret: secret, at: now, not: [b])
    for _ in 0..<3 { assertExit(try verify("alice", wrongB), 1) }
    let dead = try verify("alice", b)
    assertExit(dead, 1, "three wrong tries killed the challenge")
    assertNotOnStderr([b], dead)
  }

  // MARK: With and without an authenticator

  func testChallengeAndAuthenticatorCodesBothWork() throws {
    let c = try sendChallenge("alice")
    let r = try verify("alice", try totp(secret, at: now), json: true)
    assertExit(r, 0)
    XCTAssertEqual(r.json?["method"] as? String, "totp", r.description)
    let t = now + 30
    let j = try verify("alice", c, at: t, json: true)
    assertExit(j, 0)
    XCTAssertEqual(j.json?["method"] as? String, "challenge", j.description)
    assertExit(try verify("alice", try totp(secret, at: t + 30), at: t + 30), 0)
  }

  func testUserWithoutAuthenticatorVerifiesWithAChallenge() throws {
    try enrol("bob", activate: false)  // pending only: no active authenticator
    let c = try sendChallenge("bob")
    let wrong = wrongCode(not: [c])
    assertExit(try verify("bob", wrong), 1)
    XCTAssertEqual(try failures("bob"), 1, "a wrong challenge code counts")
    let r = try verify("bob", c, json: true)
    assertExit(r, 0)
    XCTAssertEqual(r.json?["method"] as? String, "challenge", r.description)
    XCTAssertEqual(try failures("bob"), 0)
    // Used up: with nothing left to check it against, the code is not accepted.
    assertExit(try verify("bob", c), 1)
  }

  func testChallengeFailuresAloneLockAUserOut() throws {
    try enrol("bob", activate: false)
    // Three codes (the send limit); each wrong try is charged to every live one.
    let codes = try (0..<3).map { _ in try sendChallenge("bob") }
    let wrong = wrongCode(not: codes)
    for i in 1...3 {
      assertExit(try verify("bob", wrong), 1)
      XCTAssertEqual(try failures("bob"), i)
    }
    // The challenges are dead now; recovery failures add to the same counter.
    try generateRecoveryCodes("bob", count: 2)
    assertExit(try run(["recovery-codes", "use", "bob", "00000-00000"]), 1)
    assertExit(try run(["recovery-codes", "use", "bob", "11111-11111"]), 1)
    XCTAssertEqual(try failures("bob"), 5)
    XCTAssertEqual(try show("bob")["state"] as? String, "locked")
  }
}
