// Shared helpers: the RFC 6238 seed, authenticators and users built by hand, and codes
// computed with the OTP module (so these tests check the window rules, not HMAC).
import Accounts
import OTP
import XCTest

/// RFC 4226 / RFC 6238 test seed (SHA-1).
let rfcSeed = Array("12345678901234567890".utf8)
/// A fixed clock: 1_111_111_109 is one of the RFC 6238 test times (step 37037036).
let t0: Int64 = 1_111_111_109
let s0: Int64 = t0 / 30

func totpAuth(
  id: String = "aaaaaaa1", digits: Int = 6, period: UInt32 = 30, algorithm: OTPAlgorithm = .sha1,
  secret: [UInt8] = rfcSeed, state: AuthenticatorState = .active, createdAt: Int64 = 1_000_000_000
) -> Authenticator {
  Authenticator(
    id: id, type: .totp, algorithm: algorithm, digits: digits, period: period, secret: secret, state: state,
    createdAt: createdAt)
}

func hotpAuth(
  id: String = "bbbbbbb1", digits: Int = 6, counter: UInt64 = 0, secret: [UInt8] = rfcSeed,
  state: AuthenticatorState = .active, createdAt: Int64 = 1_000_000_000
) -> Authenticator {
  Authenticator(
    id: id, type: .hotp, algorithm: .sha1, digits: digits, period: 30, secret: secret, state: state,
    createdAt: createdAt, counter: counter)
}

func user(_ authenticators: [Authenticator]) -> User {
  User(name: "alice", id: "0123456789abcdef", createdAt: 1_000_000_000, authenticators: authenticators)
}

/// The code an authenticator shows at TOTP step or HOTP counter `n`.
func code(_ a: Authenticator, _ n: Int64) -> String {
  HOTP.code(secret: a.secret, counter: UInt64(n), algorithm: a.algorithm, digits: a.digits)
}

/// A code of the right length that matches none of the steps/counters `around ± span`.
func wrongCode(_ a: Authenticator, around n: Int64, span: Int64 = 100) -> String {
  let used = Set((max(0, n - span)...(n + span)).map { code(a, $0) })
  var v = 0
  while true {
    let s = String(v)
    let c = String(repeating: "0", count: a.digits - s.count) + s
    if !used.contains(c) { return c }
    v += 1
  }
}

func XCTAssertThrowsAccountsError<T>(
  _ expression: @autoclosure () throws -> T, _ expected: AccountsError, file: StaticString = #filePath,
  line: UInt = #line
) {
  XCTAssertThrowsError(try expression(), file: file, line: line) { error in
    XCTAssertEqual(error as? AccountsError, expected, file: file, line: line)
  }
}
