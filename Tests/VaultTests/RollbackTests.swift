import Foundation
import Sodium
import XCTest

@testable import Vault

/// The commit mark (docs/FORMAT.md, "Commit mark"): a vault file put back to an older
/// copy is told from an interrupted write, on every open.
final class RollbackTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  var logPath: String { path + ".audit" }
  var key: SecureBytes!

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "rollbacktests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func open(_ mode: VaultLock.Mode = .exclusive) throws -> VaultFile {
    try VaultFile(path: path, key: .keyFile(key), mode: mode, lockTimeout: 0.5)
  }

  func commit(_ events: [String], put: String? = nil, crash: CommitCrash? = nil) throws {
    let v = try open()
    for e in events { v.appendAudit(Array(e.utf8)) }
    if let k = put { v.put(k, Array("value of \(k) \(events.count)".utf8)) }
    if let crash = crash { try v.commit(crashingAt: crash) } else { try v.commit() }
  }

  func file(_ p: String) -> [UInt8] { Array(FileManager.default.contents(atPath: p) ?? Data()) }
  func put(_ p: String, _ b: [UInt8]) throws { try Data(b).write(to: URL(fileURLWithPath: p)) }

  func assertRolledBack(_ vaultSeq: UInt64, _ logSeq: UInt64, line: UInt = #line) {
    for mode in [VaultLock.Mode.shared, .exclusive] {
      XCTAssertThrowsError(try open(mode), line: line) {
        XCTAssertEqual($0 as? VaultError, .rolledBack(vaultSeq: vaultSeq, logSeq: logSeq), line: line)
      }
    }
  }

  func testACommitEndsTheLogWithAMarkNamingItsHead() throws {
    try commit(["a", "b"], put: "user/x")
    let v = try open(.shared)
    let head = try XCTUnwrap(try v.auditHead())
    let k = try v.subkey(.audit)
    v.close()
    let b = file(logPath)
    XCTAssertEqual(b.count, Int(head.end) + 44)
    let m = Array(b[Int(head.end)...])
    XCTAssertEqual(Array(m[0..<4]), [0xFF, 0xFF, 0xFF, 0xFF])
    XCTAssertEqual(m[4], 2)
    XCTAssertEqual(Array(m[4..<12]), [2, 0, 0, 0, 0, 0, 0, 0])
    XCTAssertEqual(Array(m[12..<28]), head.tag)
    var ad = Array("MFAAUDIT commit".utf8) + v.header.vaultID + [2, 0, 0, 0, 0, 0, 0, 0] + head.tag
    XCTAssertEqual(Array(m[28..<44]), Sodium.blake2b(ad, key: k, length: 16))
    ad = []
    // The next commit replaces it (in place: the head record keeps its length).
    try commit(["c"])
    let after = file(logPath)
    let head2 = try XCTUnwrap(try open(.shared).auditHead())
    XCTAssertEqual(head2.seq, 3)
    XCTAssertEqual(after.count, Int(head2.end) + 44)
    XCTAssertEqual(Array(after[Int(head2.end)..<(Int(head2.end) + 4)]), [0xFF, 0xFF, 0xFF, 0xFF])
    XCTAssertEqual(try open(.shared).auditRecords().uncommitted, 0, "readers of records stop at the mark")
  }

  func testAVaultPutBackToAnOlderCopyIsRefusedOnEveryOpen() throws {
    try commit(["enrol"], put: "user/alice")
    let old = file(path)
    try commit(["verify.success"], put: "user/alice")  // in place
    try commit(["session.created", "more"], put: "session/x")  // a new record: replaced file
    try put(path, old)
    assertRolledBack(1, 4)
    XCTAssertTrue(
      VaultError.rolledBack(vaultSeq: 1, logSeq: 4).description.contains(
        "the vault is older than its audit log: 3 committed events after event 1"))
    XCTAssertEqual(VaultError.rolledBack(vaultSeq: 1, logSeq: 4).exitCode, 65)
    // Nothing was written: the log still holds the later commits.
    XCTAssertEqual(file(logPath).count > 0, true)
    assertRolledBack(1, 4)
  }

  func testAVaultPutBackToACopyFromBeforeItsFirstEventIsRefused() throws {
    try commit([], put: "user/alice")
    let old = file(path)
    try commit(["first"], put: "user/alice")
    try put(path, old)
    assertRolledBack(0, 1)
  }

  func testAnInterruptedWriteIsNotARollback() throws {
    try commit(["one"], put: "user/a")
    // The records reach the log, the vault commit never happens: no mark after them.
    // (A whole-file write: one in place puts its records in the journal entry first.)
    try commit(["two", "three"], put: "user/b", crash: .afterAuditWrite)
    let v = try open(.shared)
    XCTAssertEqual(try v.auditRecords().uncommitted, 2)
    v.close()
    try commit(["four"])
    XCTAssertEqual(try open(.shared).auditRecords().records.map(\.seq), [1, 2])
  }

  /// A mark with a bad MAC, or naming another record, is no proof of a commit.
  func testAForgedOrMisplacedMarkIsNotARollback() throws {
    try commit(["one"], put: "user/a")
    let old = file(path)
    try commit(["two"], put: "user/a")
    try Journal.checkpoint(vaultPath: path)  // else its entry rolls the old copy forward
    try put(path, old)
    assertRolledBack(1, 2)
    var b = file(logPath)
    b[b.count - 1] ^= 1
    try put(logPath, b)
    XCTAssertNoThrow(try open(.shared).close())
    b[b.count - 1] ^= 1
    b[b.count - 44 + 4] = 1  // names record 1
    try put(logPath, b)
    XCTAssertNoThrow(try open(.shared).close())
  }

  /// The documented window: a crash after the vault commit, before the mark reached the
  /// file, leaves that commit unmarked; the next commit marks it along with its own.
  /// Whole-file writes: a write in place has its mark in its journal entry, written
  /// back with the records by the open that finds them missing.
  func testACommitWhoseMarkWasLostIsCoveredByTheNextOne() throws {
    try commit(["one"], put: "user/a")
    let old = file(path)
    try commit(["two"], put: "user/b", crash: .beforeMark)
    try put(path, old)
    XCTAssertNoThrow(try open(.shared).close(), "no mark: indistinguishable from an interrupted write")
    // Back to the newer vault; one more commit marks records 2 and 3 as committed.
    try commit(["two"], put: "user/b", crash: .beforeMark)
    try commit(["three"])
    try Journal.checkpoint(vaultPath: path)  // else its entry rolls the old copy forward
    try put(path, old)
    assertRolledBack(1, 3)
  }
}
