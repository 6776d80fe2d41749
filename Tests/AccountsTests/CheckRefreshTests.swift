// Issue 9, item 8: `Sessions.find` / `Devices.find` read without changing anything, and
// `needsRefresh` says when a successful check writes the last-use time (60 s, or half a
// short idle timeout; never when the clock went back).
import Accounts
import Sodium
import Vault
import XCTest

final class CheckRefreshTests: XCTestCase {
  let now: Int64 = 1_700_000_000
  let key = try! SecureBytes.random(count: 32)

  func user() -> User { User(name: "alice", id: "0123456789abcdef", createdAt: 1_600_000_000) }

  func testFindChangesNothingAndHonoursLiveness() throws {
    var u = user()
    let (token, s, _) = try Sessions.create(&u, key: key, now: now, ip: nil, userAgent: nil, deviceName: nil)
    let hash = Token.hash(token, key: key)
    let stored = u
    XCTAssertEqual(Sessions.find(u, tokenHash: hash, now: now + 59)?.id, s.id)
    XCTAssertEqual(Sessions.find(u, tokenHash: hash, now: now + 59)?.lastSeenAt, now, "as stored")
    XCTAssertEqual(u, stored)
    XCTAssertNil(Sessions.find(u, tokenHash: hash, now: now + Sessions.defaultIdle), "idle from the stored time")
    XCTAssertNil(Sessions.find(u, tokenHash: Token.hash(token, key: try SecureBytes.random(count: 32)), now: now + 1))
  }

  func testSessionRefreshInterval() {
    func s(idle: Int64?, lastSeen: Int64) -> Session {
      Session(
        id: "00000001", tokenHash: Sodium.randomBytes(32), createdAt: now, lastSeenAt: lastSeen, expiresAt: now + 86400,
        idleTimeout: idle)
    }
    XCTAssertEqual(s(idle: 1800, lastSeen: now).refreshInterval, 60)
    XCTAssertEqual(s(idle: nil, lastSeen: now).refreshInterval, 60)
    XCTAssertEqual(s(idle: 120, lastSeen: now).refreshInterval, 60)
    XCTAssertEqual(s(idle: 30, lastSeen: now).refreshInterval, 15)
    XCTAssertEqual(s(idle: 1, lastSeen: now).refreshInterval, 1)
    XCTAssertFalse(s(idle: 1800, lastSeen: now).needsRefresh(at: now + 59))
    XCTAssertTrue(s(idle: 1800, lastSeen: now).needsRefresh(at: now + 60))
    XCTAssertFalse(s(idle: 30, lastSeen: now).needsRefresh(at: now + 14))
    XCTAssertTrue(s(idle: 30, lastSeen: now).needsRefresh(at: now + 15))
    XCTAssertFalse(s(idle: 1800, lastSeen: now).needsRefresh(at: now - 3600), "clock set back: never backwards")
  }

  func testDeviceFindAndRefresh() throws {
    var u = user()
    let (token, d, _) = try Devices.trust(&u, name: "laptop", key: key, now: now, ip: nil, userAgent: nil)
    let hash = Token.hash(token, key: key)
    let stored = u
    let found = Devices.find(u, tokenHash: hash, now: now + 1)
    XCTAssertEqual(found?.id, d.id)
    XCTAssertEqual(u, stored)
    XCTAssertEqual(found?.needsRefresh(at: now + 1), true, "never used: the first check records it")
    var used = d
    used.lastUsedAt = now
    XCTAssertFalse(used.needsRefresh(at: now + 59))
    XCTAssertTrue(used.needsRefresh(at: now + 60))
    XCTAssertFalse(used.needsRefresh(at: now - 10))
    XCTAssertNil(Devices.find(u, tokenHash: hash, now: d.expiresAt), "expired")
  }
}
