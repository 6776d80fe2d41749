// Sessions: token shape and storage (hashes only), ttl / idle / --remember defaults, the
// sliding idle timeout, absolute expiry, the limit of 5 live sessions, revocation, and
// the strict section layout.
import Accounts
import Foundation
import Sodium
import Vault
import XCTest

private let now: Int64 = 1_700_000_000
private let minute: Int64 = 60

private func makeKey() -> SecureBytes { try! SecureBytes.random(count: 32) }

private func makeUser() -> User {
  User(name: "alice", id: "0123456789abcdef", createdAt: 1_600_000_000)
}

/// The 32 random bytes behind a token's URL-safe base64 body.
private func rawBytes(of token: String) -> [UInt8] {
  var b64 = String(token.drop { $0 != "_" }.dropFirst())
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

private func session(
  _ id: String, created: Int64, expires: Int64, idle: Int64? = nil, lastSeen: Int64? = nil
) -> Session {
  Session(
    id: id, tokenHash: Sodium.randomBytes(32), createdAt: created, lastSeenAt: lastSeen ?? created,
    expiresAt: expires, idleTimeout: idle)
}

private func assertDecodeError(_ bytes: [UInt8], _ message: String, file: StaticString = #filePath, line: UInt = #line)
{
  var u = makeUser()
  u.extensions[ExtensionTag.sessions.rawValue] = bytes
  XCTAssertThrowsError(try Sessions.load(u), message, file: file, line: line) { error in
    XCTAssertTrue(error is DecodeError, "\(message): \(error)", file: file, line: line)
  }
}

final class SessionsTests: XCTestCase {
  let key = makeKey()

  func create(
    _ u: inout User, at t: Int64 = now, ttl: Int64? = nil, idle: Int64? = nil, remember: Bool = false
  ) throws -> (token: String, session: Session, evicted: [Session]) {
    try Sessions.create(
      &u, key: key, now: t, ttl: ttl, idle: idle, remember: remember, ip: nil, userAgent: nil, deviceName: nil)
  }

  func check(_ u: inout User, _ token: String, at t: Int64) -> Session? {
    Sessions.check(&u, tokenHash: Token.hash(token, key: key), now: t)
  }

  // MARK: Tokens

  func testTokenShapeAndOnlyTheHashIsStored() throws {
    var u = makeUser()
    let (token, s, evicted) = try Sessions.create(
      &u, key: key, now: now, ttl: nil, idle: nil, remember: false, ip: "192.0.2.7", userAgent: "curl/8.5",
      deviceName: "laptop")
    XCTAssertTrue(Token.isWellFormed(token, .session), token)
    XCTAssertFalse(Token.isWellFormed(token, .device))
    XCTAssertTrue(evicted.isEmpty)
    XCTAssertEqual(s.tokenHash, Token.hash(token, key: key))
    XCTAssertEqual(s.tokenHash.count, 32)
    XCTAssertEqual(s.id.count, 8)
    XCTAssertTrue(s.id.allSatisfy { "0123456789abcdef".contains($0) })
    XCTAssertEqual(s.ip, "192.0.2.7")
    XCTAssertEqual(s.userAgent, "curl/8.5")
    XCTAssertEqual(s.deviceName, "laptop")
    XCTAssertEqual(try Sessions.load(u), [s])

    let record = UserCodec.encode(u)
    XCTAssertFalse(contains(record, Array(token.utf8)))
    XCTAssertFalse(contains(record, Array(token.utf8.dropFirst(5))))
    XCTAssertFalse(contains(record, rawBytes(of: token)))
    XCTAssertTrue(contains(record, s.tokenHash))
    XCTAssertEqual(try UserCodec.decode(record), u)
  }

  func testTokensAndIdsDifferEveryTime() throws {
    var u = makeUser()
    var tokens = Set<String>()
    var ids = Set<String>()
    for i in 0..<5 {
      let r = try create(&u, at: now + Int64(i), remember: true)
      tokens.insert(r.token)
      ids.insert(r.session.id)
    }
    XCTAssertEqual(tokens.count, 5)
    XCTAssertEqual(ids.count, 5)
  }

  // MARK: Lifetimes

  func testDefaultsAre24HoursAnd30MinutesIdle() throws {
    var u = makeUser()
    let s = try create(&u).session
    XCTAssertEqual(s.createdAt, now)
    XCTAssertEqual(s.lastSeenAt, now)
    XCTAssertEqual(s.expiresAt, now + 86400)
    XCTAssertEqual(s.idleTimeout, 1800)
    XCTAssertFalse(s.remember)
    XCTAssertTrue(s.isLive(at: now + 30 * minute - 1))
    XCTAssertFalse(s.isLive(at: now + 30 * minute))
  }

  func testRememberIs30DaysWithoutIdleUnlessGiven() throws {
    var u = makeUser()
    let s = try create(&u, remember: true).session
    XCTAssertTrue(s.remember)
    XCTAssertEqual(s.expiresAt, now + 30 * 86400)
    XCTAssertNil(s.idleTimeout)
    XCTAssertTrue(s.isLive(at: now + 30 * 86400 - 1))
    XCTAssertFalse(s.isLive(at: now + 30 * 86400))

    let withIdle = try create(&u, idle: 3600, remember: true).session
    XCTAssertEqual(withIdle.idleTimeout, 3600)
    XCTAssertEqual(withIdle.expiresAt, now + 30 * 86400)

    let withTTL = try create(&u, ttl: 7200, remember: true).session
    XCTAssertEqual(withTTL.expiresAt, now + 7200)
    XCTAssertNil(withTTL.idleTimeout)

    let explicit = try create(&u, ttl: 600, idle: 90).session
    XCTAssertEqual(explicit.expiresAt, now + 600)
    XCTAssertEqual(explicit.idleTimeout, 90)
    XCTAssertFalse(explicit.remember)
  }

  func testIdleTimeoutSlidesOnCheck() throws {
    var u = makeUser()
    let (token, s, _) = try create(&u)

    // +29 min: alive, and the idle clock restarts.
    let first = check(&u, token, at: now + 29 * minute)
    XCTAssertEqual(first?.id, s.id)
    XCTAssertEqual(first?.lastSeenAt, now + 29 * minute)
    XCTAssertEqual(try Sessions.load(u).first?.lastSeenAt, now + 29 * minute)

    // Another 29 min later (58 min after creation): still alive.
    XCTAssertNotNil(check(&u, token, at: now + 58 * minute))
    // 31 min after that last check: dead, and gone from the record.
    XCTAssertNil(check(&u, token, at: now + 89 * minute))
    XCTAssertEqual(try Sessions.load(u), [])
    XCTAssertNil(u.extensions[ExtensionTag.sessions.rawValue])
  }

  func testIdleTimeoutEndsExactlyAtItsDeadline() throws {
    var u = makeUser()
    let (token, _, _) = try create(&u)
    XCTAssertNotNil(check(&u, token, at: now + 29 * minute))
    XCTAssertNil(check(&u, token, at: now + 59 * minute), "30 min after the last check is dead")
  }

  func testAbsoluteExpiryWinsOverActivity() throws {
    var u = makeUser()
    let (token, _, _) = try create(&u, ttl: 3600)
    for t in stride(from: now + 20 * minute, to: now + 3600, by: Int(20 * minute)) {
      XCTAssertNotNil(check(&u, token, at: t))
    }
    XCTAssertNotNil(check(&u, token, at: now + 3599))
    XCTAssertNil(check(&u, token, at: now + 3600))
    XCTAssertEqual(try Sessions.load(u), [])
  }

  func testRememberedSessionSurvivesIdleAndExpiresAfter30Days() throws {
    var u = makeUser()
    let (token, _, _) = try create(&u, remember: true)
    XCTAssertNotNil(check(&u, token, at: now + 20 * 86400))
    XCTAssertNotNil(check(&u, token, at: now + 30 * 86400 - 1))
    XCTAssertNil(check(&u, token, at: now + 30 * 86400))
  }

  func testCheckDoesNotMoveLastSeenBackwards() throws {
    var u = makeUser()
    let (token, _, _) = try create(&u)
    XCTAssertEqual(check(&u, token, at: now + 600)?.lastSeenAt, now + 600)
    XCTAssertEqual(check(&u, token, at: now + 300)?.lastSeenAt, now + 600)
  }

  func testBadParametersLeaveTheUserUnchanged() throws {
    var u = makeUser()
    _ = try create(&u)
    let before = u
    func assertInvalid(_ body: (inout User) throws -> Void, _ what: String) {
      var v = before
      XCTAssertThrowsError(try body(&v), what) { error in
        guard case .invalidParameter(let message)? = error as? AccountsError else {
          return XCTFail("\(what): \(error)")
        }
        XCTAssertFalse(message.contains("\n"))
      }
      XCTAssertEqual(v, before, what)
    }
    assertInvalid({ _ = try self.create(&$0, ttl: 0) }, "ttl 0")
    assertInvalid({ _ = try self.create(&$0, ttl: -5) }, "negative ttl")
    assertInvalid({ _ = try self.create(&$0, idle: 0) }, "idle 0")
    assertInvalid(
      {
        _ = try Sessions.create(
          &$0, key: self.key, now: now, ttl: nil, idle: nil, remember: false, ip: "1.2.3.4\n", userAgent: nil,
          deviceName: nil)
      }, "newline in ip")
    assertInvalid(
      {
        _ = try Sessions.create(
          &$0, key: self.key, now: now, ttl: nil, idle: nil, remember: false, ip: nil,
          userAgent: String(repeating: "a", count: 1025), deviceName: nil)
      }, "long user agent")
    assertInvalid(
      {
        _ = try Sessions.create(
          &$0, key: self.key, now: now, ttl: nil, idle: nil, remember: false, ip: nil, userAgent: "x\u{1b}[2J",
          deviceName: nil)
      }, "escape in user agent")
    assertInvalid(
      {
        _ = try Sessions.create(
          &$0, key: self.key, now: now, ttl: nil, idle: nil, remember: false, ip: nil, userAgent: nil,
          deviceName: "")
      }, "empty device name")
    // Empty ip and user agent are recorded as absent; 1024 bytes are fine.
    var v = before
    let s = try Sessions.create(
      &v, key: key, now: now, ttl: nil, idle: nil, remember: false, ip: "",
      userAgent: String(repeating: "a", count: 1024), deviceName: nil
    ).session
    XCTAssertNil(s.ip)
    XCTAssertEqual(s.userAgent?.utf8.count, 1024)
  }

  func testHugeTTLSaturates() throws {
    var u = makeUser()
    let s = try create(&u, ttl: Int64.max, idle: Int64.max).session
    XCTAssertEqual(s.expiresAt, Int64.max)
    XCTAssertTrue(s.isLive(at: now + Int64(100 * 365 * 86400)))
  }

  // MARK: The limit of 5

  func testSixthSessionRevokesTheOldest() throws {
    var u = makeUser()
    var made: [(token: String, session: Session, evicted: [Session])] = []
    for i in 0..<5 {
      let r = try create(&u, at: now + Int64(i), remember: true)
      XCTAssertTrue(r.evicted.isEmpty)
      made.append(r)
    }
    let sixth = try create(&u, at: now + 10, remember: true)
    XCTAssertEqual(sixth.evicted, [made[0].session])
    XCTAssertEqual(try Sessions.load(u).map { $0.id }, made.dropFirst().map { $0.session.id } + [sixth.session.id])
    XCTAssertNil(check(&u, made[0].token, at: now + 20))
    for r in made.dropFirst() { XCTAssertNotNil(check(&u, r.token, at: now + 20)) }
    XCTAssertNotNil(check(&u, sixth.token, at: now + 20))
  }

  func testOldestIsByCreationTimeNotPosition() throws {
    var u = makeUser()
    var made: [Session] = []
    for i in 0..<5 { made.append(try create(&u, at: now + Int64(i), remember: true).session) }
    Sessions.store(made.reversed(), into: &u)
    let r = try create(&u, at: now + 10, remember: true)
    XCTAssertEqual(r.evicted, [made[0]])
  }

  func testDeadSessionsArePrunedBeforeEvicting() throws {
    var u = makeUser()
    // 3 dead (the oldest, so evicting them would look right) and 5 live.
    var list = [
      session("dead0001", created: now - 5000, expires: now - 10),
      session("dead0002", created: now - 4000, expires: now + 5000, idle: 60, lastSeen: now - 61),
      session("dead0003", created: now - 3000, expires: now),
    ]
    for i in 0..<5 { list.append(session("beef000\(i)", created: now - 1000 + Int64(i), expires: now + 9999)) }
    Sessions.store(list, into: &u)
    XCTAssertEqual(try Sessions.load(u).filter { $0.isLive(at: now) }.count, 5)

    let r = try create(&u)
    XCTAssertEqual(r.evicted.map { $0.id }, ["beef0000"])
    let kept = try Sessions.load(u)
    XCTAssertEqual(kept.map { $0.id }, ["beef0001", "beef0002", "beef0003", "beef0004", r.session.id])
  }

  func testFewerThanFiveLivePlusDeadEvictsNothing() throws {
    var u = makeUser()
    var list = [session("dead0001", created: now - 5000, expires: now - 10)]
    for i in 0..<4 { list.append(session("beef000\(i)", created: now - 1000 + Int64(i), expires: now + 9999)) }
    Sessions.store(list, into: &u)
    let r = try create(&u)
    XCTAssertTrue(r.evicted.isEmpty)
    XCTAssertEqual(try Sessions.load(u).count, 5)
  }

  // MARK: Check, prune, revoke

  func testWrongTokenIsNil() throws {
    var u = makeUser()
    let (token, _, _) = try create(&u)
    XCTAssertNil(check(&u, Token.generate(.session), at: now + 1))
    XCTAssertNil(Sessions.check(&u, tokenHash: Token.hash(token, key: makeKey()), now: now + 1), "other key")
    XCTAssertNil(Sessions.check(&u, tokenHash: [], now: now + 1))
    XCTAssertNil(Sessions.check(&u, tokenHash: Array(Token.hash(token, key: key).prefix(16)), now: now + 1))
    var empty = makeUser()
    XCTAssertNil(check(&empty, token, at: now + 1), "a user without sessions")
    XCTAssertNotNil(check(&u, token, at: now + 1))
  }

  func testCheckFindsTheRightSessionAmongMany() throws {
    var u = makeUser()
    let all = try (0..<5).map { i in try create(&u, at: now + Int64(i)) }
    for r in all.shuffled() {
      XCTAssertEqual(check(&u, r.token, at: now + 100)?.id, r.session.id)
    }
  }

  func testCheckPrunesDeadSessions() throws {
    var u = makeUser()
    let short = try create(&u, ttl: 60)
    let long = try create(&u, remember: true)
    XCTAssertNotNil(check(&u, long.token, at: now + 61))
    XCTAssertEqual(try Sessions.load(u).map { $0.id }, [long.session.id])
    XCTAssertNil(check(&u, short.token, at: now + 62))
  }

  func testPruneReturnsTheDead() throws {
    var u = makeUser()
    let a = try create(&u, ttl: 60).session
    let b = try create(&u, remember: true).session
    XCTAssertEqual(Sessions.prune(&u, now: now + 30), [])
    XCTAssertEqual(Sessions.prune(&u, now: now + 60), [a])
    XCTAssertEqual(try Sessions.load(u), [b])
    XCTAssertEqual(Sessions.prune(&u, now: now + 31 * 86400), [b])
    XCTAssertNil(u.extensions[ExtensionTag.sessions.rawValue])
  }

  func testRevokeOne() throws {
    var u = makeUser()
    let a = try create(&u)
    let b = try create(&u)
    XCTAssertEqual(try Sessions.revoke(&u, id: a.session.id), a.session)
    XCTAssertNil(check(&u, a.token, at: now + 1))
    XCTAssertNotNil(check(&u, b.token, at: now + 1))
    XCTAssertThrowsError(try Sessions.revoke(&u, id: a.session.id)) { error in
      XCTAssertEqual(error as? SessionsError, .notFound(a.session.id))
      XCTAssertEqual("\(error)", "session not found: \(a.session.id)")
    }
  }

  func testNotFoundNeverEchoesAToken() throws {
    var u = makeUser()
    let (token, _, _) = try create(&u)
    XCTAssertThrowsError(try Sessions.revoke(&u, id: token)) { error in
      XCTAssertFalse("\(error)".contains(token))
      XCTAssertFalse("\(error)".contains(String(token.dropFirst(5))))
    }
    XCTAssertThrowsError(try Sessions.revoke(&u, id: "bad\u{1b}id")) { error in
      XCTAssertFalse("\(error)".contains("\u{1b}"))
    }
  }

  func testRevokeAll() throws {
    var u = makeUser()
    let made = try (0..<3).map { _ in try create(&u) }
    XCTAssertEqual(Sessions.revokeAll(&u), made.map { $0.session })
    XCTAssertNil(u.extensions[ExtensionTag.sessions.rawValue])
    for r in made { XCTAssertNil(check(&u, r.token, at: now + 1)) }
    XCTAssertEqual(Sessions.revokeAll(&u), [])
  }

  func testCorruptSectionMatchesNothingAndRevokeAllClearsIt() throws {
    var u = makeUser()
    u.extensions[ExtensionTag.sessions.rawValue] = [9, 9, 9]
    let before = u
    XCTAssertNil(Sessions.check(&u, tokenHash: Sodium.randomBytes(32), now: now))
    XCTAssertEqual(Sessions.prune(&u, now: now), [])
    XCTAssertEqual(u, before)
    XCTAssertThrowsError(try create(&u))
    XCTAssertThrowsError(try Sessions.revoke(&u, id: "00000000"))
    XCTAssertEqual(u, before)
    XCTAssertEqual(Sessions.revokeAll(&u), [])
    XCTAssertNil(u.extensions[ExtensionTag.sessions.rawValue])
  }

  // MARK: Section layout

  func testEmptyListRemovesTheSection() throws {
    var u = makeUser()
    _ = try create(&u)
    XCTAssertNotNil(u.extensions[ExtensionTag.sessions.rawValue])
    Sessions.store([], into: &u)
    XCTAssertNil(u.extensions[ExtensionTag.sessions.rawValue])
    XCTAssertEqual(try Sessions.load(u), [])
  }

  func sampleSessions() -> [Session] {
    [
      Session(
        id: "0a1b2c3d", tokenHash: Array(0..<32), createdAt: -5, lastSeenAt: 7, expiresAt: Int64.max,
        idleTimeout: 1800, remember: false, ip: "2001:db8::1", userAgent: "Mozilla/5.0 (X11) “quoted” ünï",
        deviceName: "Alice’s phone 📱"),
      Session(
        id: "ffffffff", tokenHash: Array(repeating: 0xAB, count: 32), createdAt: now, lastSeenAt: now,
        expiresAt: now + 1, idleTimeout: nil, remember: true),
    ]
  }

  func testSectionRoundTrip() throws {
    var u = makeUser()
    let list = sampleSessions()
    Sessions.store(list, into: &u)
    XCTAssertEqual(try Sessions.load(u), list)
    let decoded = try UserCodec.decode(UserCodec.encode(u))
    XCTAssertEqual(try Sessions.load(decoded), list)
  }

  func testLayoutIsAsDocumented() throws {
    var u = makeUser()
    let s = Session(
      id: "0a1b2c3d", tokenHash: Array(repeating: 7, count: 32), createdAt: 1, lastSeenAt: 2, expiresAt: 3,
      idleTimeout: 4, remember: true, ip: "ip", userAgent: nil, deviceName: "d")
    Sessions.store([s], into: &u)
    var expected: [UInt8] = [1, 1, 0, 8, 0, 0, 0] + Array("0a1b2c3d".utf8) + Array(repeating: 7, count: 32)
    expected += [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]
    expected += [1, 4, 0, 0, 0, 0, 0, 0, 0]  // idle
    expected += [1]  // remember
    expected += [1, 2, 0, 0, 0] + Array("ip".utf8)
    expected += [0]
    expected += [1, 1, 0, 0, 0] + Array("d".utf8)
    XCTAssertEqual(u.extensions[ExtensionTag.sessions.rawValue], expected)
  }

  func testStrictDecoding() throws {
    var u = makeUser()
    Sessions.store(sampleSessions(), into: &u)
    let good = u.extensions[ExtensionTag.sessions.rawValue]!
    for n in 0..<good.count { assertDecodeError(Array(good.prefix(n)), "truncated to \(n) bytes") }
    assertDecodeError(good + [0], "trailing byte")
    for v: UInt8 in [0, 2, 255] {
      var bad = good
      bad[0] = v
      assertDecodeError(bad, "version \(v)")
    }
    assertDecodeError([1, 0, 0], "zero count")

    // The second id made equal to the first.
    var dup = good
    let second = good.count - sessionLength(sampleSessions()[1])
    XCTAssertEqual(Array(good[(second + 4)..<(second + 12)]), Array("ffffffff".utf8))
    dup.replaceSubrange((second + 4)..<(second + 12), with: Array("0a1b2c3d".utf8))
    assertDecodeError(dup, "duplicate id")

    var upper = good
    upper[7] = UInt8(ascii: "A")
    assertDecodeError(upper, "upper-case id")
    var shortID = good
    shortID[3] = 7
    assertDecodeError(shortID, "id of 7 characters")

    // idle timeout 0 and a bad optional marker, on the second (simpler) session.
    let idleMarker = second + 4 + 8 + 32 + 24
    var bad = good
    bad[idleMarker] = 2
    assertDecodeError(bad, "optional marker 2")
    bad = good
    bad.replaceSubrange(idleMarker...idleMarker, with: [1, 0, 0, 0, 0, 0, 0, 0, 0])
    assertDecodeError(bad, "idle 0")
    bad = good
    bad[idleMarker + 1] = 2
    assertDecodeError(bad, "remember 2")

    // Strings that break their rule.
    for (ip, userAgent, device) in [
      ("a\nb", nil, nil), (nil, "x\u{7f}", nil), (nil, nil, ""), (nil, nil, " "),
      (nil, nil, String(repeating: "n", count: 65)), (nil, String(repeating: "u", count: 1025), nil),
    ] as [(String?, String?, String?)] {
      var w: [UInt8] = [1, 1, 0, 8, 0, 0, 0] + Array("01234567".utf8) + Array(repeating: 0, count: 32)
      w += Array(repeating: 0, count: 24) + [0, 0]
      for s in [ip, userAgent, device] {
        if let s = s {
          w += [1] + withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian, Array.init) + Array(s.utf8)
        } else {
          w += [0]
        }
      }
      assertDecodeError(w, "bad string \(String(reflecting: ip ?? userAgent ?? device))")
    }
    // Invalid UTF-8.
    var w: [UInt8] = [1, 1, 0, 8, 0, 0, 0] + Array("01234567".utf8) + Array(repeating: 0, count: 32)
    w += Array(repeating: 0, count: 24) + [0, 0] + [1, 1, 0, 0, 0, 0xFF, 0, 0]
    assertDecodeError(w, "invalid UTF-8")
    // The same bytes with a good string decode (so the cases above fail for the string).
    w = [1, 1, 0, 8, 0, 0, 0] + Array("01234567".utf8) + Array(repeating: 0, count: 32)
    w += Array(repeating: 0, count: 24) + [0, 0] + [1, 1, 0, 0, 0, 0x41, 0, 0]
    u.extensions[ExtensionTag.sessions.rawValue] = w
    XCTAssertEqual(try Sessions.load(u).first?.ip, "A")
  }

  private func sessionLength(_ s: Session) -> Int {
    func opt(_ t: String?) -> Int { 1 + (t.map { 4 + $0.utf8.count } ?? 0) }
    return 12 + 32 + 24 + (s.idleTimeout == nil ? 1 : 9) + 1 + opt(s.ip) + opt(s.userAgent) + opt(s.deviceName)
  }
}
