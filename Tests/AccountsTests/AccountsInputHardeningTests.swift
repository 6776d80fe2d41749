// Issue 8 items 4, 13 and 14 at the Accounts layer: HOTP counters stay below 2^63 and
// the window arithmetic near the top neither traps nor wraps; one display-text rule;
// resync counts for the lockout and is refused while locked.
import Accounts
import OTP
import XCTest

final class CounterBoundTests: XCTestCase {
  func testEnrolmentRefusesCounterAboveMax() throws {
    XCTAssertNoThrow(
      try Enrolment.newAuthenticator(type: .hotp, secret: rfcSeed, counter: HOTP.maxCounter, existingIDs: [], now: t0))
    XCTAssertThrowsError(
      try Enrolment.newAuthenticator(
        type: .hotp, secret: rfcSeed, counter: HOTP.maxCounter + 1, existingIDs: [], now: t0)
    ) { e in
      guard case .invalidParameter = e as? AccountsError else { return XCTFail("\(e)") }
    }
  }

  /// A stored counter of 2^63 or more is damage: decoding refuses it (65), so nothing
  /// downstream ever sees one.
  func testDecodeRefusesCounterAboveMax() throws {
    let u = user([hotpAuth(counter: HOTP.maxCounter)])
    var bytes = UserCodec.encode(u)
    XCTAssertEqual(try UserCodec.decode(bytes).authenticators[0].counter, HOTP.maxCounter)
    let le: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
    guard let at = (0...(bytes.count - 8)).first(where: { Array(bytes[$0..<($0 + 8)]) == le }) else {
      return XCTFail("counter not found in the encoding")
    }
    bytes[at + 7] = 0x80  // 2^63
    XCTAssertThrowsError(try UserCodec.decode(bytes))
    XCTAssertThrowsError(try UserCodec.check(user([hotpAuth(counter: UInt64.max)])))
  }

  /// Near the top of the range: codes below the maximum are accepted, the counter never
  /// reaches 2^63, and nothing traps (verify, resync, diagnose).
  func testVerifyResyncDiagnoseNearTheTop() throws {
    let top = HOTP.maxCounter
    let a = hotpAuth(counter: top - 5)
    var u = user([a])
    guard case .accepted = try Verifier.verify(&u, code: code(a, Int64(top - 2)), now: t0) else {
      return XCTFail("code at 2^63 - 3 not accepted")
    }
    XCTAssertEqual(u.authenticators[0].counter, top - 1)
    // The last acceptable counter is 2^63 - 2: its successor is the highest storable.
    guard case .accepted = try Verifier.verify(&u, code: code(a, Int64(top - 1)), now: t0) else {
      return XCTFail("code at 2^63 - 2 not accepted")
    }
    XCTAssertEqual(u.authenticators[0].counter, top)
    // Exhausted: nothing more is accepted, and the engine does not trap.
    let next = code(a, Int64(top))
    guard case .rejected = try Verifier.verify(&u, code: next, now: t0) else { return XCTFail("accepted past the top") }
    XCTAssertEqual(u.authenticators[0].counter, top)
    guard case .matches = try Verifier.diagnose(&u, code: next, now: t0) else { return XCTFail("diagnose") }

    var r = user([hotpAuth(counter: top - 4)])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(
        &r, authenticatorID: nil, code1: code(a, Int64(top - 1)), code2: code(a, Int64(top)), now: t0),
      .resyncFailed)
    let ok = try Verifier.resync(
      &r, authenticatorID: nil, code1: code(a, Int64(top - 3)), code2: code(a, Int64(top - 2)), now: t0)
    XCTAssertEqual(ok.offset, 1)
    XCTAssertEqual(r.authenticators[0].counter, top - 1)
  }

  /// Clock values far outside 1970...9999 do not trap the TOTP window arithmetic.
  func testExtremeClockDoesNotTrap() throws {
    let a = totpAuth(period: 1)
    for now in [Int64.max, Int64.min, Int64.max - 1, -1] {
      var u = user([a])
      _ = try Verifier.verify(&u, code: "000000", now: now, options: .init(window: Verifier.maxWindow))
      // diagnose scans a day of steps; the clock is clamped before any arithmetic, so a
      // 30 s period tests the same bounds as a 1 s one at a thirtieth of the HMACs.
      var v = user([totpAuth(period: 30)])
      _ = try Verifier.diagnose(&v, code: "000000", now: now)
    }
  }

  func testTimeArgumentRange() {
    XCTAssertEqual(TimeArgument.parse("0"), 0)
    XCTAssertEqual(TimeArgument.parse("253402300799"), 253_402_300_799)
    XCTAssertEqual(TimeArgument.parse("9999-12-31T23:59:59Z"), 253_402_300_799)
    for bad in [
      "253402300800", "9223372036854775807", "-1", "-9223372036854775808", "+5", "1969-12-31T23:59:59Z",
      "9999-12-31T23:59:59-00:01",
    ] {
      XCTAssertNil(TimeArgument.parse(bad), bad)
    }
  }
}

final class DisplayTextTests: XCTestCase {
  func testRule() throws {
    for good in ["ACME Co", "Café", "日本", "a\u{202F}b", "emoji 😀"] {
      XCTAssertTrue(DisplayText.isSafe(good), good)
      XCTAssertNoThrow(try DisplayText.validate(good, what: "issuer"))
    }
    for bad in [
      "a\nb", "a\rb", "tab\t", "\u{1B}[31m", "\u{7F}", "\u{85}", "\u{9B}", "x\u{202E}y", "\u{2066}", "\u{2069}",
    ] {
      XCTAssertFalse(DisplayText.isSafe(bad), bad.debugDescription)
      XCTAssertThrowsError(try DisplayText.validate(bad, what: "--actor"), bad.debugDescription) { e in
        guard case .invalidParameter(let m) = e as? AccountsError else { return XCTFail("\(e)") }
        XCTAssertTrue(m.hasPrefix("--actor must not contain"), m)
        XCTAssertTrue(DisplayText.isSafe(m), "the message does not echo the character: \(m.debugDescription)")
      }
    }
  }

  func testEnrolmentUsesIt() {
    for (issuer, label) in [("A\u{202E}B", nil), (nil, "bob\u{2067}"), ("x\u{1B}", nil)] as [(String?, String?)] {
      XCTAssertThrowsError(
        try Enrolment.newAuthenticator(issuer: issuer, label: label, existingIDs: [], now: t0),
        "\(issuer ?? "") \(label ?? "")")
    }
  }

  /// A google-authenticator file's error messages quote its text with unsafe characters escaped.
  func testGoogleAuthenticatorErrorsEscapeFileText() {
    let file = Array("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\" HOTP_COUNTER 1\u{1B}[2J\u{202E}\n".utf8)
    XCTAssertThrowsError(try GoogleAuthenticatorFile(parsing: file)) { e in
      let text = "\(e)"
      XCTAssertTrue(DisplayText.isSafe(text), text.debugDescription)
      XCTAssertTrue(text.contains("\\u{1b}"), text)
    }
    // HOTP_COUNTER: at most 2^63 - 1, digits only.
    for (value, ok) in [("9223372036854775807", true), ("9223372036854775808", false), ("+5", false), ("0", false)] {
      let f = Array("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\" HOTP_COUNTER \(value)\n".utf8)
      if ok {
        XCTAssertEqual(try GoogleAuthenticatorFile(parsing: f).counter, HOTP.maxCounter)
      } else {
        XCTAssertThrowsError(try GoogleAuthenticatorFile(parsing: f), value)
      }
    }
  }
}

final class ResyncLockoutTests: XCTestCase {
  func locked(_ a: Authenticator) -> User {
    var u = user([a])
    u.failures = Lockout.threshold
    u.lockedUntil = t0 + 60
    return u
  }

  /// A locked user cannot resync: refused without the codes being checked (even
  /// right ones), and the try is a further failure that extends the lock.
  func testLockedUserCannotResync() throws {
    let a = hotpAuth(counter: 10)
    var u = locked(a)
    XCTAssertThrowsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(a, 20), code2: code(a, 21), now: t0)
    ) { e in
      guard case .lockedOut(let name, let until) = e as? AccountsError else { return XCTFail("\(e)") }
      XCTAssertEqual(name, "alice")
      XCTAssertEqual(until, t0 + 120)
    }
    XCTAssertEqual(u.failures, Lockout.threshold + 1, "the refused try counts")
    XCTAssertEqual(u.lockedUntil, t0 + 120)
    XCTAssertEqual(u.authenticators[0].counter, 10, "nothing was resynchronised")
  }

  func testFailedResyncIsAFailureAndSuccessResets() throws {
    let a = hotpAuth(counter: 10)
    var u = user([a])
    for i in 1...Int(Lockout.threshold) {
      XCTAssertThrowsAccountsError(
        try Verifier.resync(&u, authenticatorID: nil, code1: code(a, 20), code2: code(a, 22), now: t0), .resyncFailed)
      XCTAssertEqual(u.failures, UInt32(i))
    }
    XCTAssertTrue(u.isLocked(at: t0), "five failed resyncs lock the user")
    // Once the lock has run out, a good resync resets the count like a verify success.
    let later = t0 + 61
    XCTAssertFalse(u.isLocked(at: later))
    _ = try Verifier.resync(&u, authenticatorID: nil, code1: code(a, 20), code2: code(a, 21), now: later)
    XCTAssertEqual(u.failures, 0)
    XCTAssertNil(u.lockedUntil)
    XCTAssertEqual(u.lastSuccessAt, later)
    XCTAssertEqual(u.authenticators[0].counter, 22)
  }

  func testTOTPDriftTooLargeIsAFailure() throws {
    let a = totpAuth()
    var u = user([a])
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: code(a, s0 - 2000), code2: code(a, s0 - 1999), now: t0),
      .resyncDriftTooLarge(steps: -1999, seconds: -59970))
    XCTAssertEqual(u.failures, 1)
  }

  /// A malformed code is a wrong code (docs/guide.md, "Exit codes", 1): a locked user is
  /// refused as locked, and the try counts as a further failure.
  func testMalformedCodesWhileLockedAreLockedTries() {
    let a = hotpAuth(counter: 10)
    var u = locked(a)
    XCTAssertThrowsAccountsError(
      try Verifier.resync(&u, authenticatorID: nil, code1: "12ab56", code2: "123456", now: t0),
      .lockedOut(user: u.name, until: t0 + 120))
    XCTAssertEqual(u.failures, Lockout.threshold + 1)
    XCTAssertEqual(u.authenticators[0].counter, 10)
  }
}
