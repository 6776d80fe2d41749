import Foundation
import XCTest

/// Issue 3, across features: disabling or removing a user, or removing one of its
/// authenticators, revokes its sessions and trusted devices (docs/guide.md, "Sessions");
/// and one lockout counter for authenticator, recovery and challenge codes
/// (docs/guide.md, "Users").
final class CascadeE2ETests: CLITestCase {
  var alice: Enrolled!

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    alice = try enrol("alice")
    try enrol("bob")
  }

  struct Access {
    var sessions: [String]
    var devices: [String]
  }

  func access(_ user: String) throws -> Access {
    Access(
      sessions: [try newSession(user).token, try newSession(user, ["--remember"]).token],
      devices: [try newDevice(user, name: "laptop").token, try newDevice(user, name: "phone").token])
  }

  func assertAccess(
    _ user: String, _ a: Access, _ expected: Int32, _ why: String, file: StaticString = #filePath, line: UInt = #line
  )
    throws
  {
    for s in a.sessions { try checkSession(s, expected, why, file: file, line: line) }
    for d in a.devices { try checkDevice(user, d, expected, why, file: file, line: line) }
  }

  // MARK: Revocation cascades

  func testDisableRevokesSessionsAndDevicesForGood() throws {
    let a = try access("alice")
    let b = try access("bob")
    try assertAccess("alice", a, 0, "live before")
    assertExit(try run(["users", "disable", "alice"]), 0)
    try assertAccess("alice", a, 1, "disabled")
    XCTAssertEqual(try listedIDs(["sessions", "list", "alice"]), [])
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"]), [])
    assertExit(try run(["users", "enable", "alice"]), 0)
    try assertAccess("alice", a, 1, "revoked, not suspended: enabling again does not bring them back")
    try assertAccess("bob", b, 0, "bob is not touched")
    // New ones work after enabling.
    try checkSession(try newSession("alice").token, 0)
  }

  func testNothingNewWhileDisabled() throws {
    try generateRecoveryCodes("alice", count: 2)
    assertExit(try run(["users", "disable", "alice"]), 0)
    for args in [
      ["sessions", "create", "alice"], ["devices", "trust", "alice", "--name", "sneaky"],
      ["challenge", "send", "alice"],
      ["verify", "alice", try totp(alice.secret, at: now), "--session", "--trust-device", "sneaky"],
    ] {
      let r = try run(args)
      assertExit(r, 1, "a disabled user gets nothing new")
      XCTAssertFalse(r.stdout.contains("mfas_") || r.stdout.contains("mfad_"), r.description)
    }
    assertExit(try run(["users", "enable", "alice"]), 0)
    XCTAssertEqual(try listedIDs(["sessions", "list", "alice"]), [], "no session was made while disabled")
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"]), [], "no device was trusted while disabled")
  }

  func testRemoveUserRemovesSessionsAndDevices() throws {
    let a = try access("alice")
    let b = try access("bob")
    assertExit(try run(["users", "remove", "alice"]), 0)
    for s in a.sessions { try checkSession(s, 1, "the user is gone") }
    for d in a.devices { assertError(try run(["devices", "check", "alice", d]), 67) }
    let all = try run(["sessions", "list", "--format", "json"])
    XCTAssertFalse(all.stdout.contains("\"alice\""), all.description)
    try assertAccess("bob", b, 0, "bob is not touched")
    // A new user of the same name does not inherit them.
    try enrol("alice")
    try assertAccess("alice", a, 1, "a new alice does not get the old tokens")
    XCTAssertEqual(try listedIDs(["sessions", "list", "alice"]), [])
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"]), [])
  }

  func testRemoveAuthenticatorRevokesSessionsAndDevices() throws {
    let second = try enrol("alice")
    let a = try access("alice")
    let b = try access("bob")
    assertExit(try run(["users", "remove", "alice", "--authenticator", second.id]), 0)
    try assertAccess("alice", a, 1, "an authenticator was removed")
    try assertAccess("bob", b, 0, "bob is not touched")
    // The remaining authenticator still signs in, with a new session.
    let r = try run(["verify", "alice", try totp(alice.secret, at: now), "--session"])
    assertExit(r, 0)
    try checkSession(r.lines.first ?? "", 0)
  }

  // MARK: One lockout counter

  func testVerifyRecoveryAndChallengeFailuresShareOneCounter() throws {
    let codes = try generateRecoveryCodes("alice", count: 3)
    let challenge = try sendChallenge("alice")
    let wrong = try wrongSixDigits(secret: alice.secret, at: now, not: [challenge])

    assertExit(try run(["verify", "alice", wrong]), 1)  // authenticator + challenge, one attempt
    XCTAssertEqual(try failures("alice"), 1)
    assertExit(try run(["recovery-codes", "use", "alice", "00000-00000"]), 1)
    XCTAssertEqual(try failures("alice"), 2)
    assertExit(try run(["verify", "alice", "11111-11111", "--allow-recovery"]), 1)
    XCTAssertEqual(try failures("alice"), 3)
    assertExit(try run(["verify", "alice", wrong]), 1)
    XCTAssertEqual(try failures("alice"), 4)
    assertExit(try run(["recovery-codes", "use", "alice", "22222-22222"]), 1)
    XCTAssertEqual(try failures("alice"), 5)
    XCTAssertEqual(try show("alice")["state"] as? String, "locked")

    // Locked: every kind of right code is refused unchecked (exit 2) and counts.
    let c = try run(["verify", "alice", challenge])
    assertError(c, 2)
    assertNotOnStderr([challenge], c)
    assertError(try run(["recovery-codes", "use", "alice", codes[0]]), 2)
    assertError(try run(["verify", "alice", codes[0], "--allow-recovery"]), 2)
    assertError(try run(["verify", "alice", try totp(alice.secret, at: now)]), 2)
    XCTAssertEqual(try failures("alice"), 9)
    XCTAssertEqual(try recoveryRemaining("alice"), 3, "nothing was used up while locked")

    // Unlocked, the codes refused while locked still work: they were never checked.
    assertExit(try run(["users", "unlock", "alice"]), 0)
    assertExit(try run(["verify", "alice", challenge]), 0)
    assertExit(try run(["recovery-codes", "use", "alice", codes[0]]), 0)
  }

  func testAnySuccessResetsTheSharedCounter() throws {
    let codes = try generateRecoveryCodes("alice", count: 3)
    func failFour(at t: Int64, not: [String] = []) throws {
      let wrong = try wrongSixDigits(secret: alice.secret, at: t, not: not)
      assertExit(try run(["verify", "alice", wrong], at: t), 1)
      assertExit(try run(["verify", "alice", wrong], at: t), 1)
      assertExit(try run(["recovery-codes", "use", "alice", "00000-00000"], at: t), 1)
      assertExit(try run(["verify", "alice", "11111-11111", "--allow-recovery"], at: t), 1)
      XCTAssertEqual(try failures("alice", at: t), 4)
    }
    try failFour(at: now)
    assertExit(try run(["recovery-codes", "use", "alice", codes[0]]), 0)
    XCTAssertEqual(try failures("alice"), 0, "a recovery code resets the counter")

    let t = now + 60
    let challenge = try sendChallenge("alice", at: t)
    try failFour(at: t, not: [challenge])
    assertExit(try run(["verify", "alice", challenge], at: t), 0, "two wrong tries left the challenge alive")
    XCTAssertEqual(try failures("alice", at: t), 0, "a challenge code resets the counter")

    let t2 = now + 120
    try failFour(at: t2)
    assertExit(try run(["verify", "alice", try totp(alice.secret, at: t2)], at: t2), 0)
    XCTAssertEqual(try failures("alice", at: t2), 0, "an authenticator code resets the counter")
  }
}
