import Accounts
import OTP
import Sodium
import XCTest

/// One sign-in with whatever the user presents: authenticator, challenge or recovery
/// code, under one lockout.
final class SignInTests: XCTestCase {
  let keys = SignInKeys(recovery: try! SecureBytes.random(count: 32), challenges: try! SecureBytes.random(count: 32))

  func challengeCode(_ u: inout User, at now: Int64) throws -> String {
    guard case .issued(let code, _) = try Challenges.issue(&u, key: keys.challenges, now: now) else {
      XCTFail("not issued")
      return ""
    }
    return code
  }

  func testAnAuthenticatorCodeDoesNotSpendAChallengeTry() throws {
    var u = user([totpAuth()])
    _ = try challengeCode(&u, at: t0)
    let otp = code(totpAuth(), s0)
    XCTAssertEqual(
      try SignIn.attempt(&u, code: otp, now: t0, allowRecovery: false, keys: keys),
      .accepted(.authenticator(id: "aaaaaaa1", offset: 0)))
    XCTAssertEqual(try ChallengeState.load(u)?.live.first?.tries, 0, "the challenge is untouched")
  }

  func testAChallengeCodeIsConsumedAndLeavesReplayStateAlone() throws {
    var u = user([totpAuth()])
    let c = try challengeCode(&u, at: t0)
    let before = u.authenticators
    XCTAssertEqual(try SignIn.attempt(&u, code: c, now: t0, allowRecovery: false, keys: keys), .accepted(.challenge))
    XCTAssertEqual(u.authenticators, before)
    XCTAssertEqual(
      try SignIn.attempt(&u, code: c, now: t0, allowRecovery: false, keys: keys), .rejected(replay: false), "used once")
  }

  func testAWrongCodeChargesTheChallengeAndTheLockoutOnce() throws {
    var u = user([totpAuth()])
    let c = try challengeCode(&u, at: t0)
    var wrong = wrongCode(totpAuth(), around: s0)
    if wrong == c { wrong = wrongCode(totpAuth(), around: s0 + 1000) }
    XCTAssertEqual(
      try SignIn.attempt(&u, code: wrong, now: t0, allowRecovery: false, keys: keys), .rejected(replay: false))
    XCTAssertEqual(u.failures, 1)
    XCTAssertEqual(try ChallengeState.load(u)?.live.first?.tries, 1)
  }

  func testAChallengeAloneIsEnoughWithoutAnAuthenticator() throws {
    var u = user([])
    let c = try challengeCode(&u, at: t0)
    XCTAssertEqual(
      try SignIn.attempt(&u, code: c, now: t0 + 60, allowRecovery: false, keys: keys), .accepted(.challenge))
    XCTAssertEqual(try SignIn.attempt(&u, code: "123456", now: t0 + 60, allowRecovery: false, keys: keys), .noFactor)
  }

  func testRequireMFARefusesEvenAChallengeCode() throws {
    var u = user([])
    UserPolicy(requireMFA: true, role: nil).store(into: &u)
    let c = try challengeCode(&u, at: t0)
    XCTAssertEqual(try SignIn.attempt(&u, code: c, now: t0, allowRecovery: true, keys: keys), .mfaRequired)
  }

  func testAnAllDigitRecoveryCodeWithoutItsHyphenIsARecoveryCode() throws {
    var u = user([totpAuth()])
    let set = RecoveryCodeSet(
      generatedAt: t0, hashes: [RecoveryCodes.hash("0123456789", userID: u.id, key: try keys.recovery)], total: 1)
    set.store(into: &u)
    XCTAssertEqual(
      try SignIn.attempt(&u, code: "0123456789", now: t0, allowRecovery: false, keys: keys),
      .malformed(Verifier.shapeRule),
      "not without --allow-recovery")
    XCTAssertEqual(
      try SignIn.attempt(&u, code: "0123456789", now: t0, allowRecovery: true, keys: keys),
      .accepted(.recovery(remaining: 0)))
  }

  func testMalformedInputIsAWrongCode() throws {
    var u = user([totpAuth()])
    var n: UInt32 = 0
    for bad in ["12ab56", "1234567", "", "ABCDE-FGHJK", "12345678"] {
      guard case .malformed = try SignIn.attempt(&u, code: bad, now: t0, allowRecovery: false, keys: keys) else {
        return XCTFail(bad)
      }
      n += 1
      XCTAssertEqual(u.failures, n, "\(bad) counts as a failure")
    }
    XCTAssertEqual(u.authenticators, user([totpAuth()]).authenticators, "nothing else changes")
    // Locked: refused as locked (and counted), whatever the shape.
    XCTAssertEqual(
      try SignIn.attempt(&u, code: "x", now: t0, allowRecovery: true, keys: keys), .locked(until: u.lockedUntil!))
    XCTAssertEqual(u.failures, n + 1)
  }
}
