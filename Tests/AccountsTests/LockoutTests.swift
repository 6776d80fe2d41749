import Accounts
import XCTest

final class LockoutTests: XCTestCase {
  func testScheduleTable() {
    let expected: [(UInt32, Int64)] = [
      (0, 0), (1, 0), (4, 0), (5, 60), (6, 120), (7, 240), (8, 480), (9, 960), (10, 1920), (11, 3600),
      (12, 3600), (64, 3600), (70, 3600), (UInt32.max, 3600),
    ]
    for (failures, seconds) in expected {
      XCTAssertEqual(Lockout.lockSeconds(failures: failures), seconds, "failures \(failures)")
    }
  }

  /// The whole story through `verify`: four failures leave the user unlocked, the 5th
  /// locks for 60 s; tries while locked are refused unchecked (even with the right code)
  /// and extend the lock 120, 240, ... s from the try, up to 1 h; once the lock runs
  /// out a right code is accepted and resets everything.
  func testLockoutThroughVerify() throws {
    var u = user([totpAuth()])
    let a = u.authenticators[0]
    let wrong = wrongCode(a, around: s0, span: 200)
    var now = t0
    for i in 1...4 {
      XCTAssertEqual(try Verifier.verify(&u, code: wrong, now: now), .rejected(replay: false))
      XCTAssertEqual(u.failures, UInt32(i))
      XCTAssertNil(u.lockedUntil)
      XCTAssertFalse(u.isLocked(at: now))
    }
    XCTAssertEqual(try Verifier.verify(&u, code: wrong, now: now), .rejected(replay: false))
    XCTAssertEqual(u.failures, 5)
    XCTAssertEqual(u.lockedUntil, now + 60)
    XCTAssertTrue(u.isLocked(at: now + 59))
    XCTAssertFalse(u.isLocked(at: now + 60))

    // Locked: the right code is refused without being checked, and extends the lock.
    let expected: [Int64] = [120, 240, 480, 960, 1920, 3600, 3600, 3600]
    for (i, seconds) in expected.enumerated() {
      now += 10
      let right = code(a, now / 30)
      XCTAssertEqual(try Verifier.verify(&u, code: right, now: now), .locked(until: now + seconds))
      XCTAssertEqual(u.failures, UInt32(6 + i))
      XCTAssertNil(u.authenticators[0].lastStep, "the code was not checked")
    }
    // After the lock: a wrong code locks again for an hour (failures keep counting) ...
    now = u.lockedUntil!
    XCTAssertFalse(u.isLocked(at: now))
    XCTAssertEqual(try Verifier.verify(&u, code: wrongCode(a, around: now / 30), now: now), .rejected(replay: false))
    XCTAssertEqual(u.lockedUntil, now + 3600)
    // ... and a right one, once it has run out, resets everything.
    now += 3600
    XCTAssertEqual(
      try Verifier.verify(&u, code: code(a, now / 30), now: now), .accepted(authenticatorID: a.id, offset: 0))
    XCTAssertEqual(u.failures, 0)
    XCTAssertNil(u.lockedUntil)
    XCTAssertEqual(u.lastSuccessAt, now)
  }

  func testFailureAfterALockExpiredDoublesFromTheCount() throws {
    var u = user([totpAuth()])
    for _ in 1...5 { Lockout.recordFailure(&u, now: 1000) }
    XCTAssertEqual(u.lockedUntil, 1060)
    Lockout.recordFailure(&u, now: 5000)  // long after the lock ran out: 6th failure
    XCTAssertEqual(u.failures, 6)
    XCTAssertEqual(u.lockedUntil, 5120)
  }

  func testLockNeverShortens() {
    var u = user([])
    u.failures = 4
    u.lockedUntil = 10_000  // e.g. set by a later feature
    Lockout.recordFailure(&u, now: 100)
    XCTAssertEqual(u.lockedUntil, 10_000)
  }

  func testSuccessAndClear() {
    var u = user([])
    for _ in 1...7 { Lockout.recordFailure(&u, now: 50) }
    XCTAssertEqual(u.failures, 7)
    XCTAssertEqual(u.lockedUntil, 50 + 240)
    var v = u
    Lockout.clear(&v)
    XCTAssertEqual(v.failures, 0)
    XCTAssertNil(v.lockedUntil)
    XCTAssertNil(v.lastSuccessAt)
    Lockout.recordSuccess(&u, now: 99)
    XCTAssertEqual(u.failures, 0)
    XCTAssertNil(u.lockedUntil)
    XCTAssertEqual(u.lastSuccessAt, 99)
  }

  func testSaturatesInsteadOfTrapping() {
    var u = user([])
    u.failures = UInt32.max
    Lockout.recordFailure(&u, now: Int64.max - 10)
    XCTAssertEqual(u.failures, UInt32.max)
    XCTAssertEqual(u.lockedUntil, Int64.max)
  }

  func testDisabledUserIsNotCountedWhileLocked() throws {
    var u = user([totpAuth()])
    u.failures = 5
    u.lockedUntil = t0 + 60
    u.disabled = true
    let before = u
    XCTAssertEqual(try Verifier.verify(&u, code: "123456", now: t0), .disabled)
    XCTAssertEqual(u, before)
  }
}
