// Issue 8 items 4 and 13: numbers and display text from otpauth URIs are range-checked
// at parse time (HOTP counter 0 <= c < 2^63) and labels/issuers refuse control
// characters and bidirectional overrides.
import OTP
import XCTest

final class InputRangeTests: XCTestCase {
  let b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

  func testHOTPCounterUpToTwoToThe63MinusOne() throws {
    let top = try OTPAuthURI(parsing: "otpauth://hotp/x?secret=\(b32)&counter=9223372036854775807")
    XCTAssertEqual(top.counter, HOTP.maxCounter)
    XCTAssertEqual(HOTP.maxCounter, UInt64(1) << 63 - 1)
    for bad in ["9223372036854775808", "18446744073709551615", "18446744073709551616", "99999999999999999999999"] {
      XCTAssertThrowsError(try OTPAuthURI(parsing: "otpauth://hotp/x?secret=\(b32)&counter=\(bad)"), bad) { e in
        XCTAssertEqual(e as? OTPError, .invalidCounter(bad))
      }
    }
  }

  func testBidiOverridesAndControlsRefusedInLabelAndIssuer() {
    for enc in ["%E2%80%AE", "%E2%80%AA", "%E2%81%A6", "%E2%81%A9", "%1B", "%7F", "%C2%85", "%0A", "%09"] {
      for uri in [
        "otpauth://totp/a\(enc)b?secret=\(b32)",
        "otpauth://totp/Iss\(enc):bob?secret=\(b32)",
        "otpauth://totp/bob?secret=\(b32)&issuer=Iss\(enc)",
      ] {
        XCTAssertThrowsError(try OTPAuthURI(parsing: uri), uri) { e in
          guard case .controlCharacter = e as? OTPError else { return XCTFail("\(uri): \(e)") }
        }
      }
    }
    // Ordinary non-ASCII text (and U+202F, a narrow no-break space next to the range) is fine.
    XCTAssertEqual(
      try OTPAuthURI(parsing: "otpauth://totp/Caf%C3%A9%E2%80%AF:bob?secret=\(b32)").issuer, "Café\u{202F}")
  }

  func testUnsafeDisplayTextRule() {
    for v: UInt32 in [
      0, 0x09, 0x0A, 0x1B, 0x1F, 0x7F, 0x80, 0x9B, 0x9F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
      0x2069,
    ] {
      XCTAssertTrue(UnsafeDisplayText.isUnsafe(Unicode.Scalar(v)!), String(v, radix: 16))
    }
    for v: UInt32 in [0x20, 0x41, 0x7E, 0xA0, 0xE9, 0x2029, 0x202F, 0x2065, 0x206A, 0x1F600] {
      XCTAssertFalse(UnsafeDisplayText.isUnsafe(Unicode.Scalar(v)!), String(v, radix: 16))
    }
  }

  /// An error message quoting a bad value escapes a bidi override instead of printing it.
  func testErrorMessagesEscapeBidiOverrides() {
    XCTAssertThrowsError(try OTPAuthURI(parsing: "otpauth://totp/x?secret=\(b32)&algorithm=SHA%E2%80%AE1")) { e in
      let text = "\(e)"
      XCTAssertFalse(text.unicodeScalars.contains { UnsafeDisplayText.isUnsafe($0) }, text)
      XCTAssertTrue(text.contains("\\u{202e}"), text)
    }
  }
}
