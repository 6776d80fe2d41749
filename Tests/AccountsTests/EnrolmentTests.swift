import Accounts
import OTP
import XCTest

final class EnrolmentTests: XCTestCase {
  private func isHex(_ s: String, _ n: Int) -> Bool {
    s.count == n && s.allSatisfy { "0123456789abcdef".contains($0) }
  }

  func testIdentifiers() {
    let ids = (0..<200).map { _ in Enrolment.newUserID() }
    XCTAssertTrue(ids.allSatisfy { isHex($0, 16) })
    XCTAssertEqual(Set(ids).count, ids.count)
    var existing: Set<String> = []
    for _ in 0..<200 {
      let id = Enrolment.newAuthenticatorID(existing: existing)
      XCTAssertTrue(isHex(id, 8))
      XCTAssertFalse(existing.contains(id))
      existing.insert(id)
    }
  }

  func testNewUser() throws {
    let u = try Enrolment.newUser(name: "alice", now: 77)
    XCTAssertEqual(u.name, "alice")
    XCTAssertEqual(u.createdAt, 77)
    XCTAssertTrue(isHex(u.id, 16))
    XCTAssertEqual(u.failures, 0)
    XCTAssertFalse(u.disabled)
    XCTAssertTrue(u.authenticators.isEmpty)
    XCTAssertThrowsError(try Enrolment.newUser(name: "-x", now: 0))
  }

  func testDefaultsAndSecretLengths() throws {
    let a = try Enrolment.newAuthenticator(existingIDs: [], now: 5)
    XCTAssertEqual(a.type, .totp)
    XCTAssertEqual(a.algorithm, .sha1)
    XCTAssertEqual(a.digits, 6)
    XCTAssertEqual(a.period, 30)
    XCTAssertEqual(a.secret.count, 20)
    XCTAssertEqual(a.state, .pending)
    XCTAssertEqual(a.createdAt, 5)
    XCTAssertNil(a.confirmedAt)
    XCTAssertNil(a.lastStep)
    XCTAssertEqual(a.drift, 0)
    XCTAssertEqual(a.counter, 0)
    XCTAssertTrue(isHex(a.id, 8))
    XCTAssertEqual(try Enrolment.newAuthenticator(algorithm: .sha256, existingIDs: [], now: 0).secret.count, 32)
    XCTAssertEqual(try Enrolment.newAuthenticator(algorithm: .sha512, existingIDs: [], now: 0).secret.count, 64)
    let b = try Enrolment.newAuthenticator(existingIDs: [], now: 5)
    XCTAssertNotEqual(a.secret, b.secret)
  }

  func testExplicitParameters() throws {
    let a = try Enrolment.newAuthenticator(
      type: .hotp, algorithm: .sha256, digits: 8, period: 60, issuer: "Example", label: "yubikey",
      secret: rfcSeed, counter: 9, activate: true, existingIDs: ["aaaaaaaa"], now: 10)
    XCTAssertEqual(a.type, .hotp)
    XCTAssertEqual(a.digits, 8)
    XCTAssertEqual(a.period, 60)
    XCTAssertEqual(a.issuer, "Example")
    XCTAssertEqual(a.label, "yubikey")
    XCTAssertEqual(a.secret, rfcSeed)
    XCTAssertEqual(a.counter, 9)
    XCTAssertEqual(a.state, .active)
    XCTAssertEqual(a.confirmedAt, 10)
  }

  func testParameterValidation() {
    func bad(_ f: @autoclosure () throws -> Authenticator, _ message: String, line: UInt = #line) {
      XCTAssertThrowsAccountsError(try f(), .invalidParameter(message), line: line)
    }
    bad(try Enrolment.newAuthenticator(digits: 7, existingIDs: [], now: 0), "digits must be 6 or 8")
    bad(try Enrolment.newAuthenticator(digits: 9, existingIDs: [], now: 0), "digits must be 6 or 8")
    bad(try Enrolment.newAuthenticator(period: 0, existingIDs: [], now: 0), "period must be 1 to 86400 seconds")
    bad(try Enrolment.newAuthenticator(period: 86401, existingIDs: [], now: 0), "period must be 1 to 86400 seconds")
    XCTAssertNoThrow(try Enrolment.newAuthenticator(period: 86400, existingIDs: [], now: 0))
    XCTAssertNoThrow(try Enrolment.newAuthenticator(period: 1, existingIDs: [], now: 0))
    bad(
      try Enrolment.newAuthenticator(secret: Array(repeating: 1, count: 9), existingIDs: [], now: 0),
      "secret must be at least 10 bytes (80 bits)")
    XCTAssertNoThrow(try Enrolment.newAuthenticator(secret: Array(repeating: 1, count: 10), existingIDs: [], now: 0))
    bad(
      try Enrolment.newAuthenticator(secret: Array(repeating: 1, count: 1025), existingIDs: [], now: 0),
      "secret must be at most 1024 bytes")
    bad(try Enrolment.newAuthenticator(issuer: "A:B", existingIDs: [], now: 0), "issuer must not contain ':'")
    bad(try Enrolment.newAuthenticator(issuer: "", existingIDs: [], now: 0), "issuer must not be empty")
    bad(
      try Enrolment.newAuthenticator(label: "a\u{1b}b", existingIDs: [], now: 0),
      "label must not contain a control character (U+001B)")
    bad(
      try Enrolment.newAuthenticator(label: String(repeating: "x", count: 257), existingIDs: [], now: 0),
      "label must be at most 256 bytes")
    let full = Set((0..<32).map { String(format8($0)) })
    bad(try Enrolment.newAuthenticator(existingIDs: full, now: 0), "a user may hold at most 32 authenticators")
  }

  // MARK: confirm

  func testConfirmActivatesAndConsumesTheCode() throws {
    var u = user([totpAuth(), totpAuth(id: "ddddddd1", secret: Array(repeating: 4, count: 20), state: .pending)])
    let p = u.authenticators[1]
    let c = code(p, s0 + 1)
    XCTAssertEqual(try Enrolment.confirm(&u, code: c, now: t0), .accepted(authenticatorID: p.id, offset: 1))
    XCTAssertEqual(u.authenticators[1].state, .active)
    XCTAssertEqual(u.authenticators[1].confirmedAt, t0)
    XCTAssertEqual(u.authenticators[1].lastStep, UInt64(s0 + 1))
    XCTAssertEqual(u.lastSuccessAt, t0)
    // The code used to confirm cannot be used again to log in.
    XCTAssertEqual(try Verifier.verify(&u, code: c, now: t0), .rejected(replay: true))
    // Nothing pending any more.
    XCTAssertThrowsAccountsError(try Enrolment.confirm(&u, code: c, now: t0), .noPendingAuthenticator("alice"))
  }

  func testConfirmHOTP() throws {
    var u = user([hotpAuth(state: .pending)])
    let a = u.authenticators[0]
    XCTAssertEqual(try Enrolment.confirm(&u, code: code(a, 2), now: t0), .accepted(authenticatorID: a.id, offset: 2))
    XCTAssertEqual(u.authenticators[0].counter, 3)
    XCTAssertEqual(u.authenticators[0].state, .active)
  }

  func testConfirmIgnoresActiveAuthenticators() throws {
    let active = totpAuth()
    var u = user([active, totpAuth(id: "ddddddd1", secret: Array(repeating: 4, count: 20), state: .pending)])
    XCTAssertEqual(try Enrolment.confirm(&u, code: code(active, s0), now: t0), .rejected(replay: false))
    XCTAssertEqual(u.failures, 1)
    XCTAssertEqual(u.authenticators[1].state, .pending)
    XCTAssertNil(u.authenticators[0].lastStep)
  }

  func testConfirmNewestPendingFirst() throws {
    // Two pending authenticators with the same secret: the newer one is activated.
    let old = totpAuth(id: "0000000a", state: .pending, createdAt: 100)
    let new = totpAuth(id: "0000000b", state: .pending, createdAt: 200)
    var u = user([new, old])
    XCTAssertEqual(
      try Enrolment.confirm(&u, code: code(old, s0), now: t0), .accepted(authenticatorID: "0000000b", offset: 0))
    XCTAssertEqual(u.authenticators.map(\.state), [.active, .pending])
    // An explicit id picks that one.
    var v = user([new, old])
    XCTAssertEqual(
      try Enrolment.confirm(&v, code: code(old, s0), now: t0, authenticatorID: "0000000a"),
      .accepted(authenticatorID: "0000000a", offset: 0))
    XCTAssertThrowsAccountsError(
      try Enrolment.confirm(&v, code: code(old, s0), now: t0, authenticatorID: "0000000a"),
      .invalidParameter("authenticator 0000000a is already active"))
    XCTAssertThrowsAccountsError(
      try Enrolment.confirm(&v, code: code(old, s0), now: t0, authenticatorID: "99999999"),
      .authenticatorNotFound("99999999"))
  }

  func testConfirmWrongCodeCountsAndLocks() throws {
    let p = totpAuth(state: .pending)
    var u = user([p])
    let wrong = wrongCode(p, around: s0)
    for _ in 1...5 { XCTAssertEqual(try Enrolment.confirm(&u, code: wrong, now: t0), .rejected(replay: false)) }
    XCTAssertEqual(u.lockedUntil, t0 + 60)
    XCTAssertEqual(try Enrolment.confirm(&u, code: code(p, s0), now: t0 + 1), .locked(until: t0 + 1 + 120))
    XCTAssertEqual(u.authenticators[0].state, .pending)
    // Malformed codes while locked are locked tries, like any other code.
    XCTAssertEqual(try Enrolment.confirm(&u, code: "1234567", now: t0 + 2), .locked(until: t0 + 2 + 240))
    XCTAssertEqual(u.failures, 7)
    // Unlocked, a malformed code is a wrong code: counted, nothing activated.
    u.lockedUntil = nil
    u.failures = 0
    XCTAssertEqual(try Enrolment.confirm(&u, code: "1234567", now: t0), .malformed("code must be 6 or 8 digits"))
    XCTAssertEqual(try Enrolment.confirm(&u, code: "12345678", now: t0), .malformed("code must be 6 digits"))
    XCTAssertEqual(u.failures, 2)
    XCTAssertEqual(u.authenticators[0].state, .pending)
  }

  func testConfirmDisabled() throws {
    var u = user([totpAuth(state: .pending)])
    u.disabled = true
    let before = u
    XCTAssertEqual(try Enrolment.confirm(&u, code: code(u.authenticators[0], s0), now: t0), .disabled)
    XCTAssertEqual(u, before)
  }

  func testEnrolledAuthenticatorRoundTripsThroughTheCodec() throws {
    var u = try Enrolment.newUser(name: "bob", now: 1)
    for alg in OTPAlgorithm.allCases {
      let ids = Set(u.authenticators.map(\.id))
      u.authenticators.append(try Enrolment.newAuthenticator(algorithm: alg, issuer: "X", existingIDs: ids, now: 2))
    }
    XCTAssertEqual(try UserCodec.decode(UserCodec.encode(u)), u)
  }
}

private func format8(_ i: Int) -> String {
  let s = String(i, radix: 16)
  return String(repeating: "0", count: 8 - s.count) + s
}
