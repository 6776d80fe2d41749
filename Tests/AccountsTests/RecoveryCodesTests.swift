// Recovery codes: generation, normalisation, one use each, voiding, the lockout they
// share with OTP codes, the binding of hashes to the user, and the section's layout.
import Accounts
import Sodium
import Vault
import XCTest

final class RecoveryCodesTests: XCTestCase {
  let key = try! SecureBytes.random(count: 32)
  let now: Int64 = 1_700_000_000
  let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

  func bob() -> User {
    User(name: "bob", id: "fedcba9876543210", createdAt: 1_000_000_000)
  }

  // MARK: Generation

  func testGenerateDefaultCountFormatAndDistinct() throws {
    var u = user([])
    let codes = try RecoveryCodes.generate(&u, count: RecoveryCodes.defaultCount, key: key, now: now)
    XCTAssertEqual(codes.count, 10)
    XCTAssertEqual(Set(codes).count, 10)
    for c in codes {
      let chars = Array(c)
      XCTAssertEqual(chars.count, 11, c)
      XCTAssertEqual(chars[5], "-")
      for (i, ch) in chars.enumerated() where i != 5 {
        XCTAssertTrue(crockford.contains(ch), "\(ch) in \(c)")
      }
      XCTAssertEqual(c, c.uppercased())
      XCTAssertEqual(RecoveryCodes.normalise(c), c.replacingOccurrences(of: "-", with: ""))
    }
    let set = try XCTUnwrap(RecoveryCodeSet.load(u))
    XCTAssertEqual(set.total, 10)
    XCTAssertEqual(set.generatedAt, now)
    XCTAssertNil(set.lastUsedAt)
    XCTAssertEqual(set.hashes.count, 10)
    XCTAssertTrue(set.hashes.allSatisfy { $0.count == 32 })
    XCTAssertEqual(try RecoveryCodes.remaining(u), 10)
  }

  func testCountBounds() throws {
    var u = user([])
    XCTAssertEqual(try RecoveryCodes.generate(&u, count: 1, key: key, now: now).count, 1)
    XCTAssertEqual(try RecoveryCodes.generate(&u, count: 100, key: key, now: now).count, 100)
    XCTAssertEqual(try RecoveryCodes.remaining(u), 100)
    let before = u
    for bad in [0, -1, 101, Int.max] {
      XCTAssertThrowsError(try RecoveryCodes.generate(&u, count: bad, key: key, now: now)) { error in
        guard case .invalidParameter? = error as? AccountsError else { return XCTFail("\(error)") }
      }
      XCTAssertEqual(u, before)
    }
  }

  /// Only hashes are stored: no code appears in the encoded user record, in either form.
  func testOnlyHashesAreStored() throws {
    var u = user([totpAuth()])
    let codes = try RecoveryCodes.generate(&u, count: 100, key: key, now: now)
    let record = UserCodec.encode(u)
    for c in codes {
      for form in [c, c.replacingOccurrences(of: "-", with: ""), c.lowercased()] {
        XCTAssertFalse(occurs(Array(form.utf8), in: record), "code found in the record")
      }
    }
    // The search itself works: the stored hashes are found.
    for h in try XCTUnwrap(RecoveryCodeSet.load(u)).hashes { XCTAssertTrue(occurs(h, in: record)) }
    XCTAssertEqual(try UserCodec.decode(record), u)
  }

  func testDistributionUsesTheWholeAlphabet() throws {
    var u = user([])
    let codes = try RecoveryCodes.generate(&u, count: 100, key: key, now: now)
    let seen = Set(codes.joined().filter { $0 != "-" })
    // 1000 draws from 32 symbols: missing one has probability ~32 * (31/32)^1000 ≈ 5e-13.
    XCTAssertEqual(seen, crockford)
  }

  // MARK: Normalisation

  func testNormalise() {
    let cases: [(String, String?)] = [
      ("ABCDE-FGHJK", "ABCDEFGHJK"),
      ("abcde-fghjk", "ABCDEFGHJK"),
      ("AbCdE fGhJk", "ABCDEFGHJK"),
      ("ABCDEFGHJK", "ABCDEFGHJK"),
      ("  ab cd-e-f gh jk  ", "ABCDEFGHJK"),
      ("--ABCDE--FGHJK--", "ABCDEFGHJK"),
      ("OoIiLl-01ZZ", "001111" + "01ZZ"),
      ("ooooo-iiiii", "0000011111"),
      ("12345-6789A", "123456789A"),
      // U is not a Crockford symbol.
      ("ABCDE-FGHJU", nil),
      ("uBCDE-FGHJK", nil),
      // Lengths.
      ("", nil),
      ("-- --", nil),
      ("ABCDE-FGHJ", nil),
      ("ABCDE-FGHJKM", nil),
      ("ABCDEFGHJKABCDEFGHJK", nil),
      // Other characters.
      ("ABCDE_FGHJK", nil),
      ("ABCDE.FGHJK", nil),
      ("ABCDE\tFGHJK", nil),
      ("ABCDE-FGHJ\n", nil),
      ("ABCDE-FGHJ*", nil),
      ("ÄBCDE-FGHJK", nil),
      ("ABCDE\u{2010}FGHJK", nil),
    ]
    for (input, expected) in cases {
      XCTAssertEqual(RecoveryCodes.normalise(input), expected, "\(input.debugDescription)")
    }
    // Imported google-authenticator scratch codes: exactly 8 digits mean "00" + them.
    XCTAssertEqual(RecoveryCodes.normalise("12345678"), "0012345678")
    XCTAssertEqual(RecoveryCodes.normalise("1234 5678"), "0012345678")
    XCTAssertNil(RecoveryCodes.normalise("1234567"))
    XCTAssertNil(RecoveryCodes.normalise("1234567A"))
  }

  func testForgivingInputIsAccepted() throws {
    var u = user([])
    let codes = try RecoveryCodes.generate(&u, count: 3, key: key, now: now)
    // Lower case, no hyphen, spaces: and a code typed with O for 0 / I or L for 1.
    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[0].lowercased(), key: key, now: now), .accepted(remaining: 2))
    let spaced = codes[1].replacingOccurrences(of: "-", with: "").map { String($0) }.joined(separator: " ")
    XCTAssertEqual(try RecoveryCodes.use(&u, code: spaced, key: key, now: now), .accepted(remaining: 1))
    let confusable = String(
      codes[2].map { ch -> Character in
        switch ch {
        case "0": return "o"
        case "1": return "L"
        default: return ch
        }
      })
    XCTAssertEqual(try RecoveryCodes.use(&u, code: confusable, key: key, now: now), .accepted(remaining: 0))
  }

  func testMalformedInputIsAWrongCode() throws {
    var u = user([])
    _ = try RecoveryCodes.generate(&u, count: 2, key: key, now: now)
    var failures: UInt32 = 0
    for bad in ["", "ABCDE", "ABCDE-FGHJU", "ABCDE-FGHJK-M", "123456"] {
      XCTAssertEqual(try RecoveryCodes.use(&u, code: bad, key: key, now: now), .malformed(RecoveryCodes.shapeRule))
      failures += 1
      XCTAssertEqual(u.failures, failures, "a malformed code counts as a failure")
      XCTAssertFalse(RecoveryCodes.shapeRule.contains(bad) && bad.count >= 5, "the rule never echoes the code")
      if failures == 4 { u.failures = 0 }
      if failures == 4 { failures = 0 }
    }
    XCTAssertEqual(try RecoveryCodes.remaining(u), 2)
    // While locked it is a locked try, counted too.
    for _ in 1...Lockout.threshold { Lockout.recordFailure(&u, now: now) }
    let f = u.failures
    guard case .locked = try RecoveryCodes.use(&u, code: "nope", key: key, now: now) else {
      return XCTFail("not locked")
    }
    XCTAssertEqual(u.failures, f + 1)
  }

  // MARK: Use

  func testEachCodeWorksOnce() throws {
    var u = user([])
    let codes = try RecoveryCodes.generate(&u, count: 10, key: key, now: now)
    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[3], key: key, now: now + 5), .accepted(remaining: 9))
    XCTAssertEqual(try RecoveryCodeSet.load(u)?.lastUsedAt, now + 5)
    XCTAssertEqual(try RecoveryCodeSet.load(u)?.total, 10)
    XCTAssertEqual(u.lastSuccessAt, now + 5)
    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[3], key: key, now: now + 6), .rejected)
    XCTAssertEqual(u.failures, 1)
    XCTAssertEqual(try RecoveryCodes.remaining(u), 9)
    XCTAssertEqual(try RecoveryCodeSet.load(u)?.lastUsedAt, now + 5, "a rejected try is not a use")
  }

  func testRemainingCountsDownToNoCodes() throws {
    var u = user([])
    XCTAssertEqual(try RecoveryCodes.remaining(u), 0)
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "ABCDE-FGHJK", key: key, now: now), .noCodes)
    XCTAssertEqual(u.failures, 1, "no codes: still a failed attempt (no uncounted probing)")
    u = user([])

    let codes = try RecoveryCodes.generate(&u, count: 4, key: key, now: now)
    for (i, c) in codes.enumerated().reversed() {
      XCTAssertEqual(try RecoveryCodes.use(&u, code: c, key: key, now: now + Int64(i)), .accepted(remaining: i))
      XCTAssertEqual(try RecoveryCodes.remaining(u), i)
    }
    // All used: the set stays (status shows 0 of 4), and a further try checks nothing.
    let set = try XCTUnwrap(RecoveryCodeSet.load(u))
    XCTAssertEqual(set.total, 4)
    XCTAssertEqual(set.hashes, [])
    let before = u
    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[0], key: key, now: now + 10), .noCodes)
    XCTAssertEqual(u.failures, before.failures + 1)
    XCTAssertEqual(try RecoveryCodeSet.load(u), try RecoveryCodeSet.load(before), "nothing else changes")
  }

  func testNewSetVoidsTheOld() throws {
    var u = user([])
    let old = try RecoveryCodes.generate(&u, count: 10, key: key, now: now)
    _ = try RecoveryCodes.use(&u, code: old[0], key: key, now: now)
    let new = try RecoveryCodes.generate(&u, count: 5, key: key, now: now + 100)
    let set = try XCTUnwrap(RecoveryCodeSet.load(u))
    XCTAssertEqual(set, RecoveryCodeSet(generatedAt: now + 100, hashes: set.hashes, total: 5, lastUsedAt: nil))
    XCTAssertEqual(try RecoveryCodes.use(&u, code: old[1], key: key, now: now + 101), .rejected)
    XCTAssertEqual(try RecoveryCodes.use(&u, code: new[4], key: key, now: now + 102), .accepted(remaining: 4))
  }

  func testDisabledUserIsNotChecked() throws {
    var u = user([])
    let codes = try RecoveryCodes.generate(&u, count: 2, key: key, now: now)
    u.disabled = true
    let before = u
    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[0], key: key, now: now), .disabled)
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "ZZZZZ-ZZZZZ", key: key, now: now), .disabled)
    XCTAssertEqual(u, before)
  }

  // MARK: Lockout

  /// Five wrong codes lock the user for 60 s; tries while locked are refused unchecked
  /// (even the right code, which stays unused) and extend the lock; once it has run out
  /// the right code is accepted and resets everything.
  func testLockoutInterplay() throws {
    var u = user([])
    let codes = try RecoveryCodes.generate(&u, count: 3, key: key, now: now)
    let wrong = "ZZZZZ-ZZZZZ"
    XCTAssertFalse(codes.contains(wrong))
    for i in 1...4 {
      XCTAssertEqual(try RecoveryCodes.use(&u, code: wrong, key: key, now: now), .rejected)
      XCTAssertEqual(u.failures, UInt32(i))
      XCTAssertNil(u.lockedUntil)
    }
    XCTAssertEqual(try RecoveryCodes.use(&u, code: wrong, key: key, now: now), .rejected)
    XCTAssertEqual(u.lockedUntil, now + 60)

    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[0], key: key, now: now + 10), .locked(until: now + 10 + 120))
    XCTAssertEqual(u.failures, 6)
    XCTAssertEqual(try RecoveryCodes.remaining(u), 3, "the code was not checked")
    XCTAssertNil(try RecoveryCodeSet.load(u)?.lastUsedAt)

    let later = u.lockedUntil!
    XCTAssertEqual(try RecoveryCodes.use(&u, code: codes[0], key: key, now: later), .accepted(remaining: 2))
    XCTAssertEqual(u.failures, 0)
    XCTAssertNil(u.lockedUntil)
    XCTAssertEqual(u.lastSuccessAt, later)
  }

  /// OTP failures and recovery failures share one counter.
  func testSharedCounterWithVerify() throws {
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    _ = try RecoveryCodes.generate(&u, count: 2, key: key, now: t0)
    for _ in 1...3 {
      XCTAssertEqual(try Verifier.verify(&u, code: wrongCode(a, around: s0), now: t0), .rejected(replay: false))
    }
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "ZZZZZ-ZZZZZ", key: key, now: t0), .rejected)
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "YYYYY-YYYYY", key: key, now: t0), .rejected)
    XCTAssertEqual(u.failures, 5)
    XCTAssertEqual(u.lockedUntil, t0 + 60)
    XCTAssertEqual(try Verifier.verify(&u, code: code(a, s0), now: t0 + 1), .locked(until: t0 + 1 + 120))
  }

  // MARK: Binding to the user

  func testHashesAreBoundToTheUser() throws {
    var alice = user([])
    let codes = try RecoveryCodes.generate(&alice, count: 3, key: key, now: now)
    let n = try XCTUnwrap(RecoveryCodes.normalise(codes[0]))
    XCTAssertNotEqual(
      RecoveryCodes.hash(n, userID: alice.id, key: key), RecoveryCodes.hash(n, userID: "fedcba9876543210", key: key))
    XCTAssertEqual(RecoveryCodes.hash(n, userID: alice.id, key: key), RecoveryCodes.hash(n, userID: alice.id, key: key))
    // A different key gives different hashes too.
    let other = try SecureBytes.random(count: 32)
    XCTAssertNotEqual(
      RecoveryCodes.hash(n, userID: alice.id, key: key), RecoveryCodes.hash(n, userID: alice.id, key: other))

    // Alice's section copied to Bob: none of Alice's codes work for him.
    var b = bob()
    b.extensions = alice.extensions
    for c in codes { XCTAssertEqual(try RecoveryCodes.use(&b, code: c, key: key, now: now), .rejected) }
    XCTAssertEqual(try RecoveryCodes.remaining(b), 3)
    // And under another key, not for Alice either.
    XCTAssertEqual(try RecoveryCodes.use(&alice, code: codes[0], key: other, now: now), .rejected)
  }

  /// The hash is the documented construction: BLAKE2b-256 keyed over id || 0 || code.
  func testHashConstruction() throws {
    let expected = Sodium.blake2b(Array("0123456789abcdef".utf8) + [0] + Array("ABCDE12345".utf8), key: key, length: 32)
    XCTAssertEqual(RecoveryCodes.hash("ABCDE12345", userID: "0123456789abcdef", key: key), expected)
  }

  // MARK: Section layout

  func testSectionRoundTripAndLayout() throws {
    var u = user([])
    let h1 = [UInt8](repeating: 0x11, count: 32)
    let h2 = [UInt8](repeating: 0x22, count: 32)
    let set = RecoveryCodeSet(generatedAt: 0x0102_0304_0506_0708, hashes: [h1, h2], total: 10, lastUsedAt: 5)
    set.store(into: &u)
    let bytes = try XCTUnwrap(u.extensions[ExtensionTag.recoveryCodes.rawValue])
    let expected: [UInt8] =
      [1] + [8, 7, 6, 5, 4, 3, 2, 1] + [10, 0] + [1, 5, 0, 0, 0, 0, 0, 0, 0] + [2, 0] + h1 + h2
    XCTAssertEqual(bytes, expected)
    XCTAssertEqual(try RecoveryCodeSet.load(u), set)
    XCTAssertEqual(try RecoveryCodeSet.load(UserCodec.decode(UserCodec.encode(u))), set)

    var none = RecoveryCodeSet(generatedAt: -5, hashes: [], total: 1)
    none.store(into: &u)
    XCTAssertEqual(u.extensions[ExtensionTag.recoveryCodes.rawValue], [1] + le(-5) + [1, 0, 0, 0, 0])
    XCTAssertEqual(try RecoveryCodeSet.load(u), none)
    none.lastUsedAt = Int64.min
    none.store(into: &u)
    XCTAssertEqual(try RecoveryCodeSet.load(u), none)
  }

  func testStrictDecoding() throws {
    let h1 = [UInt8](repeating: 0x11, count: 32)
    let h2 = [UInt8](repeating: 0x22, count: 32)
    let good: [UInt8] = [1] + le(now) + [3, 0] + [1] + le(now + 1) + [2, 0] + h1 + h2
    XCTAssertNoThrow(try load(good))
    // Every truncation, and a trailing byte.
    for n in 0..<good.count { XCTAssertThrowsError(try load(Array(good.prefix(n))), "prefix \(n)") }
    XCTAssertThrowsError(try load(good + [0]))
    // Field by field.
    let bad: [(String, [UInt8])] = [
      ("version 0", [0] + good.dropFirst()),
      ("version 2", [2] + good.dropFirst()),
      ("total 0", [1] + le(now) + [0, 0] + [0] + [0, 0]),
      ("total 101", [1] + le(now) + [101, 0] + [0] + [0, 0]),
      ("optional marker 2", [1] + le(now) + [3, 0] + [2] + le(now) + [0, 0]),
      ("count above total", [1] + le(now) + [1, 0] + [0] + [2, 0] + h1 + h2),
      ("duplicate hash", [1] + le(now) + [3, 0] + [0] + [2, 0] + h1 + h1),
      ("count above data", [1] + le(now) + [3, 0] + [0] + [3, 0] + h1 + h2),
    ]
    for (what, bytes) in bad {
      XCTAssertThrowsError(try load(bytes), what) { XCTAssertTrue($0 is DecodeError, "\(what): \($0)") }
    }
    // A user whose section is corrupt: use and remaining report it, nothing changes.
    var u = user([])
    u.extensions[ExtensionTag.recoveryCodes.rawValue] = good + [0]
    let before = u
    XCTAssertThrowsError(try RecoveryCodes.use(&u, code: "ABCDE-FGHJK", key: key, now: now))
    XCTAssertThrowsError(try RecoveryCodes.remaining(u))
    XCTAssertEqual(u, before)
  }

  // MARK: Helpers

  func load(_ bytes: [UInt8]) throws -> RecoveryCodeSet? {
    var u = user([])
    u.extensions[ExtensionTag.recoveryCodes.rawValue] = bytes
    return try RecoveryCodeSet.load(u)
  }
}

/// Little-endian bytes of an Int64.
private func le(_ v: Int64) -> [UInt8] {
  (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> (8 * UInt64($0))) }
}

/// Whether `needle` occurs in `haystack`.
private func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
  guard needle.count <= haystack.count else { return false }
  for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
    return true
  }
  return false
}
