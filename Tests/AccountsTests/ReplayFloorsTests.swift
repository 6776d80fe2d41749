// Replay floors after a restore (docs/security.md, "State that can be rolled back or
// torn"): what the replaced vault had used stays used in the restored one.
import Accounts
import Foundation
import Sodium
import Vault
import XCTest

final class ReplayFloorsTests: XCTestCase {
  var dir: String!
  var key: UnlockKey!

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "replayfloors-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = .keyFile(try SecureBytes.random(count: 32))
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// A vault at `name` holding `users`, opened exclusively.
  func vault(_ name: String, _ users: [User]) throws -> VaultFile {
    let path = dir + "/" + name
    try VaultFile.create(path: path, keys: [key], limits: .minimum, now: t0, lockTimeout: 1)
    var v = try VaultFile(path: path, key: key, mode: .exclusive, lockTimeout: 1)
    let store = AccountStore(vault: v, now: t0, actor: Actor(name: "test"))
    for u in users { try store.save(u, event: AccountEvent("user.created", user: u)) }
    try store.commit()
    v = try VaultFile(path: path, key: key, mode: .exclusive, lockTimeout: 1)
    return v
  }

  func users(_ v: VaultFile) throws -> [String: User] {
    var out: [String: User] = [:]
    for u in try AccountStore(vault: v, now: t0, actor: Actor(name: "t")).allUsers() { out[u.name] = u }
    return out
  }

  func named(_ name: String, id: String, _ a: [Authenticator]) -> User {
    User(name: name, id: id, createdAt: 1_000_000_000, authenticators: a)
  }

  func testFloorsGoUpNeverDownAndOnlyForTheSameAuthenticator() throws {
    var totpThen = totpAuth(id: "aaaaaaa1")
    totpThen.lastStep = 100
    var totpNow = totpAuth(id: "aaaaaaa1")
    totpNow.lastStep = 250
    let other = hotpAuth(id: "bbbbbbb2", counter: 90, secret: Array("another secret 12345".utf8))
    let restored = try vault(
      "restored.mfa",
      [
        named(
          "alice", id: "00000000000000a1",
          [totpThen, hotpAuth(id: "bbbbbbb1", counter: 5), hotpAuth(id: "bbbbbbb2", counter: 3)]),
        named("bob", id: "00000000000000b1", [hotpAuth(id: "bbbbbbb1", counter: 40)]),
        named("carol", id: "00000000000000c1", [hotpAuth(id: "bbbbbbb1", counter: 1)]),
      ])
    let replaced = try vault(
      "replaced.mfa",
      [
        // The same users by id (alice renamed meanwhile).
        named("alice2", id: "00000000000000a1", [totpNow, hotpAuth(id: "bbbbbbb1", counter: 9), other]),
        named("bob", id: "00000000000000b1", [hotpAuth(id: "bbbbbbb1", counter: 12)]),
        // carol's name, another user.
        named("carol", id: "00000000000000c2", [hotpAuth(id: "bbbbbbb1", counter: 50)]),
      ])
    let raised = try ReplayFloors.raise(in: restored, from: replaced, now: t0)
    XCTAssertEqual(raised.authenticators, 2)
    XCTAssertEqual(raised.recoveryCodes, 0)
    let u = try users(restored)
    XCTAssertEqual(u["alice"]?.authenticators[0].lastStep, 250, "TOTP: the replaced vault's last step")
    XCTAssertEqual(u["alice"]?.authenticators[1].counter, 9, "HOTP: the replaced vault's counter")
    XCTAssertEqual(u["alice"]?.authenticators[2].counter, 3, "another secret under the same id: not raised")
    XCTAssertEqual(u["bob"]?.authenticators[0].counter, 40, "never lowered")
    XCTAssertEqual(u["carol"]?.authenticators[0].counter, 1, "a user is matched by id, not name")
    XCTAssertNil(u["alice2"])
  }

  func testRecoveryCodesUsedOrVoidedByTheReplacedVaultAreVoided() throws {
    let h = (0..<4).map { [UInt8](repeating: UInt8($0), count: 32) }
    var then = named("alice", id: "00000000000000a1", [totpAuth()])
    RecoveryCodeSet(generatedAt: t0, hashes: h, total: 4).store(into: &then)
    var now = then
    RecoveryCodeSet(generatedAt: t0, hashes: [h[1], h[3]], total: 4, lastUsedAt: t0 + 5).store(into: &now)
    let restored = try vault("restored.mfa", [then])
    let replaced = try vault("replaced.mfa", [now])
    XCTAssertEqual(try ReplayFloors.raise(in: restored, from: replaced, now: t0).recoveryCodes, 2)
    let set = try XCTUnwrap(try RecoveryCodeSet.load(try XCTUnwrap(try users(restored)["alice"])))
    XCTAssertEqual(set.hashes, [h[1], h[3]])
    XCTAssertEqual(set.total, 4)
  }
}
