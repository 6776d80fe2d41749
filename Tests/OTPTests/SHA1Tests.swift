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

  // HMAC-SHA1 with the key's pads compressed once (SHA1.HMACKey): key lengths below, at
  // and above a block, message lengths around every padding boundary of the inner hash
  // (which starts one block in). Expected values from Python's hmac module.
  func testHMACAcrossKeyAndMessageLengths() {
    struct Case {
      var key: Int
      var message: Int
      var mac: String
    }
    let cases = [
      Case(key: 20, message: 0, mac: "9da08dc1e47f585bf5bff9a636cdfd719abdfcfb"),
      Case(key: 20, message: 8, mac: "d77b7affc430dc37922eda1d5c5cd12e2ada65c1"),
      Case(key: 20, message: 55, mac: "03e919d11c912aa93d1c917a8fc7b70bd24fb434"),
      Case(key: 20, message: 56, mac: "94c2928d03bf42e70b3e8e7efc1f44e9eae0ad48"),
      Case(key: 20, message: 63, mac: "885499b5e86c75eea7604f5f7e9f70b73f676446"),
      Case(key: 20, message: 64, mac: "f8711f73d5eb689c3bdd2c3388fa5f442036e0e8"),
      Case(key: 20, message: 65, mac: "44815f70feeed1cf6a9c6d19dcc3e3975e5b51c4"),
      Case(key: 20, message: 119, mac: "0fc15fbc3295ded7142432ef1e52c1a9926ed25b"),
      Case(key: 20, message: 120, mac: "413b8ded6cb045aaef15ca4564b80ce6879c5d45"),
      Case(key: 20, message: 128, mac: "caee5b90dc875c75a59af9e5305a6659c8c84190"),
      Case(key: 20, message: 200, mac: "51c54054d54ac4f15a3e47a2f4e2e0134e89255d"),
      Case(key: 64, message: 0, mac: "f81cf0954ae4234d06ae784f514bfe49ae088b81"),
      Case(key: 64, message: 8, mac: "9675d518148ab15938bb603c416c77e6204721d7"),
      Case(key: 64, message: 55, mac: "a3bccbe84ce532b958d51865c5d4c8fdcca135e2"),
      Case(key: 64, message: 56, mac: "412d6c55dd128f3a3472737f302f2d03d3e34bd3"),
      Case(key: 64, message: 63, mac: "cb880a9f53780a9e3b71a155046c907b9f4ca333"),
      Case(key: 64, message: 64, mac: "3938b54bb670932cebb0b6b390d762eff3aff300"),
      Case(key: 64, message: 65, mac: "b725f8329300f71c509f724c7a23d76ec04b718c"),
      Case(key: 64, message: 119, mac: "6bccecdcb009b785854dfededf2abe03f29abd77"),
      Case(key: 64, message: 120, mac: "613a7cd936c6e0c8eb420f0a514fe8c26a20d1b7"),
      Case(key: 64, message: 128, mac: "2fc28ce4f82a9a1d7ceea7681062696a4cfd18df"),
      Case(key: 64, message: 200, mac: "fefe6844673863c565900dacbf9fc72f7c6099fb"),
      Case(key: 65, message: 0, mac: "6ca71dec4eecf26757de4af28c9475f9eaa3d95f"),
      Case(key: 65, message: 8, mac: "46f1b15ff83b347ac69e17efcaaf226946a5f02b"),
      Case(key: 65, message: 55, mac: "6f7c6380bf2c402065175c3506d3bcad5fd8f64c"),
      Case(key: 65, message: 56, mac: "656e7b888c08dd824744d8bc78e991952b17d9cb"),
      Case(key: 65, message: 63, mac: "dd403911101c4699edb25f2d67036755e9ffe1f1"),
      Case(key: 65, message: 64, mac: "2ad5b6e36c101ade2fd2ed424775555dff44faeb"),
      Case(key: 65, message: 65, mac: "23f6bbf3f13b3d11d5cb478bbb49d57c03ee4631"),
      Case(key: 65, message: 119, mac: "654d2343e708d7252d2fbeb7f944def35bd26b3d"),
      Case(key: 65, message: 120, mac: "ce54123e92f36c378ed17c0097f2c6c54269b983"),
      Case(key: 65, message: 128, mac: "303d45f102ba5a9be19a11d5adcbf63f1597880b"),
      Case(key: 65, message: 200, mac: "555a03b7d6ecbb4523531912e6cdc91d18605003"),
      Case(key: 100, message: 0, mac: "24f60db76f6b98e3e2b69e856a3d18c95d93b0e8"),
      Case(key: 100, message: 8, mac: "82ef6b76c8fe05f8a829220050648a46ee107e54"),
      Case(key: 100, message: 55, mac: "3b5ff8e3f22dbc90ba85b50952c445851f0269bb"),
      Case(key: 100, message: 56, mac: "c9db862dab75b298300f1fc67646f6e7355fe7c6"),
      Case(key: 100, message: 63, mac: "928738a5e2b99c8f979124f3e4eba727fd97a5d5"),
      Case(key: 100, message: 64, mac: "1dd11bd18a60fc7ee930fad39a5678cd37e89996"),
      Case(key: 100, message: 65, mac: "a52bd439a8c8b080350a052157ff913b939a1ece"),
      Case(key: 100, message: 119, mac: "ab3a26dab63b5cfab9f664265f38e592bc3fc994"),
      Case(key: 100, message: 120, mac: "feac6a79b51872c1b11f1b24e3988f4d0d8a656d"),
      Case(key: 100, message: 128, mac: "b014e2d3dd1482a0fb11df4682225f5822a9a3ff"),
      Case(key: 100, message: 200, mac: "31365fa788682db0f5143a80f7e5c643d52c1486"),
    ]
    for c in cases {
      let key = (0..<c.key).map { UInt8((7 * $0 + 3) % 256) }
      let message = (0..<c.message).map { UInt8($0 % 251) }
      XCTAssertEqual(hex(SHA1.hmac(key: key, message: message)), c.mac, "key \(c.key) bytes, message \(c.message)")
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
