import Accounts
import Foundation
import OTP
import Vault
import XCTest

final class UserCodecTests: XCTestCase {
  // MARK: Round trips

  func testRoundTripEveryOptionalCombination() throws {
    // 5 optional authenticator fields x 2 optional user fields: all 128 combinations.
    for mask in 0..<128 {
      var a = totpAuth()
      a.label = mask & 1 != 0 ? "phone ☎︎" : nil
      a.issuer = mask & 2 != 0 ? "Example Corp" : nil
      a.confirmedAt = mask & 4 != 0 ? 1_700_000_001 : nil
      a.lastUsedAt = mask & 8 != 0 ? -5 : nil
      a.lastStep = mask & 16 != 0 ? UInt64.max : nil
      a.drift = mask & 16 != 0 ? -40 : 40
      var u = user([a])
      u.lockedUntil = mask & 32 != 0 ? Int64.max : nil
      u.lastSuccessAt = mask & 64 != 0 ? Int64.min : nil
      u.disabled = mask & 1 != 0
      u.failures = UInt32(mask) * 1000
      let bytes = UserCodec.encode(u)
      XCTAssertEqual(bytes.count, UserCodec.encodedSize(u))
      XCTAssertEqual(try UserCodec.decode(bytes), u, "mask \(mask)")
    }
  }

  func testRoundTripSeveralAuthenticatorsAndExtensions() throws {
    var u = user([
      totpAuth(id: "00000000", digits: 8, period: 60, algorithm: .sha256, secret: Array(repeating: 7, count: 32)),
      hotpAuth(id: "ffffffff", counter: HOTP.maxCounter, state: .pending),
      totpAuth(id: "12ab34cd", algorithm: .sha512, secret: Array(0..<64), state: .pending),
      hotpAuth(id: "0a0b0c0d", digits: 8, counter: 42, secret: Array(repeating: 0xFF, count: 1024)),
    ])
    u.authenticators[0].issuer = ""
    u.authenticators[1].label = String(repeating: "x", count: 1024)
    u.extensions = [0: [], 1: [1, 2, 3], 0xFFFF: Array(repeating: 0xAB, count: 70_000), 300: [0]]
    let bytes = UserCodec.encode(u)
    XCTAssertEqual(bytes.count, UserCodec.encodedSize(u))
    XCTAssertEqual(bytes[0], 1, "record format version")
    let back = try UserCodec.decode(bytes)
    XCTAssertEqual(back, u)
    XCTAssertEqual(back.authenticators.map(\.id), ["00000000", "ffffffff", "12ab34cd", "0a0b0c0d"])
    // Deterministic: the extension map is written sorted by tag.
    XCTAssertEqual(UserCodec.encode(back), bytes)
  }

  func testRoundTripNoAuthenticators() throws {
    let u = User(name: String(repeating: "z", count: 64), id: "ffffffffffffffff", createdAt: 0)
    XCTAssertEqual(try UserCodec.decode(UserCodec.encode(u)), u)
  }

  func testExtensionsPreservedByteForByte() throws {
    var u = user([totpAuth()])
    let blob = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    u.extensions[7] = blob
    let back = try UserCodec.decode(UserCodec.encode(u))
    XCTAssertEqual(back.extensions[7], blob)
  }

  // MARK: Layout (docs/FORMAT.md copies it)

  /// One user "alice" with one SHA1 TOTP authenticator, no optional fields set.
  private func simple() -> (User, [UInt8]) {
    let u = user([totpAuth(id: "aaaaaaa1")])
    return (u, UserCodec.encode(u))
  }

  // Offsets in `simple()`: see the layout in UserCodec.swift.
  private let versionAt = 0, disabledAt = 38, lockedMarkerAt = 43, authCountAt = 45
  private let labelMarkerAt = 59, typeAt = 61, algorithmAt = 62, digitsAt = 63, periodAt = 64
  private let secretLengthAt = 68, stateAt = 92, lastStepMarkerAt = 103, driftAt = 104, extCountAt = 116

  func testLayoutOfASimpleRecord() {
    let (_, b) = simple()
    XCTAssertEqual(b.count, 118)
    XCTAssertEqual(Array(b[1..<10]), [5, 0, 0, 0] + Array("alice".utf8))
    XCTAssertEqual(b[authCountAt], 1)
    XCTAssertEqual(Array(b[51..<59]), Array("aaaaaaa1".utf8))
    XCTAssertEqual(b[typeAt], 1)
    XCTAssertEqual(b[algorithmAt], 1)
    XCTAssertEqual(b[digitsAt], 6)
    XCTAssertEqual(Array(b[periodAt..<periodAt + 4]), [30, 0, 0, 0])
    XCTAssertEqual(Array(b[secretLengthAt..<secretLengthAt + 4]), [20, 0, 0, 0])
    XCTAssertEqual(Array(b[72..<92]), rfcSeed)
    XCTAssertEqual(b[stateAt], 1)
    XCTAssertEqual(Array(b[extCountAt...]), [0, 0])
  }

  // MARK: Rejections

  private func assertRejected(_ bytes: [UInt8], _ why: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try UserCodec.decode(bytes), why, file: file, line: line) { error in
      XCTAssertTrue(error is DecodeError, "\(why): \(error)", file: file, line: line)
    }
  }

  private func patched(_ at: Int, _ value: UInt8) -> [UInt8] {
    var b = simple().1
    b[at] = value
    return b
  }

  func testTruncationAtEveryLengthIsRejected() {
    var u = user([totpAuth(), hotpAuth(state: .pending)])
    u.authenticators[0].label = "l"
    u.authenticators[0].lastStep = 5
    u.lockedUntil = 9
    u.extensions = [3: [1, 2], 9: []]
    let bytes = UserCodec.encode(u)
    for n in 0..<bytes.count {
      assertRejected(Array(bytes[0..<n]), "truncated to \(n)")
    }
    XCTAssertNoThrow(try UserCodec.decode(bytes))
  }

  func testTrailingBytesAreRejected() {
    assertRejected(simple().1 + [0], "one trailing byte")
    assertRejected(simple().1 + [0, 0, 0, 0], "trailing bytes")
  }

  func testUnknownVersionsAreRejected() {
    for v: UInt8 in [0, 2, 255] {
      XCTAssertThrowsError(try UserCodec.decode(patched(versionAt, v))) { error in
        XCTAssertEqual(
          "\(error)", "unsupported user record version \(v) (this build reads version 1)")
      }
    }
  }

  func testBadEnumAndRangeValuesAreRejected() {
    assertRejected(patched(typeAt, 0), "type 0")
    assertRejected(patched(typeAt, 3), "type 3")
    assertRejected(patched(algorithmAt, 0), "algorithm 0")
    assertRejected(patched(algorithmAt, 4), "algorithm 4")
    assertRejected(patched(stateAt, 2), "state 2")
    for d: UInt8 in [0, 5, 7, 9, 10] { assertRejected(patched(digitsAt, d), "digits \(d)") }
    assertRejected(patched(periodAt, 0), "period 0")
    var b = simple().1
    b.replaceSubrange(periodAt..<periodAt + 4, with: [0x81, 0x51, 0x01, 0x00])  // 86401
    assertRejected(b, "period 86401")
    assertRejected(patched(disabledAt, 2), "boolean 2")
    assertRejected(patched(lockedMarkerAt, 2), "optional marker 2")
    assertRejected(patched(labelMarkerAt, 7), "optional marker 7")
    assertRejected(patched(lastStepMarkerAt, 2), "optional marker 2")
    assertRejected(patched(driftAt, 41), "drift 41")
  }

  func testShortSecretAndBadIdentifiersAreRejected() {
    // (encode refuses such users, so the bytes are patched by hand.)
    var b = UserCodec.encode(user([totpAuth(secret: Array(repeating: 1, count: 10))]))
    b[secretLengthAt] = 9
    b.remove(at: secretLengthAt + 4)
    assertRejected(b, "9-byte secret")
    assertRejected(patched(51, UInt8(ascii: "A")), "upper-case authenticator id")
    assertRejected(patched(51, UInt8(ascii: "g")), "non-hex authenticator id")
    b = simple().1
    b[47] = 4
    b.removeSubrange(55..<59)
    assertRejected(b, "4-character authenticator id")
    // Two authenticators "aaaaaaa1" and "aaaaaaa2"; the second starts at 47 + 69.
    b = UserCodec.encode(user([totpAuth(id: "aaaaaaa1"), totpAuth(id: "aaaaaaa2")]))
    XCTAssertEqual(b[127], UInt8(ascii: "2"))
    b[127] = UInt8(ascii: "1")
    assertRejected(b, "duplicate authenticator id")
    assertRejected(patched(14, UInt8(ascii: "x")), "non-hex user id")
    assertRejected(patched(5, UInt8(ascii: "-")), "name starting with '-'")
    assertRejected(patched(6, UInt8(ascii: " ")), "name with a space")
    b = simple().1
    b[1] = 0
    b.removeSubrange(5..<10)
    assertRejected(b, "empty name")
  }

  func testCheckRefusesWhatDecodeWouldRefuse() {
    func refused(_ change: (inout User) -> Void, _ why: String, line: UInt = #line) {
      var u = user([totpAuth(), hotpAuth()])
      XCTAssertNoThrow(try UserCodec.check(u), line: line)
      change(&u)
      XCTAssertThrowsError(try UserCodec.check(u), why, line: line) { error in
        guard case .invalidParameter = error as? AccountsError else { return XCTFail("\(error)", line: line) }
      }
    }
    refused({ $0.name = "-x" }, "name")
    refused({ $0.id = "0123" }, "user id")
    refused({ $0.id = "0123456789ABCDEF" }, "upper-case user id")
    refused({ $0.authenticators[1].id = "aaaaaaa1" }, "duplicate id")
    refused({ $0.authenticators[0].id = "xyz" }, "authenticator id")
    refused({ $0.authenticators[0].digits = 7 }, "digits")
    refused({ $0.authenticators[0].period = 0 }, "period")
    refused({ $0.authenticators[0].secret = [1, 2, 3] }, "short secret")
    refused({ $0.authenticators[0].secret = Array(repeating: 0, count: 1025) }, "long secret")
    refused({ $0.authenticators[0].label = String(repeating: "x", count: 1025) }, "long label")
    refused({ $0.authenticators[1].issuer = String(repeating: "x", count: 1025) }, "long issuer")
    refused({ $0.authenticators[0].drift = -41 }, "drift")
  }

  func testUnsortedOrDuplicateExtensionTagsAreRejected() {
    let (u, b) = simple()
    XCTAssertEqual(try UserCodec.decode(b), u)
    // Hand-built extension maps: count 2, tags 5 then 3 / 5 then 5.
    let head = Array(b[0..<extCountAt])
    let unsorted = head + [2, 0, 5, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0]
    let duplicate = head + [2, 0, 5, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0]
    let sorted = head + [2, 0, 3, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0]
    assertRejected(unsorted, "unsorted tags")
    assertRejected(duplicate, "duplicate tags")
    XCTAssertEqual(try UserCodec.decode(sorted).extensions, [3: [], 5: []])
  }

  func testHugeCountsAreRejectedWithoutAllocating() {
    var b = simple().1
    b[authCountAt] = 0xFF
    b[authCountAt + 1] = 0xFF
    assertRejected(b, "65535 authenticators in 118 bytes")
    b = simple().1
    b[extCountAt] = 0xFF
    b[extCountAt + 1] = 0xFF
    assertRejected(b, "65535 extensions in 2 bytes")
  }

  // MARK: Speed

  /// Debug builds are ~10x slower than release; the release figure (the one that
  /// matters for 100,000 users) is checked by hand with `swift test -c release`.
  func testEncodeDecodeSpeed() throws {
    var u = user([totpAuth(), hotpAuth(id: "bbbbbbb2")])
    u.authenticators[0].label = "phone"
    u.authenticators[0].issuer = "Example"
    u.extensions = [1: Array(repeating: 1, count: 200)]
    let n = 20_000
    let start = Date()
    var total = 0
    for _ in 0..<n {
      var bytes = UserCodec.encode(u)
      total &+= try UserCodec.decode(bytes).authenticators.count
      Sodium_wipe(&bytes)
    }
    let perUser = Date().timeIntervalSince(start) / Double(n) * 1e6
    print("encode+decode: \(String(format: "%.2f", perUser)) µs per user")
    XCTAssertEqual(total, 2 * n)
    XCTAssertLessThan(perUser, 100)
  }
}

/// Zeroes a buffer (what the store does with an encoded record after sealing it).
private func Sodium_wipe(_ b: inout [UInt8]) {
  for i in b.indices { b[i] = 0 }
}
