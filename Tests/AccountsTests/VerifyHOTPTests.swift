import Accounts
import OTP
import XCTest

final class VerifyHOTPTests: XCTestCase {
  func testRFC4226Vectors() throws {
    // RFC 4226 appendix D: counter 0 -> 755224, 1 -> 287082, ..., 9 -> 520489.
    var u = user([hotpAuth()])
    for (k, c) in ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
      .enumerated()
    {
      XCTAssertEqual(try Verifier.verify(&u, code: c, now: t0), .accepted(authenticatorID: "bbbbbbb1", offset: 0))
      XCTAssertEqual(u.authenticators[0].counter, UInt64(k + 1))
    }
  }

  func testLookAheadTenAcceptedElevenRejected() throws {
    let a = hotpAuth(counter: 100)
    var u = user([a])
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 111), now: t0), .rejected(replay: false))
    XCTAssertEqual(u.authenticators[0].counter, 100)
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 110), now: t0), .accepted(authenticatorID: a.id, offset: 10))
    XCTAssertEqual(u.authenticators[0].counter, 111)
    XCTAssertEqual(u.authenticators[0].lastUsedAt, t0)
  }

  func testLookAheadOption() throws {
    let a = hotpAuth()
    var u = user([a])
    XCTAssertEqual(
      try Verifier.verify(&u, code: code(a, 20), now: t0, options: .init(hotpLookAhead: 20)),
      .accepted(authenticatorID: a.id, offset: 20))
    var v = user([a])
    XCTAssertEqual(
      try Verifier.verify(&v, code: code(a, 1), now: t0, options: .init(hotpLookAhead: 0)), .rejected(replay: false))
    XCTAssertThrowsError(try Verifier.verify(&v, code: code(a, 0), now: t0, options: .init(hotpLookAhead: -1)))
    XCTAssertThrowsError(try Verifier.verify(&v, code: code(a, 0), now: t0, options: .init(hotpLookAhead: 1001)))
  }

  func testCounterNeverMovesBack() throws {
    let a = hotpAuth()
    var u = user([a])
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 5), now: t0), .accepted(authenticatorID: a.id, offset: 5))
    XCTAssertEqual(u.authenticators[0].counter, 6)
    // Earlier counters (skipped or used) are replays now, and leave the counter alone.
    for k: Int64 in [5, 3, 0] {
      XCTAssertEqual(try Verifier.verify(&u, code: code(a, k), now: t0), .rejected(replay: true), "counter \(k)")
      XCTAssertEqual(u.authenticators[0].counter, 6)
    }
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 6), now: t0), .accepted(authenticatorID: a.id, offset: 0))
    XCTAssertEqual(u.authenticators[0].counter, 7)
  }

  func testCounterNearTheTopDoesNotOverflow() throws {
    // Counters are 0 <= c < 2^63 (HOTP.maxCounter = 2^63 - 1).
    let a = hotpAuth(counter: HOTP.maxCounter - 3)
    var u = user([a])
    let c = HOTP.code(secret: a.secret, counter: HOTP.maxCounter - 2, algorithm: .sha1, digits: 6)
    XCTAssertEqual(try Verifier.verify(&u, code: c, now: t0), .accepted(authenticatorID: a.id, offset: 1))
    XCTAssertEqual(u.authenticators[0].counter, HOTP.maxCounter - 1)
    // The window ends below the maximum instead of wrapping round to 0.
    let zero = HOTP.code(secret: a.secret, counter: 0, algorithm: .sha1, digits: 6)
    XCTAssertEqual(try Verifier.verify(&u, code: zero, now: t0), .rejected(replay: false))
  }
}

final class VerifyUserTests: XCTestCase {
  func testSeveralAuthenticatorsAcceptFromAnyActiveOne() throws {
    let t = totpAuth(id: "aaaaaaa1", secret: Array(repeating: 1, count: 20))
    let h = hotpAuth(id: "bbbbbbb1", counter: 3)
    let t8 = totpAuth(id: "ccccccc1", digits: 8, secret: Array(repeating: 2, count: 20))
    var u = user([t, h, t8])
    XCTAssertEqual(try Verifier.verify(&u, code: code(h, 4), now: t0), .accepted(authenticatorID: h.id, offset: 1))
    XCTAssertEqual(try Verifier.verify(&u, code: code(t, s0), now: t0), .accepted(authenticatorID: t.id, offset: 0))
    XCTAssertEqual(try Verifier.verify(&u, code: code(t8, s0), now: t0), .accepted(authenticatorID: t8.id, offset: 0))
    XCTAssertEqual(u.authenticators.map(\.lastStep), [UInt64(s0), nil, UInt64(s0)])
    XCTAssertEqual(u.authenticators[1].counter, 5)
    // A replay on one authenticator is a replay whichever others there are.
    XCTAssertEqual(try Verifier.verify(&u, code: code(t, s0), now: t0), .rejected(replay: true))
  }

  func testPendingAuthenticatorsAreIgnored() throws {
    let pending = totpAuth(id: "eeeeeee1", secret: Array(repeating: 9, count: 20), state: .pending)
    var onlyPending = user([pending])
    let before = onlyPending
    XCTAssertEqual(try Verifier.verify(&onlyPending, code: code(pending, s0), now: t0), .noActiveAuthenticator)
    XCTAssertEqual(onlyPending, before)

    var mixed = user([totpAuth(), pending])
    XCTAssertEqual(try Verifier.verify(&mixed, code: code(pending, s0), now: t0), .rejected(replay: false))
    XCTAssertEqual(mixed.authenticators[1], pending)
    XCTAssertEqual(mixed.failures, 1)
  }

  func testNoAuthenticatorAtAll() throws {
    var u = user([])
    XCTAssertEqual(try Verifier.verify(&u, code: "123456", now: t0), .noActiveAuthenticator)
    XCTAssertEqual(u, user([]))
  }

  func testDisabledUserChangesNothing() throws {
    var u = user([totpAuth()])
    u.disabled = true
    let before = u
    XCTAssertEqual(try Verifier.verify(&u, code: code(u.authenticators[0], s0), now: t0), .disabled)
    XCTAssertEqual(try Verifier.verify(&u, code: "000000", now: t0), .disabled)
    XCTAssertEqual(u, before)
  }

  func testMalformedCodesAreWrongCodes() {
    for bad in [
      "", " ", "12345", "1234567", "123456789", "12a456", "12-456", "１２３４５６", "١٢٣٤٥٦", "123456\n", "+123456",
      String(repeating: "1", count: 10_000),
    ] {
      var u = user([totpAuth()])
      XCTAssertEqual(try Verifier.verify(&u, code: bad, now: t0), .malformed("code must be 6 or 8 digits"))
      XCTAssertEqual(u.failures, 1, "a typo counts as a failure")
      XCTAssertEqual(u.authenticators, user([totpAuth()]).authenticators)
    }
    // Well-formed, but no active authenticator of the user has 8 digits.
    var u = user([totpAuth()])
    XCTAssertEqual(try Verifier.verify(&u, code: "12345678", now: t0), .malformed("code must be 6 digits"))
    XCTAssertEqual(u.failures, 1)
    // A locked user is refused as locked, whatever the shape, and the try counts.
    var locked = user([totpAuth(digits: 8)])
    locked.failures = 5
    locked.lockedUntil = t0 + 60
    XCTAssertEqual(try Verifier.verify(&locked, code: "123456", now: t0), .locked(until: t0 + 120))
    XCTAssertEqual(try Verifier.verify(&locked, code: "x", now: t0), .locked(until: t0 + 240))
    XCTAssertEqual(locked.failures, 7)
  }

  func testMixedLengthsAcceptEither() throws {
    let t6 = totpAuth()
    let t8 = totpAuth(id: "ccccccc1", digits: 8, secret: Array(repeating: 3, count: 20))
    var u = user([t6, t8])
    XCTAssertEqual(try Verifier.verify(&u, code: wrongCode(t6, around: s0), now: t0), .rejected(replay: false))
    XCTAssertEqual(try Verifier.verify(&u, code: wrongCode(t8, around: s0), now: t0), .rejected(replay: false))
    XCTAssertEqual(try Verifier.verify(&u, code: code(t8, s0), now: t0), .accepted(authenticatorID: t8.id, offset: 0))
    XCTAssertEqual(try Verifier.verify(&u, code: code(t6, s0), now: t0), .accepted(authenticatorID: t6.id, offset: 0))
  }

  func testErrorMessagesHoldNoCode() {
    var u = user([totpAuth()])
    // A wrong-length code is rejected as malformed; the rule it names holds no code.
    guard case .malformed(let rule) = try? Verifier.verify(&u, code: "98765432", now: t0) else {
      return XCTFail("not rejected as malformed")
    }
    XCTAssertFalse(rule.contains("98765432"))
    XCTAssertFalse(AccountsError.malformedCode(rule).description.contains("98765432"))
  }
}
