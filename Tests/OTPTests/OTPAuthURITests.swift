import OTP
import XCTest

final class OTPAuthURITests: XCTestCase {
  let secret20 = Array("12345678901234567890".utf8)  // GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
  let b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

  func parse(_ text: String) throws -> OTPAuthURI { try OTPAuthURI(parsing: text) }

  // MARK: Building

  func testUriStringShape() {
    let totp = OTPAuthURI(
      type: .totp, secret: secret20, issuer: "ACME Co", account: "john@example.com",
      algorithm: .sha1, digits: 6, period: 30, counter: 0)
    XCTAssertEqual(
      totp.uriString,
      "otpauth://totp/ACME%20Co:john%40example.com?secret=\(b32)&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30")
    let hotp = OTPAuthURI(
      type: .hotp, secret: secret20, issuer: nil, account: "alice", algorithm: .sha512,
      digits: 8, period: 30, counter: 42)
    XCTAssertEqual(hotp.uriString, "otpauth://hotp/alice?secret=\(b32)&algorithm=SHA512&digits=8&counter=42")
  }

  // MARK: Round trips

  func assertRoundTrip(_ uri: OTPAuthURI, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(try parse(uri.uriString), uri, uri.uriString, file: file, line: line)
  }

  func testRoundTripAllAlgorithmsAndTypes() {
    for algorithm in OTPAlgorithm.allCases {
      let secret = (0..<algorithm.defaultSecretLength).map { UInt8($0 * 7 % 256) }
      for digits in [6, 8] {
        assertRoundTrip(
          OTPAuthURI(
            type: .totp, secret: secret, issuer: "Example", account: "bob",
            algorithm: algorithm, digits: digits, period: 60, counter: 0))
        assertRoundTrip(
          OTPAuthURI(
            type: .hotp, secret: secret, issuer: "Example", account: "bob",
            algorithm: algorithm, digits: digits, period: 30, counter: HOTP.maxCounter))
      }
    }
    assertRoundTrip(
      OTPAuthURI(
        type: .totp, secret: secret20, issuer: nil, account: "x", algorithm: .sha1,
        digits: 6, period: 1, counter: 0))
    assertRoundTrip(
      OTPAuthURI(
        type: .totp, secret: secret20, issuer: nil, account: "x", algorithm: .sha1,
        digits: 6, period: 86400, counter: 0))
    assertRoundTrip(
      OTPAuthURI(
        type: .hotp, secret: secret20, issuer: nil, account: "x", algorithm: .sha1,
        digits: 6, period: 30, counter: 0))
  }

  func testRoundTripAwkwardLabels() {
    let names = [
      "Müller & Söhne: Zürich", "a:b:c", "50% off?", "issuer with spaces", "x=y&z=w", "slash/and\\back",
      "#hash", "+plus+", "日本語の発行者", "emoji 🔐 key", String(repeating: "long name ", count: 60), "~-._",
      "trailing space ",
    ]
    for issuer in names {
      for account in ["john doe@example.com", "a:b", "ünïcødé user", "q?x=1&secret=AAAA", "+1 555 0100"] {
        assertRoundTrip(
          OTPAuthURI(
            type: .totp, secret: secret20, issuer: issuer, account: account,
            algorithm: .sha256, digits: 8, period: 30, counter: 0))
      }
    }
    // No issuer, ':' in the account: written with a leading ':' so it stays one account.
    let noIssuer = OTPAuthURI(
      type: .totp, secret: secret20, issuer: nil, account: "mail:bob", algorithm: .sha1,
      digits: 6, period: 30, counter: 0)
    XCTAssertTrue(noIssuer.uriString.hasPrefix("otpauth://totp/:mail%3Abob?"), noIssuer.uriString)
    assertRoundTrip(noIssuer)
  }

  func testEmptyIssuerIsNil() {
    let uri = OTPAuthURI(
      type: .totp, secret: secret20, issuer: "", account: "bob", algorithm: .sha1, digits: 6,
      period: 30, counter: 0)
    XCTAssertNil(uri.issuer)
    XCTAssertEqual(uri.uriString, "otpauth://totp/bob?secret=\(b32)&algorithm=SHA1&digits=6&period=30")
  }

  // MARK: Parsing what others produce

  func testParsesGoogleExample() throws {
    let uri = try parse(
      "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")
    XCTAssertEqual(uri.type, .totp)
    XCTAssertEqual(uri.issuer, "Example")
    XCTAssertEqual(uri.account, "alice@google.com")
    XCTAssertEqual(uri.secret, Array("Hello!\u{DE}\u{AD}\u{BE}\u{EF}".unicodeScalars.map { UInt8($0.value) }))
    XCTAssertEqual(uri.algorithm, .sha1)
    XCTAssertEqual(uri.digits, 6)
    XCTAssertEqual(uri.period, 30)
  }

  func testLenientForms() throws {
    // Encoded separator, spaces after it, mixed case, padding, unknown parameters.
    let a = try parse(
      "  OTPAUTH://TOTP/ACME%20Co%3A%20%20john?SECRET=gezdgnbvgy3tqojqgezdgnbvgy3tqojqge%3D%3D%3D%3D%3D%3D&Issuer=ACME+Co"
        + "&algorithm=sha-256&digits=8&period=60&image=https%3A%2F%2Fexample.com%2Fx.png&&\n")
    XCTAssertEqual(a.issuer, "ACME Co")
    XCTAssertEqual(a.account, "john")
    XCTAssertEqual(a.secret, Array("123456789012345678901".utf8))
    XCTAssertEqual(a.algorithm, .sha256)
    XCTAssertEqual(a.digits, 8)
    XCTAssertEqual(a.period, 60)

    // Issuer only in the label; raw spaces and raw UTF-8.
    let b = try parse("otpauth://totp/Bank Ümlaut: jo smith?secret=\(b32)")
    XCTAssertEqual(b.issuer, "Bank Ümlaut")
    XCTAssertEqual(b.account, "jo smith")

    // Issuer only as a parameter; a literal '+' in the label is a plus.
    let c = try parse("otpauth://totp/c%2B%2B+dev?secret=\(b32)&issuer=Forge")
    XCTAssertEqual(c.issuer, "Forge")
    XCTAssertEqual(c.account, "c+++dev")

    // A '+' the label keeps literally also matches the issuer parameter's literal '+'.
    let d = try parse("otpauth://totp/A+B:x?secret=\(b32)&issuer=A+B")
    XCTAssertEqual(d.issuer, "A+B")

    // period on hotp and counter on totp are ignored.
    let e = try parse("otpauth://hotp/x?secret=\(b32)&counter=7&period=abc")
    XCTAssertEqual(e.counter, 7)
    XCTAssertEqual(e.period, 30)
    let f = try parse("otpauth://totp/x?secret=\(b32)&counter=abc")
    XCTAssertEqual(f.counter, 0)

    XCTAssertEqual(try parse("otpauth://totp/x?secret=\(b32)&digits=06").digits, 6)
    XCTAssertEqual(try parse("otpauth://totp/x?secret=GEZD%20GNBV-GY3TQOJQGEZDGNBVGY3TQOJQ").secret, secret20)
    XCTAssertEqual(try parse("otpauth://totp/:x?secret=\(b32)").issuer, nil)
    XCTAssertEqual(try parse("otpauth://totp/x?secret=\(b32)&issuer=").issuer, nil)
    XCTAssertEqual(try parse("otpauth://totp/ACME:x?secret=\(b32)&issuer=").issuer, "ACME")
  }

  func testSecretLengthLimits() throws {
    XCTAssertEqual(
      try parse("otpauth://totp/x?secret=\(Base32.encode([UInt8](repeating: 1, count: 10)))").secret.count, 10)
    XCTAssertEqual(
      try parse("otpauth://totp/x?secret=\(Base32.encode([UInt8](repeating: 1, count: 1024)))").secret.count, 1024)
  }

  // MARK: One test per error

  func testNotAnOTPAuthURI() {
    assertThrows(.notOTPAuthURI, try parse(""))
    assertThrows(.notOTPAuthURI, try parse("GEZDGNBVGY3TQOJQ"))
    assertThrows(.notOTPAuthURI, try parse("otpauth:totp/x?secret=\(b32)"))
    assertThrows(.notOTPAuthURI, try parse("otpauth:/totp/x?secret=\(b32)"))
    assertThrows(.notOTPAuthURI, try parse("ACME Co:bob"))
  }

  func testUnsupportedScheme() {
    let m = assertThrows(.unsupportedScheme("https"), try parse("https://totp/x?secret=\(b32)"))
    XCTAssertEqual(m, "unsupported URI scheme 'https' (expected otpauth)")
    assertThrows(.unsupportedScheme("otpauth-migration"), try parse("otpauth-migration://offline?data=abc"))
  }

  func testMissingType() {
    assertThrows(.missingType, try parse("otpauth:///x?secret=\(b32)"))
    assertThrows(.missingType, try parse("otpauth://?secret=\(b32)"))
  }

  func testUnsupportedType() {
    let m = assertThrows(.unsupportedType("motp"), try parse("otpauth://motp/x?secret=\(b32)"))
    XCTAssertEqual(m, "unsupported otpauth type 'motp' (expected totp or hotp)")
  }

  func testMissingLabel() {
    assertThrows(.missingLabel, try parse("otpauth://totp?secret=\(b32)"))
    assertThrows(.missingLabel, try parse("otpauth://totp/?secret=\(b32)"))
  }

  func testEmptyAccount() {
    assertThrows(.emptyAccount, try parse("otpauth://totp/ACME:?secret=\(b32)"))
    assertThrows(.emptyAccount, try parse("otpauth://totp/ACME:%20%20?secret=\(b32)"))
    assertThrows(.emptyAccount, try parse("otpauth://totp/ACME%3A?secret=\(b32)"))
  }

  func testFragment() {
    assertThrows(.fragmentNotAllowed, try parse("otpauth://totp/a#b?secret=\(b32)"))
    assertThrows(.fragmentNotAllowed, try parse("otpauth://totp/x?secret=\(b32)#frag"))
  }

  func testInvalidPercentEscapes() {
    let m = assertThrows(
      .invalidPercentEscape(part: "the label", escape: "%G1"), try parse("otpauth://totp/a%G1?secret=\(b32)"))
    XCTAssertEqual(m, "invalid percent-escape '%G1' in the label")
    assertThrows(.invalidPercentEscape(part: "the label", escape: "%4"), try parse("otpauth://totp/a%4?secret=\(b32)"))
    assertThrows(
      .invalidPercentEscape(part: "the label", escape: "%"), try parse("otpauth://totp/ACME:bob%?secret=\(b32)"))
    assertThrows(
      .invalidPercentEscape(part: "parameter 'issuer'", escape: "%zz"),
      try parse("otpauth://totp/x?secret=\(b32)&issuer=%zz"))
    assertThrows(
      .invalidPercentEscape(part: "a parameter name", escape: "%x"), try parse("otpauth://totp/x?secret=\(b32)&%x=1"))
    // The secret's escapes are not shown.
    let s = assertThrows(
      .invalidPercentEscape(part: "parameter 'secret'", escape: nil), try parse("otpauth://totp/x?secret=GEZD%Q7"))
    XCTAssertEqual(s, "invalid percent-escape in parameter 'secret'")
  }

  func testInvalidUTF8() {
    let m = assertThrows(.invalidUTF8(part: "the label"), try parse("otpauth://totp/a%FF?secret=\(b32)"))
    XCTAssertEqual(m, "the label is not valid UTF-8 after percent-decoding")
    assertThrows(.invalidUTF8(part: "the label"), try parse("otpauth://totp/%C3?secret=\(b32)"))  // truncated
    assertThrows(.invalidUTF8(part: "the label"), try parse("otpauth://totp/%C0%AF?secret=\(b32)"))  // overlong
    assertThrows(.invalidUTF8(part: "the label"), try parse("otpauth://totp/%ED%A0%80?secret=\(b32)"))  // surrogate
    assertThrows(.invalidUTF8(part: "parameter 'issuer'"), try parse("otpauth://totp/x?secret=\(b32)&issuer=%80"))
  }

  func testControlCharacters() {
    assertThrows(.controlCharacter(part: "the label"), try parse("otpauth://totp/a%1B%5B2J?secret=\(b32)"))
    assertThrows(.controlCharacter(part: "the label"), try parse("otpauth://totp/a%00?secret=\(b32)"))
    assertThrows(.controlCharacter(part: "the label"), try parse("otpauth://totp/x%0A:y?secret=\(b32)"))
    assertThrows(.controlCharacter(part: "parameter 'issuer'"), try parse("otpauth://totp/x?secret=\(b32)&issuer=%7F"))
  }

  func testIssuerMismatch() {
    let m = assertThrows(
      .issuerMismatch(label: "ACME", parameter: "Evil"), try parse("otpauth://totp/ACME:bob?secret=\(b32)&issuer=Evil"))
    XCTAssertEqual(m, "otpauth URI issuer mismatch: label says 'ACME' but parameter 'issuer' says 'Evil'")
    assertThrows(
      .issuerMismatch(label: "ACME", parameter: "acme"), try parse("otpauth://totp/ACME:bob?secret=\(b32)&issuer=acme"))
  }

  func testDuplicateParameter() {
    let m = assertThrows(.duplicateParameter("secret"), try parse("otpauth://totp/x?secret=\(b32)&secret=\(b32)"))
    XCTAssertEqual(m, "otpauth URI has parameter 'secret' more than once")
    assertThrows(.duplicateParameter("digits"), try parse("otpauth://totp/x?secret=\(b32)&digits=6&DIGITS=8"))
    assertThrows(.duplicateParameter("image"), try parse("otpauth://totp/x?secret=\(b32)&image=a&image=b"))
  }

  func testMissingSecret() {
    let m = assertThrows(.missingSecret, try parse("otpauth://totp/ACME:bob?issuer=ACME"))
    XCTAssertEqual(m, "otpauth URI has no secret parameter")
    assertThrows(.missingSecret, try parse("otpauth://totp/ACME:bob"))
  }

  func testEmptySecret() {
    assertThrows(.emptySecret, try parse("otpauth://totp/x?secret="))
    assertThrows(.emptySecret, try parse("otpauth://totp/x?secret&digits=6"))
    assertThrows(.emptySecret, try parse("otpauth://totp/x?secret=%20%20"))
  }

  func testInvalidSecret() {
    let m = assertThrows(
      .invalidSecret(.invalidBase32Character("1", position: 5)), try parse("otpauth://totp/x?secret=GEZD1NBVGY3TQOJQ"))
    XCTAssertEqual(m, "otpauth URI secret parameter: invalid base32 character '1' at position 5")
    assertThrows(.invalidSecret(.invalidBase32Length(17)), try parse("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQG"))
    assertThrows(
      .invalidSecret(.invalidBase32Character("+", position: 5)), try parse("otpauth://totp/x?secret=GEZD+GNBVGY3TQOJQ"))
    assertThrows(
      .invalidSecret(.invalidBase32Padding(found: 2, expected: 0)), try parse("otpauth://totp/x?secret=\(b32)=="))
    assertThrows(
      .invalidSecret(.base32TrailingBits(position: 18)), try parse("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGF"))
  }

  func testSecretTooShort() {
    let nine = Base32.encode([UInt8](repeating: 7, count: 9))
    let m = assertThrows(.secretTooShort(bytes: 9), try parse("otpauth://totp/x?secret=\(nine)"))
    XCTAssertTrue(m.hasPrefix("secret is too short: 9 bytes"), m)
    XCTAssertTrue(m.contains("RFC 4226"), m)
    XCTAssertFalse(m.contains(nine), m)
  }

  func testSecretTooLong() {
    let long = Base32.encode([UInt8](repeating: 7, count: 1025))
    let m = assertThrows(.secretTooLong(bytes: 1025), try parse("otpauth://totp/x?secret=\(long)"))
    XCTAssertEqual(m, "secret is too long: 1025 bytes (at most 1024)")
  }

  func testUnsupportedAlgorithm() {
    let m = assertThrows(.unsupportedAlgorithm("MD5"), try parse("otpauth://totp/x?secret=\(b32)&algorithm=MD5"))
    XCTAssertEqual(m, "unsupported algorithm 'MD5' (expected SHA1, SHA256 or SHA512)")
    assertThrows(.unsupportedAlgorithm(""), try parse("otpauth://totp/x?secret=\(b32)&algorithm="))
  }

  func testInvalidDigits() {
    for value in ["7", "5", "9", "10", "", "six", "+6", "-6", " 6", "99999999999999999999999"] {
      let encoded = value.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: " ", with: "%20")
      let m = assertThrows(.invalidDigits(value), try parse("otpauth://totp/x?secret=\(b32)&digits=\(encoded)"))
      XCTAssertTrue(m.hasSuffix("(expected 6 or 8)"), m)
    }
  }

  func testInvalidPeriod() {
    for value in ["0", "86401", "4294967296", "-30", "30s", ""] {
      let m = assertThrows(.invalidPeriod(value), try parse("otpauth://totp/x?secret=\(b32)&period=\(value)"))
      XCTAssertTrue(m.hasSuffix("(expected 1 to 86400 seconds)"), m)
    }
  }

  func testMissingCounter() {
    let m = assertThrows(.missingCounter, try parse("otpauth://hotp/x?secret=\(b32)"))
    XCTAssertEqual(m, "hotp otpauth URI has no counter parameter")
  }

  func testInvalidCounter() {
    // 0 <= counter < 2^63 (docs/security.md, "Arguments (argv)"); beyond is bad data, not
    // a crash later.
    for value in ["-1", "18446744073709551616", "18446744073709551615", "9223372036854775808", "1e3", "", "0x10"] {
      assertThrows(.invalidCounter(value), try parse("otpauth://hotp/x?secret=\(b32)&counter=\(value)"))
    }
    XCTAssertEqual(try parse("otpauth://hotp/x?secret=\(b32)&counter=9223372036854775807").counter, HOTP.maxCounter)
  }

  /// No error message may contain the secret, whatever else is wrong with the URI.
  func testErrorsNeverContainTheSecret() {
    let secretText = "JBSWY3DPEHPK3PXPJBSWY3DP"
    let broken = [
      "otpauth://totp/x?secret=\(secretText)&digits=7",
      "otpauth://totp/x?secret=\(secretText)&secret=\(secretText)",
      "otpauth://motp/x?secret=\(secretText)",
      "otpauth://totp/x?secret=\(secretText)1",
      "otpauth://totp/x?secret=\(secretText)%zz",
      "otpauth://totp/x?secret=\(secretText)%FF",
      "otpauth://totp/A:x?secret=\(secretText)&issuer=B",
      "https://totp/x?secret=\(secretText)",
    ]
    for text in broken {
      do {
        _ = try parse(text)
        XCTFail("accepted \(text)")
      } catch {
        XCTAssertFalse("\(error)".contains("JBSWY3DP"), "\(error)")
      }
    }
  }

  func testLongValuesAreCutInMessages() {
    let long = String(repeating: "x", count: 500)
    let m = assertThrows(.unsupportedAlgorithm(long), try parse("otpauth://totp/x?secret=\(b32)&algorithm=\(long)"))
    XCTAssertLessThan(m.count, 150)
  }
}
