import Accounts
import OTP
import XCTest

final class ResyncTests: XCTestCase {
  func testHOTPResync() throws {
    let a = hotpAuth(counter: 10)
    var u = user([a])
    let r = try Verifier.resync(&u, authenticatorID: nil, code1: code(a, 510), code2: code(a, 511), now: t0)
    XCTAssertEqual(r.authenticatorID, a.id)
    XCTAssertEqual(r.offset, 500)
    XCTAssertEqual(u.authenticators[0].counter, 512)
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 511), now: t0), .rejected(replay: true))
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 512), now: t0), .accepted(authenticatorID: a.id, offset: 0))
  }

  func testHOTPResyncRangeEndsAt1000() throws {
    let a = hotpAuth()
    var u = user([a])
    _ = try Verifier.resync(&u, authenticatorID: a.id, code1: code(a, 1000), code2: code(a, 1001), now: t0)
    XCTAssertEqual(u.authenticators[0].counter, 1002)
    var v = user([a])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&v, authenticatorID: nil, code1: code(a, 1001), code2: code(a, 1002), now: t0),
      .resyncFailed)
    XCTAssertEqual(v.authenticators, user([a]).authenticators)
    XCTAssertEqual(v.failures, 1, "a failed resync is a failure for the lockout")
    // Two codes that are not consecutive.
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&v, authenticatorID: nil, code1: code(a, 5), code2: code(a, 7), now: t0), .resyncFailed)
    // Counters already used are not searched (the counter only moves forward).
    var w = user([hotpAuth(counter: 100)])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&w, authenticatorID: nil, code1: code(a, 50), code2: code(a, 51), now: t0), .resyncFailed)
  }

  func testTOTPResyncSetsLastStepAndDrift() throws {
    let a = totpAuth()
    var u = user([a])
    let r = try Verifier.resync(&u, authenticatorID: nil, code1: code(a, s0 + 29), code2: code(a, s0 + 30), now: t0)
    XCTAssertEqual(r.authenticatorID, a.id)
    XCTAssertEqual(r.offset, 30)
    XCTAssertEqual(u.authenticators[0].lastStep, UInt64(s0 + 30))
    XCTAssertEqual(u.authenticators[0].drift, 30)
    XCTAssertEqual(u.failures, 0)
    // The two codes are spent; the device's next code is accepted.
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0 + 30), now: t0), .rejected(replay: true))
    XCTAssertEqual(
      try Verifier.verify(&u, code: code(a, s0 + 31), now: t0 + 30), .accepted(authenticatorID: a.id, offset: 30))
  }

  func testTOTPResyncBehindAndTooFar() throws {
    let a = totpAuth()
    var u = user([a])
    XCTAssertEqual(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(a, s0 - 12), code2: code(a, s0 - 11), now: t0).offset,
      -11)
    XCTAssertEqual(u.authenticators[0].drift, -11)
    // A day behind: found, but further than verify can follow; nothing changes.
    var v = user([a])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&v, authenticatorID: nil, code1: code(a, s0 - 2000), code2: code(a, s0 - 1999), now: t0),
      .resyncDriftTooLarge(steps: -1999, seconds: -59970))
    XCTAssertEqual(v.authenticators, user([a]).authenticators)
    XCTAssertEqual(v.failures, 1, "a match too far off is a failure too")
    // Beyond ±2880 steps: not found.
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&v, authenticatorID: nil, code1: code(a, s0 + 2881), code2: code(a, s0 + 2882), now: t0),
      .resyncFailed)
  }

  func testTOTPResyncRespectsLastStep() throws {
    var a = totpAuth()
    a.lastStep = UInt64(s0 + 5)
    var u = user([a])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(a, s0 + 4), code2: code(a, s0 + 5), now: t0),
      .resyncFailed)
    XCTAssertEqual(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(a, s0 + 5), code2: code(a, s0 + 6), now: t0).offset, 6)
  }

  func testResyncChoosesAuthenticators() throws {
    let t = totpAuth(id: "aaaaaaa1")
    let p = hotpAuth(id: "bbbbbbb1", secret: Array(repeating: 5, count: 20), state: .pending)
    // Pending ones are searched only when none is active.
    var u = user([t, p])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(p, 3), code2: code(p, 4), now: t0), .resyncFailed)
    XCTAssertEqual(
      try Verifier.resync(&u, authenticatorID: "bbbbbbb1", code1: code(p, 3), code2: code(p, 4), now: t0).offset, 3)
    var v = user([p])
    XCTAssertEqual(
      try Verifier.resync(&v, authenticatorID: nil, code1: code(p, 3), code2: code(p, 4), now: t0).authenticatorID,
      "bbbbbbb1")
    XCTAssertEqual(v.authenticators[0].state, .pending, "resync does not activate")
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&v, authenticatorID: "12345678", code1: "123456", code2: "123456", now: t0),
      .authenticatorNotFound("12345678"))
    var none = user([])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&none, authenticatorID: nil, code1: "123456", code2: "123456", now: t0),
      .noActiveAuthenticator("alice"))
  }

  func testResyncInputErrorsAndLockout() throws {
    let a = totpAuth()
    var u = user([a])
    u.failures = 7
    u.lockedUntil = t0 + 100
    let before = u
    // A malformed code is a wrong code: counted as a failure (here unlocked).
    u.failures = 0
    u.lockedUntil = nil
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: "12345", code2: "123456", now: t0),
      .malformedCode("code must be 6 or 8 digits"))
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: "123456", code2: "12345678", now: t0),
      .malformedCode("the two codes must have the same number of digits"))
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: "12345678", code2: "12345678", now: t0),
      .malformedCode("code must be 6 digits"))
    XCTAssertEqual(u.failures, 3, "malformed codes are failed attempts")
    XCTAssertEqual(u.authenticators, before.authenticators, "and change nothing else")
    u.failures = 7
    u.lockedUntil = t0 + 100
    // Refused while locked (docs/guide.md, "Users": a locked user cannot resync), even
    // with right codes; the try counts as a further failure.
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(a, s0), code2: code(a, s0 + 1), now: t0),
      .lockedOut(user: "alice", until: t0 + Lockout.lockSeconds(failures: 8)))
    XCTAssertEqual(u.failures, 8)
    XCTAssertEqual(u.authenticators, before.authenticators)
  }
}

final class DiagnoseTests: XCTestCase {
  // Most of these use a 300 s period (±288 steps a day) to keep the suite quick; the
  // default 30 s span is exercised by testNearestFirst.
  private let s300 = t0 / 300

  func testFindsTOTPOffsetsAndCountsAFailure() throws {
    var a = totpAuth(period: 300)
    a.lastStep = UInt64(s300 - 150)
    var u = user([a])
    let before = u.authenticators
    let r = try Verifier.diagnose(&u, code: code(a, s300 - 100), now: t0)
    guard case .matches(let m) = r else { return XCTFail("\(r)") }
    XCTAssertEqual(m.first, DiagnoseMatch(authenticatorID: a.id, stepOffset: -100, seconds: -30000, alreadyUsed: false))
    XCTAssertEqual(u.failures, 1)
    XCTAssertEqual(u.authenticators, before, "diagnose never moves replay state")
    // A step that was already used is reported as such.
    guard case .matches(let used) = try Verifier.diagnose(&u, code: code(a, s300 - 200), now: t0) else {
      return XCTFail()
    }
    XCTAssertTrue(
      used.contains(DiagnoseMatch(authenticatorID: a.id, stepOffset: -200, seconds: -60000, alreadyUsed: true)))
    XCTAssertEqual(u.failures, 2)
    // A code matching the current step is still not accepted.
    guard case .matches(let now) = try Verifier.diagnose(&u, code: code(a, s300), now: t0) else { return XCTFail() }
    XCTAssertEqual(now.first?.stepOffset, 0)
    XCTAssertEqual(u.failures, 3)
    XCTAssertEqual(u.authenticators, before)
    XCTAssertNil(u.lastSuccessAt)
  }

  func testSearchesOneDayEachWay() throws {
    let a = totpAuth(period: 3600)  // a day is 24 steps
    var u = user([a])
    let s = t0 / 3600
    for (offset, found) in [(Int64(24), true), (-24, true), (25, false), (-25, false)] {
      guard case .matches(let m) = try Verifier.diagnose(&u, code: code(a, s + offset), now: t0) else {
        return XCTFail()
      }
      XCTAssertEqual(m.contains { $0.stepOffset == offset }, found, "offset \(offset)")
      if found { XCTAssertTrue(m.contains { $0.seconds == offset * 3600 }) }
    }
  }

  func testHOTPAndPendingAuthenticators() throws {
    let h = hotpAuth(counter: 200)
    let p = totpAuth(id: "eeeeeee1", period: 300, secret: Array(repeating: 6, count: 20), state: .pending)
    var u = user([h, p])
    guard case .matches(let m1) = try Verifier.diagnose(&u, code: code(h, 195), now: t0) else { return XCTFail() }
    XCTAssertTrue(m1.contains(DiagnoseMatch(authenticatorID: h.id, stepOffset: -5, seconds: 0, alreadyUsed: true)))
    guard case .matches(let m2) = try Verifier.diagnose(&u, code: code(h, 900), now: t0) else { return XCTFail() }
    XCTAssertTrue(m2.contains(DiagnoseMatch(authenticatorID: h.id, stepOffset: 700, seconds: 0, alreadyUsed: false)))
    guard case .matches(let m3) = try Verifier.diagnose(&u, code: code(p, s300 + 3), now: t0) else { return XCTFail() }
    XCTAssertTrue(
      m3.contains(DiagnoseMatch(authenticatorID: p.id, stepOffset: 3, seconds: 900, alreadyUsed: false, pending: true)))
    XCTAssertEqual(u.authenticators, [h, p])
    XCTAssertEqual(u.failures, 3)
  }

  func testNearestFirst() throws {
    let a = totpAuth()
    var u = user([a])
    guard case .matches(let m) = try Verifier.diagnose(&u, code: code(a, s0 + 7), now: t0) else { return XCTFail() }
    XCTAssertEqual(m.first?.stepOffset, 7)
    XCTAssertEqual(m.map { abs($0.stepOffset) }, m.map { abs($0.stepOffset) }.sorted())
  }

  func testLockoutAndRefusals() throws {
    let a = totpAuth(period: 300)
    var u = user([a])
    let wrong = wrongCode(a, around: s300, span: 300)
    u.failures = 4
    _ = try Verifier.diagnose(&u, code: wrong, now: t0)
    XCTAssertEqual(u.failures, 5)
    XCTAssertEqual(u.lockedUntil, t0 + 60)
    XCTAssertEqual(try Verifier.diagnose(&u, code: code(a, s300), now: t0 + 1), .locked(until: t0 + 1 + 120))
    XCTAssertEqual(u.failures, 6)
    // Malformed input counts like every diagnose (here a locked try); users with
    // nothing to search change nothing.
    XCTAssertEqual(try Verifier.diagnose(&u, code: "12 34", now: t0 + 2), .locked(until: t0 + 2 + 240))
    u.lockedUntil = nil
    u.failures = 0
    XCTAssertEqual(try Verifier.diagnose(&u, code: "12 34", now: t0), .malformed("code must be 6 or 8 digits"))
    XCTAssertEqual(try Verifier.diagnose(&u, code: "12345678", now: t0), .malformed("code must be 6 digits"))
    XCTAssertEqual(u.failures, 2)
    var empty = user([])
    XCTAssertEqual(try Verifier.diagnose(&empty, code: "123456", now: t0), .noAuthenticator)
    XCTAssertEqual(empty, user([]))
  }
}
