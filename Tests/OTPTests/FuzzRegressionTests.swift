// Regression tests for what fuzzing found in the OTP module (docs/fuzzing.md). The
// crash inputs are also kept in fuzz/corpus/otpauth_uri/ as `regression-*`, so every
// `make fuzz-smoke` replays them.
import OTP
import XCTest

final class OTPFuzzRegressionTests: XCTestCase {
  let b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

  /// Fuzz target `otpauth_uri`: an account of only spaces, or with leading spaces, and
  /// no issuer in the label but an issuer parameter, was kept as it was; `uriString`
  /// then wrote "x:%20" (which does not parse: empty account) or "x:%20bob" (which
  /// parses to "bob"), so `users export-uri` gave a URI that import refuses or changes.
  /// Leading spaces of the account are dropped wherever the issuer comes from.
  func testAccountWithLeadingSpacesRoundTrips() throws {
    XCTAssertThrowsError(try OTPAuthURI(parsing: "otpauth://hotp/%20?secret=\(b32)&issuer=x&counter=5")) {
      XCTAssertEqual($0 as? OTPError, .emptyAccount)
    }
    XCTAssertThrowsError(try OTPAuthURI(parsing: "otpauth://totp/%20%20?secret=\(b32)")) {
      XCTAssertEqual($0 as? OTPError, .emptyAccount)
    }
    for text in [
      "otpauth://hotp/%20bob?secret=\(b32)&issuer=x&counter=5",
      "otpauth://totp/%20%20bob?secret=\(b32)",
      "otpauth://totp/x:%20bob?secret=\(b32)",
    ] {
      let uri = try OTPAuthURI(parsing: text)
      XCTAssertEqual(uri.account, "bob", text)
      XCTAssertEqual(try OTPAuthURI(parsing: uri.uriString), uri, uri.uriString)
    }
  }
}

extension OTPFuzzRegressionTests {
  /// Fuzz target `otpauth_uri` (issue 8, item 4): HOTP counters of 2^63 and more parsed
  /// (the fuzzer's: 18446744073709551610) and crashed later commands. The contract's range
  /// is 0 <= counter < 2^63, checked at parse time.
  func testHOTPCounterOf2To63OrMoreIsRefused() throws {
    for value in ["9223372036854775808", "18446744073709551610", "18446744073709551615"] {
      XCTAssertThrowsError(try OTPAuthURI(parsing: "otpauth://hotp/x?secret=\(b32)&counter=\(value)")) {
        XCTAssertEqual($0 as? OTPError, .invalidCounter(value))
        XCTAssertEqual(($0 as? OTPError)?.description, "invalid counter '\(value)' (expected 0 to 9223372036854775807)")
      }
    }
    let top = try OTPAuthURI(parsing: "otpauth://hotp/x?secret=\(b32)&counter=9223372036854775807")
    XCTAssertEqual(top.counter, 1 << 63 - 1)
  }
}
