import Accounts
import OTP
import XCTest

/// TOTP window, replay and drift rules of `Verifier.verify`. The clock is `t0` (step
/// `s0`); codes are computed at explicit steps with the OTP module.
final class VerifyTOTPTests: XCTestCase {
  func testRFC6238VectorThroughTheEngine() throws {
    // RFC 6238 appendix B: T = 59 s, SHA1, 8 digits -> 94287082.
    var u = user([totpAuth(digits: 8)])
    XCTAssertEqual(
      try Verifier.verify(&u, code: "94287082", now: 59), .accepted(authenticatorID: "aaaaaaa1", offset: 0))
    XCTAssertEqual(u.authenticators[0].lastStep, 1)
  }

  func testCurrentStepAndOneEitherSideAccepted() throws {
    for offset: Int64 in [-1, 0, 1] {
      var u = user([totpAuth()])
      let a = u.authenticators[0]
      let r = try Verifier.verify(&u, code: code(a, s0 + offset), now: t0)
      XCTAssertEqual(r, .accepted(authenticatorID: a.id, offset: offset))
      XCTAssertEqual(u.authenticators[0].lastStep, UInt64(s0 + offset))
      XCTAssertEqual(u.authenticators[0].drift, Int32(offset))
      XCTAssertEqual(u.authenticators[0].lastUsedAt, t0)
      XCTAssertEqual(u.lastSuccessAt, t0)
      XCTAssertEqual(u.failures, 0)
    }
  }

  func testTwoStepsAwayRejected() throws {
    for offset: Int64 in [-2, 2, -3, 3] {
      var u = user([totpAuth()])
      let r = try Verifier.verify(&u, code: code(u.authenticators[0], s0 + offset), now: t0)
      XCTAssertEqual(r, .rejected(replay: false), "offset \(offset)")
      XCTAssertEqual(u.failures, 1)
      XCTAssertNil(u.authenticators[0].lastStep)
      XCTAssertNil(u.lastSuccessAt)
    }
  }

  func testCodesWithSpacesAccepted() throws {
    var u = user([totpAuth()])
    let c = code(u.authenticators[0], s0)
    let spaced = String(c.prefix(3)) + " " + String(c.suffix(3))
    XCTAssertEqual(
      try Verifier.verify(&u, code: " \(spaced) ", now: t0), .accepted(authenticatorID: "aaaaaaa1", offset: 0))
  }

  func testWindowOption() throws {
    let a = totpAuth()
    for (window, offset, accepted) in [
      (3, 3, true), (3, -3, true), (3, 4, false), (3, -4, false), (0, 0, true), (0, 1, false), (2, 2, true),
    ] {
      var u = user([a])
      let r = try Verifier.verify(&u, code: code(a, s0 + Int64(offset)), now: t0, options: .init(window: window))
      XCTAssertEqual(
        r, accepted ? .accepted(authenticatorID: a.id, offset: Int64(offset)) : .rejected(replay: false),
        "window \(window) offset \(offset)")
    }
  }

  func testInvalidWindowThrowsAndChangesNothing() {
    for w in [-1, Verifier.maxWindow + 1] {
      var u = user([totpAuth()])
      let before = u
      XCTAssertThrowsError(
        try Verifier.verify(&u, code: code(u.authenticators[0], s0), now: t0, options: .init(window: w)))
      XCTAssertEqual(u, before)
    }
  }

  func testReplayOfTheSameCodeRefused() throws {
    var u = user([totpAuth()])
    let c = code(u.authenticators[0], s0)
    XCTAssertEqual(try Verifier.verify(&u, code: c, now: t0), .accepted(authenticatorID: "aaaaaaa1", offset: 0))
    XCTAssertEqual(try Verifier.verify(&u, code: c, now: t0 + 1), .rejected(replay: true))
    XCTAssertEqual(u.failures, 1)
    // Still refused in the next step, while the step is in the window.
    XCTAssertEqual(try Verifier.verify(&u, code: c, now: t0 + 30), .rejected(replay: true))
    XCTAssertEqual(u.authenticators[0].lastStep, UInt64(s0))
  }

  func testEarlierStepRefusedAfterALaterOne() throws {
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0 + 1), now: t0), .accepted(authenticatorID: a.id, offset: 1))
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0), now: t0), .rejected(replay: true))
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0 - 1), now: t0), .rejected(replay: true))
    XCTAssertEqual(u.authenticators[0].lastStep, UInt64(s0 + 1))
    // The next step is fine.
    XCTAssertEqual(
      try Verifier.verify(&u, code: code(a, s0 + 2), now: t0 + 30), .accepted(authenticatorID: a.id, offset: 1))
  }

  func testWrongCodeIsNotAReplay() throws {
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    _ = try Verifier.verify(&u, code: code(a, s0), now: t0)
    XCTAssertEqual(try Verifier.verify(&u, code: wrongCode(a, around: s0), now: t0), .rejected(replay: false))
  }

  /// Drift centring. The window is `c-w ... c+w` with `c = s + drift` (plus `s-w ... s+w`):
  /// a device that runs ahead little by little is followed; one that jumps 2 steps at
  /// once is not; a device whose clock is set right again is still accepted.
  func testDriftCentresTheNextWindow() throws {
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    // A device 2 steps ahead is outside ±1 while no drift is known.
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0 + 2), now: t0), .rejected(replay: false))
    // The device was 1 step ahead: accepted at +1, drift 1.
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0 + 1), now: t0), .accepted(authenticatorID: a.id, offset: 1))
    XCTAssertEqual(u.authenticators[0].drift, 1)
    // Later it is 2 ahead: the window is now centred on s+1, so s+2 is inside.
    var s = s0 + 10
    XCTAssertEqual(
      try Verifier.verify(&u, code: code(a, s + 2), now: s * 30), .accepted(authenticatorID: a.id, offset: 2))
    XCTAssertEqual(u.authenticators[0].drift, 2)
    // Then 3 ahead.
    s += 10
    XCTAssertEqual(
      try Verifier.verify(&u, code: code(a, s + 3), now: s * 30), .accepted(authenticatorID: a.id, offset: 3))
    XCTAssertEqual(u.authenticators[0].drift, 3)
    // 5 ahead is outside s+3±1 (and s±1).
    s += 10
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s + 5), now: s * 30), .rejected(replay: false))
    // Its clock was set right: the current step is still accepted, and the drift forgotten.
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s), now: s * 30), .accepted(authenticatorID: a.id, offset: 0))
    XCTAssertEqual(u.authenticators[0].drift, 0)
  }

  func testDriftFollowsADeviceRunningBehind() throws {
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    var s = s0
    for k in 1...5 {
      XCTAssertEqual(
        try Verifier.verify(&u, code: code(a, s - Int64(k)), now: s * 30),
        .accepted(authenticatorID: a.id, offset: -Int64(k)))
      XCTAssertEqual(u.authenticators[0].drift, Int32(-k))
      s += 20
    }
  }

  func testDriftIsClampedTo40Steps() throws {
    // Follow a device drifting ahead one step per login, far past the bound.
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    var s = s0
    for k in 1...45 {
      let r = try Verifier.verify(&u, code: code(a, s + Int64(k)), now: s * 30)
      if k <= 41 {
        // Accepted while within maxDrift + window.
        XCTAssertEqual(r, .accepted(authenticatorID: a.id, offset: Int64(k)), "k \(k)")
        XCTAssertEqual(u.authenticators[0].drift, Int32(min(k, 40)))
      } else {
        XCTAssertEqual(r, .rejected(replay: false), "k \(k)")
      }
      s += 100
    }
    XCTAssertEqual(u.authenticators[0].drift, 40)
  }

  func testOtherAlgorithmsAndPeriods() throws {
    for (alg, len, period, digits) in [
      (OTPAlgorithm.sha256, 32, UInt32(30), 8), (.sha512, 64, 60, 6), (.sha1, 20, 1, 6),
    ] {
      var u = user([
        totpAuth(digits: digits, period: period, algorithm: alg, secret: Array(repeating: 0x42, count: len))
      ])
      let a = u.authenticators[0]
      let s = t0 / Int64(period)
      let expected = TOTP.code(secret: a.secret, at: t0, period: period, algorithm: alg, digits: digits)
      XCTAssertEqual(expected, code(a, s))
      XCTAssertEqual(try Verifier.verify(&u, code: expected, now: t0), .accepted(authenticatorID: a.id, offset: 0))
    }
  }

  func testEarlyClockDoesNotTrap() throws {
    // Steps below 0 do not exist; time 0 and negative times are step 0.
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, 0), now: 0), .accepted(authenticatorID: a.id, offset: 0))
    var v = user([totpAuth()])
    XCTAssertEqual(try Verifier.verify(&v, code: code(a, 1), now: -100), .accepted(authenticatorID: a.id, offset: 1))
  }
}
