import Foundation
import XCTest

/// docs/guide.md, "Users": after 5 consecutive failures a user is locked for 1 min,
/// doubling on each further failure while locked out, up to 1 h; success resets; `users
/// unlock` clears it; a try made while locked is refused with exit 2 without its code
/// being checked, and counts as a further failure.
final class LockoutTests: CLITestCase {
  var secret = ""

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    secret = try enrol("alice").secret
  }

  func rfc3339(_ t: Int64) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
    return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
  }

  /// A wrong code at time t (not any code of the window).
  func wrong(at t: Int64) throws -> String {
    wrongCode(not: try [-60, -30, 0, 30, 60].map { try totp(secret, at: t + Int64($0)) })
  }

  func lockedUntil(at t: Int64) throws -> String? {
    try show("alice", at: t)["locked_until"] as? String
  }

  func fail(_ n: Int, at t: Int64, file: StaticString = #filePath, line: UInt = #line) throws {
    let bad = try wrong(at: t)
    for _ in 0..<n { assertExit(try run(["verify", "alice", bad], at: t), 1, file: file, line: line) }
  }

  func testFifthFailureLocksForOneMinute() throws {
    try fail(4, at: now)
    XCTAssertEqual(try failures("alice"), 4)
    XCTAssertNil(try lockedUntil(at: now), "not locked after 4 failures")
    let r = try run(["verify", "alice", try wrong(at: now), "--format", "json"])
    assertExit(r, 1, "the 5th failure is still a rejection")
    XCTAssertEqual(try failures("alice"), 5)
    XCTAssertEqual(try lockedUntil(at: now), rfc3339(now + 60))
    XCTAssertEqual(try show("alice")["state"] as? String, "locked")
  }

  func testTryWhileLockedIsExit2EvenWithCorrectCode() throws {
    try fail(5, at: now)
    let good = try totp(secret, at: now)
    let r = try run(["verify", "alice", good])
    assertError(r, 2, contains: ["until", rfc3339(now + 120)])
    XCTAssertEqual(try failures("alice"), 6, "a try while locked counts as a failure")
    let j = try run(["verify", "alice", good, "--format", "json"])
    assertExit(j, 2)
    XCTAssertEqual(j.stdout, "", "a refusal prints nothing on stdout, in JSON too\n\(j)")
    XCTAssertTrue(j.stderr.contains(rfc3339(now + 240)), j.description)
    // The code was never checked, so after an unlock it is still unused.
    assertExit(try run(["users", "unlock", "alice"]), 0)
    assertExit(try run(["verify", "alice", good]), 0)
  }

  func testCorrectCodeAcceptedAfterTheMinuteAndResets() throws {
    try fail(5, at: now)
    let early = now + 59
    let r = try run(["verify", "alice", try totp(secret, at: early)], at: early)
    assertError(r, 2, contains: ["until"])
    try run(["users", "unlock", "alice"])
    try fail(5, at: now)
    let t = now + 60
    assertExit(try run(["verify", "alice", try totp(secret, at: t)], at: t), 0, "the lock has run out at +60 s")
    let s = try show("alice", at: t)
    XCTAssertEqual(s["failures"] as? Int, 0, "success resets the failure count")
    XCTAssertTrue(s["locked_until"] is NSNull)
    // A fresh count: four failures do not lock again.
    try fail(4, at: t + 30)
    XCTAssertNil(try lockedUntil(at: t + 30))
  }

  func testLockDoublesWhileLockedCappedAtOneHour() throws {
    try fail(5, at: now)
    XCTAssertEqual(try lockedUntil(at: now), rfc3339(now + 60))
    let good = try totp(secret, at: now)
    var expected: Int64 = 60
    for n in 6...13 {
      expected = min(expected * 2, 3600)
      assertExit(try run(["verify", "alice", good]), 2, "try \(n)")
      XCTAssertEqual(try failures("alice"), n)
      XCTAssertEqual(try lockedUntil(at: now), rfc3339(now + expected), "after \(n) failures")
    }
    XCTAssertEqual(expected, 3600)
    XCTAssertEqual(try lockedUntil(at: now), rfc3339(now + 3600), "capped at 1 h")
  }

  func testUnlockClearsIt() throws {
    try fail(5, at: now)
    let bad = try wrong(at: now)
    assertExit(try run(["verify", "alice", bad]), 2)
    assertExit(try run(["verify", "alice", bad]), 2)
    XCTAssertEqual(try failures("alice"), 7)
    let r = try run(["users", "unlock", "alice", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["failures"] as? Int, 0, r.description)
    let s = try show("alice")
    XCTAssertEqual(s["failures"] as? Int, 0)
    XCTAssertTrue(s["locked_until"] is NSNull)
    XCTAssertEqual(s["state"] as? String, "active")
    assertExit(try run(["verify", "alice", try totp(secret, at: now)]), 0)
  }

  func testSuccessResetsTheCount() throws {
    try fail(4, at: now)
    assertExit(try run(["verify", "alice", try totp(secret, at: now)]), 0)
    XCTAssertEqual(try failures("alice"), 0)
    try fail(4, at: now)
    XCTAssertNil(try lockedUntil(at: now))
  }

  func testReplaysCountAsFailures() throws {
    let good = try totp(secret, at: now)
    assertExit(try run(["verify", "alice", good]), 0)
    for _ in 0..<5 { assertExit(try run(["verify", "alice", good]), 1) }
    XCTAssertEqual(try lockedUntil(at: now), rfc3339(now + 60))
  }

  func testDiagnoseAndConfirmFailuresShareTheCounter() throws {
    try fail(2, at: now)
    // A wrong confirmation of a second, pending authenticator.
    let pending = try enrol("alice", activate: false)
    let confirmCode = wrongCode(not: try [-30, 0, 30].map { try totp(pending.secret, at: now + Int64($0)) })
    assertExit(try run(["enrol", "alice", "--confirm", confirmCode]), 1)
    XCTAssertEqual(try failures("alice"), 3)
    // diagnose counts as a failed attempt.
    _ = try run(["users", "diagnose", "alice", try totp(secret, at: now - 600)])
    XCTAssertEqual(try failures("alice"), 4)
    try fail(1, at: now)
    XCTAssertEqual(try lockedUntil(at: now), rfc3339(now + 60))
  }

  func testLockoutIsPerUser() throws {
    let bob = try enrol("bob")
    try fail(5, at: now)
    assertExit(try run(["verify", "bob", try totp(bob.secret, at: now)]), 0)
  }
}
