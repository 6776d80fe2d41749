// Trusted devices: token shape and storage (hashes only), the 30-day default, expiry,
// the limit of 10 with the oldest evicted, lastUsedAt, name rules, revocation and the
// strict section layout.
import Accounts
import Foundation
import Sodium
import Vault
import XCTest

private let now: Int64 = 1_700_000_000
private let day: Int64 = 86400

private func makeUser() -> User {
  User(name: "bob", id: "fedcba9876543210", createdAt: 1_600_000_000)
}

private func rawBytes(of token: String) -> [UInt8] {
  var b64 = String(token.dropFirst(5))
    .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
  while b64.count % 4 != 0 { b64 += "=" }
  return [UInt8](Data(base64Encoded: b64)!)
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
  guard !needle.isEmpty, haystack.count >= needle.count else { return false }
  for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle {
    return true
  }
  return false
}

private func device(_ id: String, created: Int64, expires: Int64) -> TrustedDevice {
  TrustedDevice(id: id, name: "dev \(id)", tokenHash: Sodium.randomBytes(32), createdAt: created, expiresAt: expires)
}

private func assertDecodeError(_ bytes: [UInt8], _ message: String, file: StaticString = #filePath, line: UInt = #line)
{
  var u = makeUser()
  u.extensions[ExtensionTag.devices.rawValue] = bytes
  XCTAssertThrowsError(try Devices.load(u), message, file: file, line: line) { error in
    XCTAssertTrue(error is DecodeError, "\(message): \(error)", file: file, line: line)
  }
}

final class DevicesTests: XCTestCase {
  let key = try! SecureBytes.random(count: 32)

  func trust(_ u: inout User, _ name: String = "laptop", at t: Int64 = now, ttl: Int64? = nil) throws
    -> (token: String, device: TrustedDevice, evicted: [TrustedDevice])
  {
    try Devices.trust(&u, name: name, key: key, now: t, ttl: ttl, ip: nil, userAgent: nil)
  }

  func check(_ u: inout User, _ token: String, at t: Int64) -> TrustedDevice? {
    Devices.check(&u, tokenHash: Token.hash(token, key: key), now: t)
  }

  // MARK: Tokens

  func testTokenShapeAndOnlyTheHashIsStored() throws {
    var u = makeUser()
    let (token, d, evicted) = try Devices.trust(
      &u, name: "Bob’s laptop", key: key, now: now, ttl: nil, ip: "198.51.100.4", userAgent: "Firefox/128")
    XCTAssertTrue(Token.isWellFormed(token, .device), token)
    XCTAssertFalse(Token.isWellFormed(token, .session))
    XCTAssertTrue(evicted.isEmpty)
    XCTAssertEqual(d.tokenHash, Token.hash(token, key: key))
    XCTAssertEqual(d.id.count, 8)
    XCTAssertTrue(d.id.allSatisfy { "0123456789abcdef".contains($0) })
    XCTAssertEqual(d.name, "Bob’s laptop")
    XCTAssertEqual(d.ip, "198.51.100.4")
    XCTAssertEqual(d.userAgent, "Firefox/128")
    XCTAssertNil(d.lastUsedAt)
    XCTAssertEqual(try Devices.load(u), [d])

    let record = UserCodec.encode(u)
    XCTAssertFalse(contains(record, Array(token.utf8)))
    XCTAssertFalse(contains(record, Array(token.utf8.dropFirst(5))))
    XCTAssertFalse(contains(record, rawBytes(of: token)))
    XCTAssertTrue(contains(record, d.tokenHash))
    XCTAssertEqual(try UserCodec.decode(record), u)
  }

  // MARK: Lifetime

  func testDefaultLifetimeIs30Days() throws {
    var u = makeUser()
    let (token, d, _) = try trust(&u)
    XCTAssertEqual(d.createdAt, now)
    XCTAssertEqual(d.expiresAt, now + 30 * day)
    XCTAssertTrue(d.isLive(at: now + 30 * day - 1))
    XCTAssertFalse(d.isLive(at: now + 30 * day))
    XCTAssertNotNil(check(&u, token, at: now + 30 * day - 1))
    XCTAssertNil(check(&u, token, at: now + 30 * day))
  }

  func testCustomTTL() throws {
    var u = makeUser()
    let (token, d, _) = try trust(&u, ttl: 3600)
    XCTAssertEqual(d.expiresAt, now + 3600)
    XCTAssertNotNil(check(&u, token, at: now + 3599))
    XCTAssertNil(check(&u, token, at: now + 3600))
    XCTAssertEqual(try trust(&u, ttl: Int64.max).device.expiresAt, Int64.max)
  }

  func testExpiredDeviceIsNotReturnedAndIsPruned() throws {
    var u = makeUser()
    let old = try trust(&u, "old", ttl: day)
    let fresh = try trust(&u, "fresh")
    XCTAssertNil(check(&u, old.token, at: now + 2 * day))
    XCTAssertEqual(try Devices.load(u).map { $0.id }, [fresh.device.id])
    XCTAssertNotNil(check(&u, fresh.token, at: now + 2 * day))
  }

  func testCheckRefreshesLastUsed() throws {
    var u = makeUser()
    let (token, d, _) = try trust(&u)
    XCTAssertEqual(check(&u, token, at: now + 100)?.lastUsedAt, now + 100)
    XCTAssertEqual(try Devices.load(u).first?.lastUsedAt, now + 100)
    XCTAssertEqual(check(&u, token, at: now + 5000)?.lastUsedAt, now + 5000)
    XCTAssertEqual(check(&u, token, at: now + 4000)?.lastUsedAt, now + 5000, "never moves backwards")
    // Use does not extend the trust.
    XCTAssertEqual(try Devices.load(u).first?.expiresAt, d.expiresAt)
  }

  // MARK: The limit of 10

  func testEleventhDeviceEvictsTheOldest() throws {
    var u = makeUser()
    var made: [(token: String, device: TrustedDevice, evicted: [TrustedDevice])] = []
    for i in 0..<10 {
      let r = try trust(&u, "device \(i)", at: now + Int64(i))
      XCTAssertTrue(r.evicted.isEmpty)
      made.append(r)
    }
    let eleventh = try trust(&u, "device 10", at: now + 20)
    XCTAssertEqual(eleventh.evicted, [made[0].device])
    XCTAssertEqual(try Devices.load(u).count, 10)
    XCTAssertNil(check(&u, made[0].token, at: now + 30))
    for r in made.dropFirst() { XCTAssertNotNil(check(&u, r.token, at: now + 30)) }
    XCTAssertNotNil(check(&u, eleventh.token, at: now + 30))
  }

  func testOldestIsByCreationTimeAndExpiredArePrunedFirst() throws {
    var u = makeUser()
    var list = [
      device("dead0001", created: now - 900, expires: now - 1), device("dead0002", created: now - 800, expires: now),
    ]
    for i in 0..<10 { list.append(device("beef00\(10 + i)", created: now - 100 + Int64(10 - i), expires: now + day)) }
    Devices.store(list, into: &u)
    let r = try trust(&u)
    // The live device created first is the last one stored.
    XCTAssertEqual(r.evicted.map { $0.id }, ["beef0019"])
    XCTAssertEqual(try Devices.load(u).map { $0.id }, (10..<19).map { "beef00\($0)" } + [r.device.id])
  }

  func testExpiredOnesMakeRoomWithoutEviction() throws {
    var u = makeUser()
    var list = [device("dead0001", created: now - 900, expires: now - 1)]
    for i in 0..<9 { list.append(device("beef000\(i)", created: now - 100 + Int64(i), expires: now + day)) }
    Devices.store(list, into: &u)
    let r = try trust(&u)
    XCTAssertTrue(r.evicted.isEmpty)
    XCTAssertEqual(try Devices.load(u).count, 10)
  }

  // MARK: Names and metadata

  func testNameValidation() throws {
    var u = makeUser()
    _ = try trust(&u)
    let before = u
    let bad = [
      "", String(repeating: "n", count: 65), "line\nbreak", "tab\there", "bell\u{7}", "del\u{7f}", "c1\u{85}",
      "esc\u{1b}[31m", "rtl\u{202e}gpj.exe", "iso\u{2066}x", "sep\u{2028}x", "   ", "\u{3000}",
    ]
    for name in bad {
      var v = before
      XCTAssertThrowsError(try trust(&v, name), String(reflecting: name)) { error in
        guard case .invalidParameter(let message)? = error as? AccountsError else {
          return XCTFail("\(String(reflecting: name)): \(error)")
        }
        XCTAssertTrue(message.hasPrefix("device name"), message)
        if name.count > 2 { XCTAssertFalse(message.contains(name), message) }
      }
      XCTAssertThrowsError(try Devices.validateName(name))
      XCTAssertEqual(v, before)
    }
    for name in ["a", String(repeating: "n", count: 64), "Bob’s iPhone 📱", "Ünïcode – ok", " padded "] {
      var v = before
      XCTAssertNoThrow(try Devices.validateName(name), name)
      XCTAssertEqual(try trust(&v, name).device.name, name)
    }
  }

  func testBadParametersLeaveTheUserUnchanged() throws {
    var u = makeUser()
    _ = try trust(&u)
    let before = u
    var v = before
    XCTAssertThrowsError(try trust(&v, ttl: 0))
    XCTAssertThrowsError(try trust(&v, ttl: -1))
    XCTAssertThrowsError(try Devices.trust(&v, name: "x", key: key, now: now, ttl: nil, ip: "a\rb", userAgent: nil))
    XCTAssertThrowsError(
      try Devices.trust(
        &v, name: "x", key: key, now: now, ttl: nil, ip: nil, userAgent: String(repeating: "u", count: 1025)))
    XCTAssertEqual(v, before)
    let d = try Devices.trust(&v, name: "x", key: key, now: now, ttl: nil, ip: "", userAgent: "")
    XCTAssertNil(d.device.ip)
    XCTAssertNil(d.device.userAgent)
  }

  // MARK: Check, prune, revoke

  func testWrongTokenIsNil() throws {
    var u = makeUser()
    let (token, _, _) = try trust(&u)
    XCTAssertNil(check(&u, Token.generate(.device), at: now + 1))
    XCTAssertNil(check(&u, "mfas_" + token.dropFirst(5), at: now + 1), "a session-prefixed twin")
    XCTAssertNil(Devices.check(&u, tokenHash: Token.hash(token, key: try SecureBytes.random(count: 32)), now: now + 1))
    XCTAssertNil(Devices.check(&u, tokenHash: [], now: now + 1))
    var empty = makeUser()
    XCTAssertNil(check(&empty, token, at: now + 1))
    XCTAssertEqual(check(&u, token, at: now + 1)?.name, "laptop")
  }

  func testPruneReturnsTheExpired() throws {
    var u = makeUser()
    let a = try trust(&u, "a", ttl: 60).device
    let b = try trust(&u, "b").device
    XCTAssertEqual(Devices.prune(&u, now: now + 59), [])
    XCTAssertEqual(Devices.prune(&u, now: now + 60), [a])
    XCTAssertEqual(try Devices.load(u), [b])
    XCTAssertEqual(Devices.prune(&u, now: now + 31 * day), [b])
    XCTAssertNil(u.extensions[ExtensionTag.devices.rawValue])
  }

  func testRevokeOneAndAll() throws {
    var u = makeUser()
    let a = try trust(&u, "a")
    let b = try trust(&u, "b")
    let c = try trust(&u, "c")
    XCTAssertEqual(try Devices.revoke(&u, id: b.device.id), b.device)
    XCTAssertNil(check(&u, b.token, at: now + 1))
    XCTAssertThrowsError(try Devices.revoke(&u, id: b.device.id)) { error in
      XCTAssertEqual(error as? DevicesError, .notFound(b.device.id))
      XCTAssertEqual("\(error)", "trusted device not found: \(b.device.id)")
    }
    XCTAssertThrowsError(try Devices.revoke(&u, id: a.token)) { error in
      XCTAssertFalse("\(error)".contains(a.token))
      XCTAssertFalse("\(error)".contains(String(a.token.dropFirst(5))))
    }
    let all = Devices.revokeAll(&u)
    XCTAssertEqual(all.map { $0.id }, [a.device.id, c.device.id])
    XCTAssertNil(u.extensions[ExtensionTag.devices.rawValue])
    XCTAssertNil(check(&u, a.token, at: now + 1))
    XCTAssertEqual(Devices.revokeAll(&u), [])
  }

  func testSessionsAndDevicesLiveInSeparateSections() throws {
    var u = makeUser()
    let d = try trust(&u)
    let s = try Sessions.create(
      &u, key: key, now: now, ttl: nil, idle: nil, remember: false, ip: nil, userAgent: nil, deviceName: "laptop")
    XCTAssertNil(Sessions.check(&u, tokenHash: Token.hash(d.token, key: key), now: now + 1))
    XCTAssertNil(check(&u, s.token, at: now + 1))
    XCTAssertEqual(Sessions.revokeAll(&u).count, 1)
    XCTAssertNotNil(check(&u, d.token, at: now + 1))
  }

  func testCorruptSectionMatchesNothingAndRevokeAllClearsIt() throws {
    var u = makeUser()
    u.extensions[ExtensionTag.devices.rawValue] = [1, 1]
    let before = u
    XCTAssertNil(Devices.check(&u, tokenHash: Sodium.randomBytes(32), now: now))
    XCTAssertEqual(Devices.prune(&u, now: now), [])
    XCTAssertThrowsError(try trust(&u))
    XCTAssertEqual(u, before)
    XCTAssertEqual(Devices.revokeAll(&u), [])
    XCTAssertNil(u.extensions[ExtensionTag.devices.rawValue])
  }

  // MARK: Section layout

  func sampleDevices() -> [TrustedDevice] {
    [
      TrustedDevice(
        id: "00c0ffee", name: "Bob’s phone 📱", tokenHash: Array(0..<32), createdAt: -1, lastUsedAt: 42,
        expiresAt: Int64.max, ip: "2001:db8::2", userAgent: "Mozilla/5.0 “x”"),
      TrustedDevice(
        id: "12345678", name: "x", tokenHash: Array(repeating: 0xCD, count: 32), createdAt: now, lastUsedAt: nil,
        expiresAt: now + 1),
    ]
  }

  func testSectionRoundTripAndEmptyRemoves() throws {
    var u = makeUser()
    let list = sampleDevices()
    Devices.store(list, into: &u)
    XCTAssertEqual(try Devices.load(u), list)
    XCTAssertEqual(try Devices.load(UserCodec.decode(UserCodec.encode(u))), list)
    Devices.store([], into: &u)
    XCTAssertNil(u.extensions[ExtensionTag.devices.rawValue])
    XCTAssertEqual(try Devices.load(u), [])
  }

  func testLayoutIsAsDocumented() throws {
    var u = makeUser()
    Devices.store(
      [
        TrustedDevice(
          id: "0a1b2c3d", name: "nm", tokenHash: Array(repeating: 9, count: 32), createdAt: 1, lastUsedAt: 2,
          expiresAt: 3, ip: nil, userAgent: "ua")
      ], into: &u)
    var expected: [UInt8] = [1, 1, 0, 8, 0, 0, 0] + Array("0a1b2c3d".utf8) + [2, 0, 0, 0] + Array("nm".utf8)
    expected += Array(repeating: 9, count: 32)
    expected += [1, 0, 0, 0, 0, 0, 0, 0] + [1, 2, 0, 0, 0, 0, 0, 0, 0] + [3, 0, 0, 0, 0, 0, 0, 0]
    expected += [0] + [1, 2, 0, 0, 0] + Array("ua".utf8)
    XCTAssertEqual(u.extensions[ExtensionTag.devices.rawValue], expected)
  }

  func testStrictDecoding() throws {
    var u = makeUser()
    Devices.store(sampleDevices(), into: &u)
    let good = u.extensions[ExtensionTag.devices.rawValue]!
    for n in 0..<good.count { assertDecodeError(Array(good.prefix(n)), "truncated to \(n) bytes") }
    assertDecodeError(good + [0], "trailing byte")
    for v: UInt8 in [0, 2, 255] {
      var bad = good
      bad[0] = v
      assertDecodeError(bad, "version \(v)")
    }
    assertDecodeError([1, 0, 0], "zero count")

    // The second device (its 71 bytes end the section): id made equal to the first.
    let second = good.count - (12 + 5 + 32 + 8 + 1 + 8 + 1 + 1)
    XCTAssertEqual(Array(good[(second + 4)..<(second + 12)]), Array("12345678".utf8))
    var dup = good
    dup.replaceSubrange((second + 4)..<(second + 12), with: Array("00c0ffee".utf8))
    assertDecodeError(dup, "duplicate id")
    var upper = good
    upper[7] = UInt8(ascii: "C")
    assertDecodeError(upper, "upper-case id")

    // Names breaking the rule, and a bad optional marker (lastUsedAt of the second).
    func one(name: [UInt8], lastUsedMarker: UInt8 = 0) -> [UInt8] {
      var w: [UInt8] = [1, 1, 0, 8, 0, 0, 0] + Array("01234567".utf8)
      w += withUnsafeBytes(of: UInt32(name.count).littleEndian, Array.init) + name
      w += Array(repeating: 0, count: 32 + 8) + [lastUsedMarker] + Array(repeating: 0, count: 8) + [0, 0]
      return w
    }
    u.extensions[ExtensionTag.devices.rawValue] = one(name: Array("ok".utf8))
    XCTAssertEqual(try Devices.load(u).first?.name, "ok")
    assertDecodeError(one(name: Array("ok".utf8), lastUsedMarker: 2), "optional marker 2")
    for name in ["", " ", "a\nb", String(repeating: "n", count: 65), "x\u{202e}"] {
      assertDecodeError(one(name: Array(name.utf8)), "name \(String(reflecting: name))")
    }
    assertDecodeError(one(name: [0x61, 0xC3]), "invalid UTF-8")
  }
}
