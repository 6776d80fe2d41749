// Challenge codes: issuing, consuming, expiry, tries, the send limit, withdrawal, and
// the section's layout.
import Accounts
import Sodium
import Vault
import XCTest

final class ChallengesTests: XCTestCase {
  let key = try! SecureBytes.random(count: 32)
  let now: Int64 = 1_700_000_000

  func issue(_ u: inout User, at time: Int64, ttl: Int64 = Challenges.ttl) throws -> (
    code: String, challenge: Challenge
  ) {
    switch try Challenges.issue(&u, key: key, now: time, ttl: ttl) {
    case .issued(let code, let challenge): return (code, challenge)
    case .rateLimited(let until):
      XCTFail("rate limited until \(until)")
      throw DecodeError("unexpected")
    }
  }

  /// A 6-digit code that is none of `codes`.
  func other(than codes: String...) -> String {
    var v = 0
    while true {
      let s = String(v)
      let c = String(repeating: "0", count: 6 - s.count) + s
      if !codes.contains(c) { return c }
      v += 1
    }
  }

  // MARK: Issue and consume

  func testIssueAndConsume() throws {
    var u = user([])
    let (code, c) = try issue(&u, at: now)
    XCTAssertEqual(c.createdAt, now)
    XCTAssertEqual(c.expiresAt, now + 600)
    XCTAssertEqual(c.tries, 0)
    XCTAssertEqual(c.id.count, 8)
    XCTAssertTrue(c.id.allSatisfy { "0123456789abcdef".contains($0) })
    XCTAssertEqual(c.hash, Challenges.hash(code, challengeID: c.id, userID: u.id, key: key))
    XCTAssertEqual(try ChallengeState.load(u), ChallengeState(live: [c], sends: [now]))
    XCTAssertTrue(try Challenges.hasLive(u, now: now))

    let lockout = (u.failures, u.lockedUntil, u.lastSuccessAt)
    XCTAssertTrue(try Challenges.consume(&u, code: code, key: key, now: now + 30))
    XCTAssertFalse(try Challenges.hasLive(u, now: now + 30))
    XCTAssertEqual(try ChallengeState.load(u), ChallengeState(live: [], sends: [now]))
    // Once only.
    XCTAssertFalse(try Challenges.consume(&u, code: code, key: key, now: now + 31))
    XCTAssertTrue(lockout == (u.failures, u.lockedUntil, u.lastSuccessAt), "consume leaves the lockout alone")
  }

  func testCodesAreSixDigitsZeroPadded() throws {
    var u = user([])
    var codes: [String] = []
    // One send every 10 minutes never hits the limit; 3000 codes.
    for i in 0..<3000 {
      codes.append(try issue(&u, at: now + Int64(i) * 600).code)
    }
    for c in codes {
      XCTAssertEqual(c.utf8.count, 6, c)
      XCTAssertTrue(c.allSatisfy { $0.isASCII && $0.isNumber }, c)
    }
    // P(no code below 100000 in 3000) = 0.9^3000: a leading zero must turn up.
    XCTAssertTrue(codes.contains { $0.hasPrefix("0") })
    XCTAssertGreaterThan(Set(codes).count, 2900)
    // Only the latest one is still live; expired ones were pruned on each issue.
    XCTAssertEqual(try ChallengeState.load(u)?.live.count, 1)
  }

  func testHashConstruction() {
    let message = Array("0123456789abcdef".utf8) + [0] + Array("0a1b2c3d".utf8) + [0] + Array("012345".utf8)
    XCTAssertEqual(
      Challenges.hash("012345", challengeID: "0a1b2c3d", userID: "0123456789abcdef", key: key),
      Sodium.blake2b(message, key: key, length: 32))
  }

  func testCodeIsBoundToUserAndChallenge() throws {
    var alice = user([])
    let (code, c) = try issue(&alice, at: now)
    XCTAssertNotEqual(
      Challenges.hash(code, challengeID: c.id, userID: alice.id, key: key),
      Challenges.hash(code, challengeID: c.id, userID: "fedcba9876543210", key: key))
    // Alice's section copied to Bob: the code does not work for him.
    var bob = User(name: "bob", id: "fedcba9876543210", createdAt: 1_000_000_000)
    bob.extensions = alice.extensions
    XCTAssertFalse(try Challenges.consume(&bob, code: code, key: key, now: now))
    // A different key: not for Alice either (and it cost her challenge a try).
    XCTAssertFalse(try Challenges.consume(&alice, code: code, key: try SecureBytes.random(count: 32), now: now))
    XCTAssertEqual(try ChallengeState.load(alice)?.live.first?.tries, 1)
    XCTAssertTrue(try Challenges.consume(&alice, code: code, key: key, now: now))
  }

  // MARK: Expiry and tries

  func testExpiresAtExactlyTTL() throws {
    var u = user([])
    let (code, _) = try issue(&u, at: now)
    var early = u
    XCTAssertTrue(try Challenges.hasLive(u, now: now + 599))
    XCTAssertTrue(try Challenges.consume(&early, code: code, key: key, now: now + 599))
    XCTAssertFalse(try Challenges.hasLive(u, now: now + 600))
    XCTAssertFalse(try Challenges.consume(&u, code: code, key: key, now: now + 600))
    // The expired challenge was pruned, and with its send time out of the window too,
    // the section is gone.
    XCTAssertNil(try ChallengeState.load(u))
  }

  func testCustomTTL() throws {
    var u = user([])
    let (code, c) = try issue(&u, at: now, ttl: 60)
    XCTAssertEqual(c.expiresAt, now + 60)
    var copy = u
    XCTAssertTrue(try Challenges.consume(&copy, code: code, key: key, now: now + 59))
    XCTAssertFalse(try Challenges.consume(&u, code: code, key: key, now: now + 60))

    XCTAssertEqual(try issue(&u, at: now, ttl: 1).challenge.expiresAt, now + 1)
    XCTAssertEqual(try issue(&u, at: now, ttl: Challenges.maxTTL).challenge.expiresAt, now + 86400)
    let before = u
    for bad: Int64 in [0, -1, Challenges.maxTTL + 1, Int64.max] {
      XCTAssertThrowsError(try Challenges.issue(&u, key: key, now: now, ttl: bad)) { error in
        guard case .invalidParameter? = error as? AccountsError else { return XCTFail("\(error)") }
      }
      XCTAssertEqual(u, before)
    }
  }

  func testThreeWrongTriesKillAChallenge() throws {
    var u = user([])
    let (code, _) = try issue(&u, at: now)
    let wrong = other(than: code)
    for i in 1...2 {
      XCTAssertFalse(try Challenges.consume(&u, code: wrong, key: key, now: now + Int64(i)))
      XCTAssertEqual(try ChallengeState.load(u)?.live.first?.tries, i)
      XCTAssertTrue(try Challenges.hasLive(u, now: now + Int64(i)))
    }
    XCTAssertFalse(try Challenges.consume(&u, code: wrong, key: key, now: now + 3))
    XCTAssertEqual(try ChallengeState.load(u)?.live, [])
    XCTAssertFalse(try Challenges.hasLive(u, now: now + 3))
    XCTAssertFalse(try Challenges.consume(&u, code: code, key: key, now: now + 4), "dead: even the right code fails")
  }

  func testTwoWrongTriesThenRight() throws {
    var u = user([])
    let (code, _) = try issue(&u, at: now)
    let wrong = other(than: code)
    XCTAssertFalse(try Challenges.consume(&u, code: wrong, key: key, now: now))
    XCTAssertFalse(try Challenges.consume(&u, code: wrong, key: key, now: now))
    XCTAssertTrue(try Challenges.consume(&u, code: code, key: key, now: now))
  }

  /// Several live challenges: a right code consumes its own only; a wrong one costs each
  /// of them a try.
  func testSeveralLiveChallenges() throws {
    var u = user([])
    let (code1, c1) = try issue(&u, at: now)
    let (code2, c2) = try issue(&u, at: now + 10)
    XCTAssertNotEqual(c1.id, c2.id)
    let wrong = other(than: code1, code2)
    XCTAssertFalse(try Challenges.consume(&u, code: wrong, key: key, now: now + 20))
    XCTAssertEqual(try ChallengeState.load(u)?.live.map(\.tries), [1, 1])
    XCTAssertTrue(try Challenges.consume(&u, code: code2, key: key, now: now + 30))
    XCTAssertEqual(try ChallengeState.load(u)?.live.map(\.id), [c1.id])
    XCTAssertTrue(try Challenges.consume(&u, code: code1, key: key, now: now + 40))
    XCTAssertFalse(try Challenges.hasLive(u, now: now + 40))
  }

  func testConsumeWithoutChallengesChangesNothing() throws {
    var u = user([totpAuth()])
    let before = u
    XCTAssertFalse(try Challenges.consume(&u, code: "123456", key: key, now: now))
    XCTAssertFalse(try Challenges.consume(&u, code: "12345678", key: key, now: now))
    XCTAssertFalse(try Challenges.hasLive(u, now: now))
    XCTAssertEqual(u, before)
  }

  // MARK: Send limit

  func testFourthSendWithinTheWindowIsRateLimited() throws {
    var u = user([])
    _ = try issue(&u, at: now)
    _ = try issue(&u, at: now + 100)
    _ = try issue(&u, at: now + 200)
    let before = u
    XCTAssertEqual(try Challenges.issue(&u, key: key, now: now + 300), .rateLimited(until: now + 600))
    XCTAssertEqual(try Challenges.issue(&u, key: key, now: now + 599), .rateLimited(until: now + 600))
    XCTAssertEqual(u, before, "a refused send changes nothing")
    // The oldest send leaves the window at now + 600.
    let (_, c) = try issue(&u, at: now + 600)
    XCTAssertEqual(try ChallengeState.load(u)?.sends, [now + 100, now + 200, now + 600])
    // Pruned: the first challenge expired at now + 600.
    XCTAssertEqual(try ChallengeState.load(u)?.live.count, 3)
    XCTAssertFalse(try ChallengeState.load(u)!.live.contains { $0.createdAt == now })
    XCTAssertEqual(c.createdAt, now + 600)
    XCTAssertEqual(try Challenges.issue(&u, key: key, now: now + 601), .rateLimited(until: now + 700))
    // Long after: everything pruned, sends allowed again.
    _ = try issue(&u, at: now + 10_000)
    XCTAssertEqual(try ChallengeState.load(u)?.sends, [now + 10_000])
    XCTAssertEqual(try ChallengeState.load(u)?.live.count, 1)
  }

  func testConsumedChallengesStillCountAsSends() throws {
    var u = user([])
    for i: Int64 in 0..<3 {
      let (code, _) = try issue(&u, at: now + i)
      XCTAssertTrue(try Challenges.consume(&u, code: code, key: key, now: now + i))
    }
    XCTAssertEqual(try Challenges.issue(&u, key: key, now: now + 10), .rateLimited(until: now + 600))
  }

  // MARK: Withdraw

  func testWithdraw() throws {
    var u = user([])
    let (_, first) = try issue(&u, at: now)
    let afterFirst = u
    let (_, second) = try issue(&u, at: now + 5)
    try Challenges.withdraw(&u, id: second.id)
    XCTAssertEqual(u, afterFirst, "the challenge and its send time are gone")
    XCTAssertEqual(try ChallengeState.load(u)?.live.map(\.id), [first.id])

    // Unknown id: no change. Withdrawing the last one removes the section.
    var v = user([])
    let (_, only) = try issue(&v, at: now)
    let before = v
    try Challenges.withdraw(&v, id: "00000000")
    XCTAssertEqual(v, before)
    try Challenges.withdraw(&v, id: only.id)
    XCTAssertFalse(try Challenges.hasLive(v, now: now))
    XCTAssertNil(v.extensions[ExtensionTag.challenges.rawValue])
    XCTAssertEqual(v, user([]))
    // On a user without challenges: nothing.
    var w = user([])
    try Challenges.withdraw(&w, id: first.id)
    XCTAssertEqual(w, user([]))
  }

  func testWithdrawnCodeIsNotAccepted() throws {
    var u = user([])
    let (code, c) = try issue(&u, at: now)
    try Challenges.withdraw(&u, id: c.id)
    XCTAssertFalse(try Challenges.consume(&u, code: code, key: key, now: now + 1))
    // Failed deliveries do not use up the send limit.
    for _ in 1...5 {
      let (_, c) = try issue(&u, at: now + 2)
      try Challenges.withdraw(&u, id: c.id)
    }
    XCTAssertNil(try ChallengeState.load(u))
  }

  // MARK: Section layout

  func testSectionLayoutAndRoundTrip() throws {
    var u = user([])
    let h = [UInt8](repeating: 0xAB, count: 32)
    let state = ChallengeState(
      live: [Challenge(id: "0a1b2c3d", hash: h, createdAt: 1000, expiresAt: 1600, tries: 2)], sends: [900, 1000])
    state.store(into: &u)
    let expected: [UInt8] =
      [1, 1, 0] + Array("0a1b2c3d".utf8) + h + le(1000) + le(1600) + [2] + [2] + le(900) + le(1000)
    XCTAssertEqual(u.extensions[ExtensionTag.challenges.rawValue], expected)
    XCTAssertEqual(try ChallengeState.load(u), state)
    XCTAssertEqual(try ChallengeState.load(UserCodec.decode(UserCodec.encode(u))), state)

    // Send times are written in order; dead challenges are not written.
    let messy = ChallengeState(
      live: [
        Challenge(id: "00000001", hash: h, createdAt: 1, expiresAt: 2, tries: 3),
        Challenge(id: "00000002", hash: h, createdAt: 1, expiresAt: 86401, tries: 0),
      ], sends: [30, 10, 20])
    messy.store(into: &u)
    XCTAssertEqual(
      try ChallengeState.load(u), ChallengeState(live: [messy.live[1]], sends: [10, 20, 30]))

    // Empty: no section.
    ChallengeState().store(into: &u)
    XCTAssertNil(u.extensions[ExtensionTag.challenges.rawValue])
    XCTAssertNil(try ChallengeState.load(u))
    ChallengeState(live: [messy.live[0]]).store(into: &u)
    XCTAssertNil(u.extensions[ExtensionTag.challenges.rawValue])
  }

  func testStrictDecoding() throws {
    let h = [UInt8](repeating: 0xAB, count: 32)
    func challenge(_ id: String = "0a1b2c3d", _ created: Int64 = 1000, _ expires: Int64 = 1600, tries: UInt8 = 0)
      -> [UInt8]
    {
      Array(id.utf8) + h + le(created) + le(expires) + [tries]
    }
    let good: [UInt8] = [1, 2, 0] + challenge() + challenge("ffffffff") + [2] + le(900) + le(1000)
    XCTAssertEqual(try load(good)?.live.count, 2)
    for n in 0..<good.count { XCTAssertThrowsError(try load(Array(good.prefix(n))), "prefix \(n)") }
    XCTAssertThrowsError(try load(good + [0]), "trailing byte")

    let bad: [(String, [UInt8])] = [
      ("version 0", [0] + good.dropFirst()),
      ("version 2", [2] + good.dropFirst()),
      ("upper-case id", [1, 1, 0] + challenge("0A1B2C3D") + [0]),
      ("non-hex id", [1, 1, 0] + challenge("0a1b2c3g") + [0]),
      ("duplicate id", [1, 2, 0] + challenge() + challenge() + [0]),
      ("lifetime 0", [1, 1, 0] + challenge("0a1b2c3d", 1000, 1000) + [0]),
      ("negative lifetime", [1, 1, 0] + challenge("0a1b2c3d", 1000, 999) + [0]),
      ("lifetime above a day", [1, 1, 0] + challenge("0a1b2c3d", 1000, 1000 + 86401) + [0]),
      ("overflowing lifetime", [1, 1, 0] + challenge("0a1b2c3d", Int64.min, Int64.max) + [0]),
      ("dead challenge", [1, 1, 0] + challenge(tries: 3) + [0]),
      ("four send times", [1, 0, 0] + [4] + le(1) + le(2) + le(3) + le(4)),
      ("send times out of order", [1, 0, 0] + [2] + le(2) + le(1)),
      ("empty section", [1, 0, 0, 0]),
      ("count above data", [1, 0xFF, 0xFF] + challenge() + [0]),
    ]
    for (what, bytes) in bad {
      XCTAssertThrowsError(try load(bytes), what) { XCTAssertTrue($0 is DecodeError, "\(what): \($0)") }
    }
    // The edges that are fine.
    XCTAssertNoThrow(try load([1, 1, 0] + challenge("0a1b2c3d", 1000, 1001, tries: 2) + [0]))
    XCTAssertNoThrow(try load([1, 1, 0] + challenge("0a1b2c3d", 1000, 1000 + 86400) + [0]))
    XCTAssertNoThrow(try load([1, 0, 0] + [3] + le(5) + le(5) + le(6)))

    // A corrupt section: every entry point reports it and changes nothing.
    var u = user([])
    u.extensions[ExtensionTag.challenges.rawValue] = good + [0]
    let before = u
    XCTAssertThrowsError(try Challenges.issue(&u, key: key, now: now))
    XCTAssertThrowsError(try Challenges.consume(&u, code: "123456", key: key, now: now))
    XCTAssertThrowsError(try Challenges.hasLive(u, now: now))
    XCTAssertThrowsError(try Challenges.withdraw(&u, id: "0a1b2c3d"))
    XCTAssertEqual(u, before)
  }

  func load(_ bytes: [UInt8]) throws -> ChallengeState? {
    var u = user([])
    u.extensions[ExtensionTag.challenges.rawValue] = bytes
    return try ChallengeState.load(u)
  }
}

/// Little-endian bytes of an Int64.
private func le(_ v: Int64) -> [UInt8] {
  (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> (8 * UInt64($0))) }
}
