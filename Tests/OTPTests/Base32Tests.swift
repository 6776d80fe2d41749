import OTP
import XCTest

final class Base32Tests: XCTestCase {
  // RFC 4648 section 10.
  static let vectors: [(String, String)] = [
    ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
    ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
  ]

  func testRFC4648Encode() {
    for (plain, encoded) in Self.vectors {
      XCTAssertEqual(Base32.encode(Array(plain.utf8), padding: true), encoded)
      XCTAssertEqual(Base32.encode(Array(plain.utf8)), encoded.filter { $0 != "=" })
    }
  }

  func testRFC4648Decode() throws {
    for (plain, encoded) in Self.vectors {
      XCTAssertEqual(try Base32.decode(encoded), Array(plain.utf8), encoded)
      XCTAssertEqual(try Base32.decode(encoded.filter { $0 != "=" }), Array(plain.utf8), encoded)
    }
  }

  func testTolerance() throws {
    let foobar = Array("foobar".utf8)
    XCTAssertEqual(try Base32.decode("mzxw6ytboi"), foobar)
    XCTAssertEqual(try Base32.decode("MzXw6YtBoI======"), foobar)
    XCTAssertEqual(try Base32.decode("MZXW 6YTB OI"), foobar)
    XCTAssertEqual(try Base32.decode(" mzxw-6ytb-oi "), foobar)
    XCTAssertEqual(try Base32.decode("MZXW6YTBOI= = = = = ="), foobar)
    XCTAssertEqual(try Base32.decode("   "), [])
  }

  func testRoundTripAllLengths() throws {
    var generator = SystemRandomNumberGenerator()
    for length in 0...70 {
      let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      for padding in [false, true] {
        let encoded = Base32.encode(data, padding: padding)
        XCTAssertEqual(encoded.count % 8 == 0, padding || encoded.count % 8 == 0)
        XCTAssertEqual(try Base32.decode(encoded), data)
        XCTAssertEqual(try Base32.decode(encoded.lowercased()), data)
        XCTAssertEqual(try Base32.decode(Base32.grouped(encoded)), data)
      }
    }
  }

  func testRejectsInvalidCharacters() {
    assertThrows(.invalidBase32Character("1", position: 5), try Base32.decode("MZXW1YTB"))
    assertThrows(.invalidBase32Character("0", position: 1), try Base32.decode("0ZXW6YTB"))
    assertThrows(.invalidBase32Character("8", position: 2), try Base32.decode("M8"))
    assertThrows(.invalidBase32Character("é", position: 3), try Base32.decode("MZé"))
    assertThrows(.invalidBase32Character("\t", position: 3), try Base32.decode("MZ\tXW6YTB"))
    assertThrows(.invalidBase32Character("+", position: 6), try Base32.decode("MZ XW+6YTB"))
    let message = assertThrows(.invalidBase32Character("1", position: 5), try Base32.decode("MZXW1YTB"))
    XCTAssertEqual(message, "invalid base32 character '1' at position 5")
    XCTAssertEqual(
      OTPError.invalidBase32Character("\u{1B}", position: 1).description,
      "invalid base32 character '\\u{1b}' at position 1")
  }

  func testRejectsImpossibleLengths() {
    for text in ["M", "MZX", "MZXW6Y", "MZXW6YTBO", "MZXW6YTBOIA", "MZXW6YTBOIAAAA"] {
      let count = text.count
      let message = assertThrows(.invalidBase32Length(count), try Base32.decode(text))
      XCTAssertTrue(message.hasPrefix("invalid base32 length: \(count) characters"), message)
    }
    assertThrows(.invalidBase32Length(1), try Base32.decode("M======="))
  }

  func testRejectsWrongPadding() {
    assertThrows(.invalidBase32Padding(found: 1, expected: 6), try Base32.decode("MY="))
    assertThrows(.invalidBase32Padding(found: 7, expected: 6), try Base32.decode("MY======="))
    assertThrows(.invalidBase32Padding(found: 2, expected: 0), try Base32.decode("MZXW6YTB=="))
    assertThrows(.invalidBase32Padding(found: 8, expected: 0), try Base32.decode("========"))
    assertThrows(.invalidBase32Padding(found: 3, expected: 1), try Base32.decode("MZXW6YQ==="))
    let message = assertThrows(.base32DataAfterPadding(position: 4), try Base32.decode("MY=Y======"))
    XCTAssertEqual(message, "invalid base32: data after '=' padding at position 4")
  }

  func testRejectsNonZeroTrailingBits() {
    // "MY" is 'f' (01100 110|00): "MZ" sets one of the two unused bits.
    assertThrows(.base32TrailingBits(position: 2), try Base32.decode("MZ"))
    assertThrows(.base32TrailingBits(position: 8), try Base32.decode("MZXW 6YR"))
    assertThrows(.base32TrailingBits(position: 7), try Base32.decode("MZXW6YR="))
    XCTAssertEqual(try Base32.decode("MZXW6YQ"), Array("foob".utf8))
  }

  func testGrouped() {
    XCTAssertEqual(Base32.grouped(""), "")
    XCTAssertEqual(Base32.grouped("ABC"), "ABC")
    XCTAssertEqual(Base32.grouped("ABCD"), "ABCD")
    XCTAssertEqual(Base32.grouped("ABCDEFGHIJ"), "ABCD EFGH IJ")
    XCTAssertEqual(Base32.grouped("ABCD EFGH IJ"), "ABCD EFGH IJ")
    XCTAssertEqual(
      Base32.grouped("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
  }
}
