import OTP
import XCTest

final class SHA1Tests: XCTestCase {
  // FIPS 180-2 appendix A / NIST CSRC examples.
  func testFIPSVectors() {
    XCTAssertEqual(hex(SHA1.hash([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    XCTAssertEqual(hex(SHA1.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
    XCTAssertEqual(
      hex(SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
  }

  func testMillionA() {
    XCTAssertEqual(
      hex(SHA1.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))),
      "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
  }

  // Lengths around the padding boundaries (55/56 bytes leave room or not for the length
  // field; 64 is exactly a block). Expected values from sha1sum/Python hashlib.
  func testPaddingBoundaries() {
    let expected: [Int: String] = [
      55: "8ae2d46729cfe68ff927af5eec9c7d1b66d65ac2",
      56: "636e2ec698dac903498e648bd2f3af641d3c88cb",
      63: "6d942da0c4392b123528f2905c713a3ce28364bd",
      64: "c6138d514ffa2135bfce0ed0b8fac65669917ec7",
      65: "69bd728ad6e13cd76ff19751fde427b00e395746",
      119: "41c89d06001bab4ab78736b44efe7ce18ce6ae08",
      120: "d3dbd653bd8597b7475321b60a36891278e6a04a",
      128: "e6434bc401f98603d7eda504790c98c67385d535",
    ]
    for (length, digest) in expected {
      let message = (0..<length).map { UInt8($0 % 251) }
      XCTAssertEqual(hex(SHA1.hash(message)), digest, "length \(length)")
    }
  }

  // RFC 2202 section 3, all seven HMAC-SHA1 test cases (full 160-bit digests; case 5's
  // 96-bit truncation is a prefix of its digest).
  func testRFC2202HMACSHA1() {
    let aa80 = [UInt8](repeating: 0xAA, count: 80)
    let cases: [(key: [UInt8], data: [UInt8], digest: String)] = [
      ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8), "b617318655057264e28bc0b6fb378c8ef146be00"),
      (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
      (
        [UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
        "125d7342b9ac11cd91a39af48aa17b4f63f175d3"
      ),
      (Array(1...25), [UInt8](repeating: 0xCD, count: 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
      (
        [UInt8](repeating: 0x0C, count: 20), Array("Test With Truncation".utf8),
        "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"
      ),
      (
        aa80, Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
        "aa4ae5e15272d00e95705637ce8a3b55ed402112"
      ),
      (
        aa80, Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
        "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"
      ),
    ]
    for (i, c) in cases.enumerated() {
      XCTAssertEqual(hex(SHA1.hmac(key: c.key, message: c.data)), c.digest, "RFC 2202 test case \(i + 1)")
      XCTAssertEqual(hex(HOTP.hmac(.sha1, key: c.key, message: c.data)), c.digest, "via HOTP.hmac, case \(i + 1)")
    }
    XCTAssertEqual(
      hex(Array(SHA1.hmac(key: cases[4].key, message: cases[4].data).prefix(12))), "4c1a03424b55e07fe7f27be1")
  }

  // RFC 4231 test case 2 ("Jefe") for the libsodium-backed algorithms, to show HOTP.hmac
  // routes each algorithm to the right function.
  func testHMACSHA2Routing() {
    let key = Array("Jefe".utf8)
    let data = Array("what do ya want for nothing?".utf8)
    XCTAssertEqual(
      hex(HOTP.hmac(.sha256, key: key, message: data)),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    XCTAssertEqual(
      hex(HOTP.hmac(.sha512, key: key, message: data)),
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
    )
  }
}
