import OTP
import XCTest

final class HOTPTests: XCTestCase {
  static let rfcSecret = Array("12345678901234567890".utf8)

  // RFC 4226 appendix D.
  func testRFC4226AppendixD() {
    let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    for (counter, code) in expected.enumerated() {
      XCTAssertEqual(HOTP.code(secret: Self.rfcSecret, counter: UInt64(counter), algorithm: .sha1, digits: 6), code)
    }
  }

  // HOTP.Generator.matches, what a verify uses: the RFC vectors match at their own
  // counter only; a code one digit off, shorter, longer or with its leading zero dropped
  // does not; SHA-256 and SHA-512 keys go through libsodium (RFC 6238 seeds, 8 digits).
  func testGeneratorMatchesExactlyTheRFCCodes() {
    let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    let generator = HOTP.Generator(secret: Self.rfcSecret, algorithm: .sha1, digits: 6)
    for (counter, code) in expected.enumerated() {
      for other in 0..<expected.count {
        XCTAssertEqual(
          generator.matches(Array(code.utf8), counter: UInt64(other)), other == counter, "\(code) at \(other)")
      }
      XCTAssertEqual(generator.code(counter: UInt64(counter)), code)
      var offByOne = Array(code.utf8)
      offByOne[5] = offByOne[5] == UInt8(ascii: "9") ? UInt8(ascii: "0") : offByOne[5] + 1
      XCTAssertFalse(generator.matches(offByOne, counter: UInt64(counter)))
      XCTAssertFalse(generator.matches(Array(code.utf8.dropLast()), counter: UInt64(counter)))
      XCTAssertFalse(generator.matches(Array((code + "0").utf8), counter: UInt64(counter)))
    }
    // RFC 6238 appendix B at T = 1111111109: "07081804" keeps its leading zero.
    let totp = HOTP.Generator(secret: Array("12345678901234567890".utf8), algorithm: .sha1, digits: 8)
    XCTAssertTrue(totp.matches(Array("07081804".utf8), counter: 0x23523EC))
    XCTAssertFalse(totp.matches(Array("7081804".utf8), counter: 0x23523EC))
    let sha256 = HOTP.Generator(secret: Array("12345678901234567890123456789012".utf8), algorithm: .sha256, digits: 8)
    XCTAssertTrue(sha256.matches(Array("68084774".utf8), counter: 0x23523EC))
    XCTAssertFalse(sha256.matches(Array("68084775".utf8), counter: 0x23523EC))
    let sha512 = HOTP.Generator(
      secret: Array("1234567890123456789012345678901234567890123456789012345678901234".utf8), algorithm: .sha512,
      digits: 8)
    XCTAssertTrue(sha512.matches(Array("25091201".utf8), counter: 0x23523EC))
  }

  // RFC 4226 appendix D also lists the intermediate HMAC-SHA1 values.
  func testRFC4226IntermediateHMAC() {
    let macs = [
      "cc93cf18508d94934c64b65d8ba7667fb7cde4b0", "75a48a19d4cbe100644e8ac1397eea747a2d33ab",
      "0bacb7fa082fef30782211938bc1c5e70416ff44", "66c28227d03a2d5529262ff016a1e6ef76557ece",
      "a904c900a64b35909874b33e61c5938a8e15ed1c",
    ]
    for (counter, mac) in macs.enumerated() {
      let message = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(counter) >> UInt64(56 - 8 * $0)) }
      XCTAssertEqual(hex(HOTP.hmac(.sha1, key: Self.rfcSecret, message: message)), mac)
    }
  }

  // RFC 6238 appendix B, with its per-algorithm seeds (the seed repeated to the hash
  // length, as in the RFC's reference code).
  func testRFC6238AppendixB() {
    let seeds: [OTPAlgorithm: [UInt8]] = [
      .sha1: Array("12345678901234567890".utf8),
      .sha256: Array("12345678901234567890123456789012".utf8),
      .sha512: Array("1234567890123456789012345678901234567890123456789012345678901234".utf8),
    ]
    let table: [(time: Int64, step: UInt64, sha1: String, sha256: String, sha512: String)] = [
      (59, 0x1, "94287082", "46119246", "90693936"),
      (1_111_111_109, 0x23523EC, "07081804", "68084774", "25091201"),
      (1_111_111_111, 0x23523ED, "14050471", "67062674", "99943326"),
      (1_234_567_890, 0x273EF07, "89005924", "91819424", "93441116"),
      (2_000_000_000, 0x3F940AA, "69279037", "90698825", "38618901"),
      (20_000_000_000, 0x27BC86AA, "65353130", "77737706", "47863826"),
    ]
    for row in table {
      XCTAssertEqual(TOTP.step(at: row.time, period: 30), row.step, "T=\(row.time)")
      for (algorithm, code) in [(OTPAlgorithm.sha1, row.sha1), (.sha256, row.sha256), (.sha512, row.sha512)] {
        XCTAssertEqual(
          TOTP.code(secret: seeds[algorithm]!, at: row.time, period: 30, algorithm: algorithm, digits: 8), code,
          "T=\(row.time) \(algorithm)")
      }
    }
    XCTAssertEqual(seeds.mapValues(\.count), [.sha1: 20, .sha256: 32, .sha512: 64])
  }

  func testDigitsAndZeroPadding() {
    // RFC 4226 section 5.4: counter 0 truncates to 0x4c93cf18 = 1284755224.
    let secret = Self.rfcSecret
    XCTAssertEqual(HOTP.code(secret: secret, counter: 0, algorithm: .sha1, digits: 7), "4755224")
    XCTAssertEqual(HOTP.code(secret: secret, counter: 0, algorithm: .sha1, digits: 8), "84755224")
    XCTAssertEqual(HOTP.code(secret: secret, counter: 0, algorithm: .sha1, digits: 9), "284755224")
    // RFC 6238's SHA1 code for T=1111111109 has a leading zero that must survive.
    XCTAssertEqual(
      TOTP.code(secret: secret, at: 1_111_111_109, period: 30, algorithm: .sha1, digits: 8), "07081804")
    for counter in 0..<200 as Range<UInt64> {
      for digits in [6, 8] {
        let code = HOTP.code(secret: secret, counter: counter, algorithm: .sha256, digits: digits)
        XCTAssertEqual(code.count, digits)
        XCTAssertTrue(code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 })
      }
    }
  }

  func testStepFloorDivision() {
    XCTAssertEqual(TOTP.step(at: 0, period: 30), 0)
    XCTAssertEqual(TOTP.step(at: 29, period: 30), 0)
    XCTAssertEqual(TOTP.step(at: 30, period: 30), 1)
    XCTAssertEqual(TOTP.step(at: -1, period: 30), UInt64(bitPattern: -1))
    XCTAssertEqual(TOTP.step(at: -30, period: 30), UInt64(bitPattern: -1))
    XCTAssertEqual(TOTP.step(at: -31, period: 30), UInt64(bitPattern: -2))
    XCTAssertEqual(TOTP.step(at: Int64.max, period: 1), UInt64(Int64.max))
    XCTAssertEqual(TOTP.step(at: Int64.min, period: 1), UInt64(bitPattern: Int64.min))
    XCTAssertEqual(TOTP.step(at: Int64.min, period: 7), UInt64(bitPattern: Int64.min / 7 - 1))
    XCTAssertEqual(TOTP.step(at: 1 << 33, period: 90), (1 << 33) / 90)
    XCTAssertEqual(TOTP.step(at: 4_102_444_800, period: UInt32.max), 0)
    XCTAssertEqual(TOTP.step(at: 2_147_483_648, period: 30), 71_582_788)  // one second past 2038's wrap
  }

  func testAlgorithmNames() {
    XCTAssertEqual(OTPAlgorithm(name: "sha1"), .sha1)
    XCTAssertEqual(OTPAlgorithm(name: "SHA1"), .sha1)
    XCTAssertEqual(OTPAlgorithm(name: "Sha-1"), .sha1)
    XCTAssertEqual(OTPAlgorithm(name: "SHA-256"), .sha256)
    XCTAssertEqual(OTPAlgorithm(name: "sha512"), .sha512)
    XCTAssertEqual(OTPAlgorithm(name: "SHA_512"), .sha512)
    XCTAssertNil(OTPAlgorithm(name: "MD5"))
    XCTAssertNil(OTPAlgorithm(name: ""))
    XCTAssertNil(OTPAlgorithm(name: "SHA384"))
    XCTAssertEqual(OTPAlgorithm.allCases.map(\.defaultSecretLength), [20, 32, 64])
    XCTAssertEqual(OTPAlgorithm.allCases.map(\.rawValue), ["SHA1", "SHA256", "SHA512"])
    XCTAssertEqual(OTPType.allCases.map(\.rawValue), ["totp", "hotp"])
  }

  func testNormalise() {
    XCTAssertEqual(OTPCode.normalise("123456", digits: 6), "123456")
    XCTAssertEqual(OTPCode.normalise("123 456", digits: 6), "123456")
    XCTAssertEqual(OTPCode.normalise(" 1234 5678 ", digits: 8), "12345678")
    XCTAssertEqual(OTPCode.normalise("000000", digits: 6), "000000")
    XCTAssertNil(OTPCode.normalise("12345", digits: 6))
    XCTAssertNil(OTPCode.normalise("1234567", digits: 6))
    XCTAssertNil(OTPCode.normalise("12345a", digits: 6))
    XCTAssertNil(OTPCode.normalise("123-456", digits: 6))
    XCTAssertNil(OTPCode.normalise("+12345", digits: 6))
    XCTAssertNil(OTPCode.normalise("", digits: 6))
    XCTAssertNil(OTPCode.normalise("      ", digits: 6))
    XCTAssertNil(OTPCode.normalise("١٢٣٤٥٦", digits: 6))  // Arabic-Indic digits
    XCTAssertNil(OTPCode.normalise("１２３４５６", digits: 6))  // full-width digits
    XCTAssertNil(OTPCode.normalise("123\t456", digits: 6))
  }

  func testEqual() {
    XCTAssertTrue(OTPCode.equal("123456", "123456"))
    XCTAssertFalse(OTPCode.equal("123456", "123457"))
    XCTAssertFalse(OTPCode.equal("123456", "1234567"))
    XCTAssertFalse(OTPCode.equal("", "0"))
    XCTAssertTrue(OTPCode.equal("", ""))
  }
}
