import Foundation
import Sodium
import XCTest

@testable import Vault

/// The audit log's storage (docs/FORMAT.md, "Audit log"): append, read back, and every
/// kind of tampering detected and located; crash states recognised, never reported as
/// tampering.
final class AuditLogTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  var logPath: String { path + ".audit" }
  var key: SecureBytes!

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "audittests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func open(_ mode: VaultLock.Mode = .exclusive) throws -> VaultFile {
    try VaultFile(path: path, key: .keyFile(key), mode: mode, lockTimeout: 0.5)
  }

  func event(_ i: Int) -> [UInt8] { Array("event \(i) ".utf8) + [UInt8](repeating: UInt8(i & 0xFF), count: i % 7) }

  /// Commits `count` events numbered from `first`, optionally with a record change.
  @discardableResult
  func log(_ first: Int, _ count: Int, put: Bool = false) throws -> VaultFile {
    let v = try open()
    for i in first..<(first + count) { v.appendAudit(event(i)) }
    if put { v.put("user/u\(first)", [UInt8(first & 0xFF)]) }
    try v.commit()
    return v
  }

  /// Events 1...n, committed over several commits.
  func logOf(_ n: Int) throws {
    var i = 1
    while i <= n {
      let c = min(3, n - i + 1)
      try log(i, c, put: i % 2 == 1)
      i += c
    }
  }

  func read() throws -> (records: [AuditRecord], uncommitted: Int) {
    let v = try open(.shared)
    defer { v.close() }
    return try v.auditRecords()
  }

  /// The log file without the commit mark a commit leaves after its head (FORMAT.md,
  /// "Commit mark"; RollbackTests): the records as committed.
  func bytes() throws -> [UInt8] {
    var b = Array(try Data(contentsOf: URL(fileURLWithPath: logPath)))
    if b.count >= 94, b[(b.count - 44)..<(b.count - 40)].allSatisfy({ $0 == 0xFF }) { b.removeLast(44) }
    return b
  }
  func write(_ b: [UInt8]) throws { try Data(b).write(to: URL(fileURLWithPath: logPath)) }

  /// Byte ranges of the records in a log file.
  func ranges(_ b: [UInt8]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var off = AuditLog.headerLength
    while off + 12 <= b.count {
      let len = Int(b[off]) | Int(b[off + 1]) << 8 | Int(b[off + 2]) << 16 | Int(b[off + 3]) << 24
      out.append(off..<(off + 12 + len))
      off += 12 + len
    }
    return out
  }

  func assertTampered(
    at seq: UInt64, _ reasonContains: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertThrowsError(try read(), file: file, line: line) { error in
      guard case .auditTampered(let bad, let reason)? = error as? VaultError else {
        return XCTFail("not a tampering report: \(error)", file: file, line: line)
      }
      XCTAssertEqual(bad, seq, reason, file: file, line: line)
      if !reasonContains.isEmpty {
        XCTAssertTrue(reason.contains(reasonContains), "\(reason)", file: file, line: line)
      }
      XCTAssertEqual((error as? VaultError)?.exitCode, 65, file: file, line: line)
    }
  }

  func inode(_ p: String) throws -> UInt64 {
    (try FileManager.default.attributesOfItem(atPath: p)[.systemFileNumber] as! NSNumber).uint64Value
  }

  // MARK: Appending and reading

  func testAppendsAcrossCommitsReadBackInOrder() throws {
    XCTAssertEqual(try read().records, [])
    XCTAssertNil(try open(.shared).auditHead())
    XCTAssertFalse(FileManager.default.fileExists(atPath: logPath), "created on first append only")
    try log(1, 1, put: true)
    try log(2, 2)
    try log(4, 3, put: true)
    let (records, uncommitted) = try read()
    XCTAssertEqual(records.map(\.seq), [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(records.map(\.plaintext), (1...6).map(event))
    XCTAssertEqual(uncommitted, 0)
    let head = try XCTUnwrap(try open(.shared).auditHead())
    let b = try bytes()
    XCTAssertEqual(head.seq, 6)
    XCTAssertEqual(head.end, UInt64(b.count))
    XCTAssertEqual(head.tag, Array(b.suffix(16)))
    // Layout: header, then length || seq || sealed.
    XCTAssertEqual(Array(b[0..<8]), Array("MFAAUDIT".utf8))
    XCTAssertEqual(b[8], 1)
    XCTAssertEqual(b[9], 0)
    XCTAssertEqual(Array(b[26..<50]), [UInt8](repeating: 0, count: 24), "a fresh log's anchor is zero")
    XCTAssertEqual(ranges(b).count, 6)
    XCTAssertEqual(ranges(b).last?.upperBound, b.count)
    XCTAssertEqual(b[ranges(b)[2].lowerBound + 4], 3, "the third record carries seq 3")
    let attrs = try FileManager.default.attributesOfItem(atPath: logPath)
    XCTAssertEqual((attrs[.posixPermissions] as! NSNumber).intValue, 0o600)
    // Nothing of the plaintext is in clear.
    XCTAssertNil(String(decoding: b, as: UTF8.self).range(of: "event"))
    // The vault records still read.
    XCTAssertEqual(try open(.shared).get("user/u4"), [4])
  }

  func testAuditOnlyCommitsRunAndAreWrittenInPlace() throws {
    try log(1, 1, put: true)  // the head record is new here: the file is replaced once
    let before = try inode(path)
    let v = try open()
    XCTAssertFalse(v.hasChanges)
    v.appendAudit(event(2))
    XCTAssertTrue(v.hasChanges, "a staged audit record is a change")
    try v.commit()
    XCTAssertEqual(try inode(path), before, "the head is updated in place")
    XCTAssertEqual(try read().records.map(\.seq), [1, 2])
    // Through the journal: stop right after it is written, and the next open completes it.
    let w = try open()
    w.appendAudit(event(3))
    try w.commit(crashingAt: .journalWritten)
    XCTAssertTrue(Journal.hasContent(vaultPath: path))
    XCTAssertEqual(try read().records.map(\.seq), [1, 2, 3])
    XCTAssertFalse(Journal.hasContent(vaultPath: path))
    XCTAssertEqual(try inode(path), before)
  }

  func testInvalidRecordsAreRefusedBeforeAnythingIsWritten() throws {
    try log(1, 2)
    let size = try bytes().count
    for bad in [[], [UInt8](repeating: 1, count: VaultFile.maxAuditRecordLength + 1)] {
      let v = try open()
      v.appendAudit(event(9))
      v.appendAudit(bad)
      XCTAssertThrowsError(try v.commit()) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 64) }
    }
    XCTAssertEqual(try bytes().count, size)
    // The largest record is fine.
    let v = try open()
    v.appendAudit([UInt8](repeating: 7, count: VaultFile.maxAuditRecordLength))
    try v.commit()
    XCTAssertEqual(try read().records.last?.plaintext.count, VaultFile.maxAuditRecordLength)
  }

  // MARK: Tampering, each detected and located

  func testAnEditedByteIsLocated() throws {
    try logOf(6)
    let original = try bytes()
    let r = ranges(original)
    for k in [1, 3, 6] {
      let rec = r[k - 1]
      // Length, sequence number, nonce, ciphertext, tag.
      for at in [rec.lowerBound, rec.lowerBound + 5, rec.lowerBound + 12, rec.lowerBound + 40, rec.upperBound - 1] {
        var b = original
        b[at] ^= 0x04
        try write(b)
        assertTampered(at: UInt64(k), "")
      }
    }
    // The header: vault id and anchor.
    for at in [12, 30, 45] {
      var b = original
      b[at] ^= 1
      try write(b)
      assertTampered(at: 1, "")
    }
    try write(original)
    XCTAssertEqual(try read().records.count, 6)
  }

  func testAnEditIsNamedAsSuch() throws {
    try logOf(4)
    var b = try bytes()
    b[ranges(b)[1].lowerBound + 40] ^= 1
    try write(b)
    assertTampered(at: 2, "does not authenticate")
    b[ranges(b)[1].lowerBound + 40] ^= 1
    b[ranges(b)[2].lowerBound + 4] = 9  // record 3's sequence number
    try write(b)
    assertTampered(at: 3, "sequence number changed to 9")
  }

  func testADeletedRecordIsLocated() throws {
    try logOf(6)
    let original = try bytes()
    let r = ranges(original)
    for k in [1, 4] {
      var b = original
      b.removeSubrange(r[k - 1])
      try write(b)
      assertTampered(at: UInt64(k), "record \(k) is missing")
    }
    var b = original
    b.removeSubrange(r[1].lowerBound..<r[3].upperBound)  // 2, 3 and 4
    try write(b)
    assertTampered(at: 2, "records 2 to 4 are missing")
  }

  func testSwappedRecordsAreLocated() throws {
    try logOf(6)
    let original = try bytes()
    let r = ranges(original)
    for k in [1, 3, 5] {
      var b = Array(original[0..<r[k - 1].lowerBound])
      b += original[r[k]] + original[r[k - 1]]
      b += original[r[k].upperBound...]
      XCTAssertEqual(b.count, original.count)
      try write(b)
      assertTampered(at: UInt64(k), "out of order")
    }
  }

  func testAnInsertedRecordIsLocated() throws {
    try logOf(6)
    let original = try bytes()
    let r = ranges(original)
    // A copy of record 2 inserted after record 4, and a duplicate of record 3 right after it.
    var b = original
    b.insert(contentsOf: original[r[1]], at: r[3].upperBound)
    try write(b)
    assertTampered(at: 5, "record 2 appears again")
    b = original
    b.insert(contentsOf: original[r[2]], at: r[2].upperBound)
    try write(b)
    assertTampered(at: 4, "record 3 appears again")
    // A record forged without the key.
    b = original
    var forged = Array(original[r[3]])
    forged[4] = 5
    b.insert(contentsOf: forged, at: r[3].upperBound)
    try write(b)
    assertTampered(at: 5, "")
  }

  func testTruncationIsDetectedWithTheCounts() throws {
    try logOf(6)
    let original = try bytes()
    let r = ranges(original)
    try write(Array(original[0..<r[5].lowerBound]))  // the last record dropped
    assertTampered(at: 6, "the vault's head says 6 records; the log has 5")
    try write(Array(original[0..<r[2].lowerBound]))
    assertTampered(at: 3, "the vault's head says 6 records; the log has 2")
    try write(Array(original[0..<(r[4].lowerBound + 30)]))  // cut inside record 5
    assertTampered(at: 5, "the vault's head says 6 records; the log has 4")
    try write(Array(original[0..<20]))
    assertTampered(at: 1, "the log has 0")
    try write([])
    assertTampered(at: 1, "the log has 0")
  }

  func testADeletedLogIsDetectedAndWritersRefuseIt() throws {
    try logOf(3)
    try FileManager.default.removeItem(atPath: logPath)
    assertTampered(at: 1, "the log file is missing; the vault's head says 3 records")
    // A writer does not start a new log behind the head's back; nothing is written.
    let v = try open()
    v.appendAudit(event(4))
    v.put("user/x", [1])
    XCTAssertThrowsError(try v.commit()) {
      guard case .auditTampered(1, let reason)? = $0 as? VaultError else { return XCTFail("\($0)") }
      XCTAssertTrue(reason.contains("missing"))
    }
    XCTAssertNil(try open(.shared).get("user/x"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: logPath))
  }

  func testWritersRefuseATruncatedOrReplacedLog() throws {
    try logOf(4)
    // The log cut back to where the last write in place began is what a power cut
    // leaves when that write's lazy append was lost: its journal entry would write it
    // back (docs/FORMAT.md, "Writing in place"). Checkpointed, the cut is damage.
    try Journal.checkpoint(vaultPath: path)
    let original = try bytes()
    let r = ranges(original)
    try write(Array(original[0..<r[3].lowerBound]))
    let v = try open()
    v.appendAudit(event(5))
    XCTAssertThrowsError(try v.commit()) {
      XCTAssertEqual(
        $0 as? VaultError,
        .auditTampered(firstBadSeq: 4, reason: "the log is truncated: the vault's head says 4 records; the log has 3"))
    }
    // A log of the same length whose last record is another one.
    var b = original
    b[b.count - 1] ^= 1
    try write(b)
    let w = try open()
    w.appendAudit(event(5))
    XCTAssertThrowsError(try w.commit()) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
    try write(original)
    try log(5, 1)
    XCTAssertEqual(try read().records.map(\.seq), [1, 2, 3, 4, 5])
  }

  func testALogFromAnotherVaultOrANewerVersionIsRefused() throws {
    try logOf(2)
    var b = try bytes()
    b[8] = 2
    try write(b)
    XCTAssertThrowsError(try read()) { XCTAssertEqual($0 as? VaultError, .unsupportedAuditVersion(2)) }
    XCTAssertEqual(VaultError.unsupportedAuditVersion(2).exitCode, 65)
    XCTAssertTrue(VaultError.unsupportedAuditVersion(2).description.contains("audit log version 2"))
    b[8] = 1
    b[10] ^= 0xFF  // the vault id
    try write(b)
    assertTampered(at: 1, "another vault")
  }

  func testTheErrorDescription() {
    let e = VaultError.auditTampered(firstBadSeq: 7, reason: "record 7 is missing")
    XCTAssertEqual(e.description, "audit log has been tampered with at record 7: record 7 is missing")
    XCTAssertEqual(e.exitCode, 65)
  }

  // MARK: Interrupted writes

  func testAnUncommittedTailIsReportedAndDroppedByTheNextWrite() throws {
    try logOf(3)
    let committed = try bytes()
    // Records appended with the right chain, but the vault's head never updated: what
    // a crash between the two steps of a commit leaves.
    let v = try open()
    let k = try v.subkey(.audit)
    let head = try XCTUnwrap(try v.auditHead())
    let r4 = AuditLog.sealRecord(event(4), seq: 4, prevTag: head.tag, vaultID: v.header.vaultID, key: k)
    let r5 = AuditLog.sealRecord(event(5), seq: 5, prevTag: Array(r4.suffix(16)), vaultID: v.header.vaultID, key: k)
    v.close()
    try write(committed + r4 + r5)
    var (records, uncommitted) = try read()
    XCTAssertEqual(records.map(\.seq), [1, 2, 3], "only committed records are returned")
    XCTAssertEqual(uncommitted, 2)
    let w = try open(.shared)
    XCTAssertEqual(try w.committedAuditLog(), committed, "a backup gets the committed part only")
    w.close()
    // A torn record at the very end (the crash hit the write itself) is not counted.
    try write(committed + r4 + Array(r5.prefix(30)))
    (records, uncommitted) = try read()
    XCTAssertEqual(records.count, 3)
    XCTAssertEqual(uncommitted, 1)
    // Garbage after the head is never fatal.
    try write(committed + [UInt8](repeating: 0xAB, count: 100))
    XCTAssertEqual(try read().uncommitted, 0)
    // The next write drops the tail; its own record takes number 4.
    try write(committed + r4 + r5)
    try log(40, 1)
    (records, uncommitted) = try read()
    XCTAssertEqual(records.map(\.seq), [1, 2, 3, 4])
    XCTAssertEqual(records.last?.plaintext, event(40))
    XCTAssertEqual(uncommitted, 0)
    XCTAssertEqual(Array(try bytes().prefix(committed.count)), committed)
  }

  func testAnUncommittedTailBeforeTheFirstCommitIsDropped() throws {
    let v = try open()
    v.appendAudit(event(1))
    try v.commit(crashingAt: .afterAuditWrite)
    XCTAssertNil(try open(.shared).auditHead())
    XCTAssertEqual(try read().records, [])
    XCTAssertEqual(try read().uncommitted, 1)
    try log(2, 1)
    XCTAssertEqual(try read().records, [AuditRecord(seq: 1, plaintext: event(2))])
    XCTAssertEqual(try read().uncommitted, 0)
  }

  func testACrashBetweenTheAuditAppendAndTheVaultCommitLeavesAReadableVaultAndLog() throws {
    try logOf(3)
    // A write in place puts its records in its journal entry, not in the log: a crash
    // before the entry is synced leaves no tail (CrashAtEveryCallTests covers every call).
    for put in [false, true] {
      let v = try open()
      v.appendAudit(event(90))
      v.appendAudit(event(91))
      if put { v.put("user/new", [1, 2]) }  // an insert: the whole-file path
      try v.commit(crashingAt: put ? .afterAuditWrite : .beforeJournalEntry)
      let w = try open(.shared)
      XCTAssertNil(try w.get("user/new"), "the vault is the old one")
      XCTAssertEqual(try w.auditHead()?.seq, 3)
      let (records, uncommitted) = try w.auditRecords()
      XCTAssertEqual(records.map(\.seq), [1, 2, 3])
      XCTAssertEqual(uncommitted, put ? 2 : 0)
      w.close()
    }
    try log(4, 1)
    let (records, uncommitted) = try read()
    XCTAssertEqual(records.map(\.plaintext), (1...4).map(event))
    XCTAssertEqual(uncommitted, 0)
  }

  func testACrashInTheVaultCommitIsCompletedByItsJournal() throws {
    try logOf(3)
    for stage in [CommitCrash.journalWritten, .partiallyApplied] {
      let n = try read().records.count + 1
      let v = try open()
      v.appendAudit(event(n))
      try v.commit(crashingAt: stage)
      let (records, uncommitted) = try read()
      XCTAssertEqual(records.count, n, "\(stage): the journaled head is rolled forward")
      XCTAssertEqual(records.last?.plaintext, event(n))
      XCTAssertEqual(uncommitted, 0)
    }
  }

  // MARK: Prune

  func testPruneKeepsTheChainVerifiableAndEndsWithTheCheckpoint() throws {
    try logOf(10)
    let v = try open()
    try v.pruneAudit(keepingFrom: 6, checkpoint: Array("pruned 1-5".utf8))
    try v.commit()
    let (records, uncommitted) = try read()
    XCTAssertEqual(records.map(\.seq), [6, 7, 8, 9, 10, 11])
    XCTAssertEqual(records.dropLast().map(\.plaintext), (6...10).map(event))
    XCTAssertEqual(records.last?.plaintext, Array("pruned 1-5".utf8), "the checkpoint is the last record")
    XCTAssertEqual(uncommitted, 0)
    let b = try bytes()
    XCTAssertEqual(b[26], 5, "the header's anchor is record 5")
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".audit.next"))
    // Appends continue the chain; tampering is still located by number.
    try log(12, 2)
    XCTAssertEqual(try read().records.map(\.seq), Array(6...13))
    let r = ranges(try bytes())
    var c = try bytes()
    c.removeSubrange(r[2])
    try write(c)
    assertTampered(at: 8, "record 8 is missing")
    try write(b + [])  // the pruned log without the two later records: truncated
    assertTampered(at: 12, "the vault's head says 13 records; the log has 11")
  }

  func testCuttingTheFrontOffLooksLikeNoPrune() throws {
    try logOf(6)
    let b = try bytes()
    let r = ranges(b)
    // A forged "pruned" log: records 4-6 behind a header anchored at record 3, all
    // values the file shows in clear. The vault's head still says the log starts at 0.
    var forged = Array(b[0..<26])
    forged += [3, 0, 0, 0, 0, 0, 0, 0] + Array(b[(r[2].upperBound - 16)..<r[2].upperBound])
    forged += b[r[3].lowerBound...]
    try write(forged)
    assertTampered(at: 1, "records were removed from the start")
  }

  func testPruneOfEverythingStartsAFreshLogEvenAfterItWasDeleted() throws {
    try logOf(4)
    var v = try open()
    try v.pruneAudit(keepingFrom: 5, checkpoint: [1])
    try v.commit()
    XCTAssertEqual(try read().records, [AuditRecord(seq: 5, plaintext: [1])])
    // The reset after damage: the old log is not read at all.
    try FileManager.default.removeItem(atPath: logPath)
    assertTampered(at: 5, "missing")
    v = try open()
    try v.pruneAudit(keepingFrom: 6, checkpoint: [2])
    try v.commit()
    XCTAssertEqual(try read().records, [AuditRecord(seq: 6, plaintext: [2])])
    // Limits: not beyond the head; nothing older than the anchor is a plain append.
    v = try open()
    XCTAssertThrowsError(try v.pruneAudit(keepingFrom: 8, checkpoint: [3])) {
      XCTAssertEqual(($0 as? VaultError)?.exitCode, 64)
    }
    try v.pruneAudit(keepingFrom: 3, checkpoint: [3])
    try v.commit()
    XCTAssertEqual(try read().records.map(\.seq), [6, 7])
    XCTAssertEqual(try bytes()[26], 5, "no rewrite: same anchor")
  }

  func testPruneRefusesATamperedLog() throws {
    try logOf(6)
    var b = try bytes()
    b[ranges(b)[1].lowerBound + 40] ^= 1
    try write(b)
    let v = try open()
    XCTAssertThrowsError(try v.pruneAudit(keepingFrom: 4, checkpoint: [1])) {
      XCTAssertEqual(($0 as? VaultError)?.exitCode, 65)
    }
  }

  func testAnInterruptedPruneLeavesTheOldOrTheNewLog() throws {
    try logOf(8)
    // Crash after the pruned log is written, before the vault commit: the old log.
    var v = try open()
    try v.pruneAudit(keepingFrom: 5, checkpoint: [1])
    try v.commit(crashingAt: .afterAuditWrite)
    XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".audit.next"))
    XCTAssertEqual(try read().records.map(\.seq), Array(1...8))
    try log(9, 1)  // the stale rewrite is removed
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".audit.next"))
    XCTAssertEqual(try read().records.map(\.seq), Array(1...9))

    // Crash after the vault commit, before the rename: the new log, found by readers
    // and put in place by the next writer.
    v = try open()
    try v.pruneAudit(keepingFrom: 5, checkpoint: [2])
    try v.commit(crashingAt: .beforeFinalRename)
    XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".audit.next"))
    XCTAssertEqual(try read().records.map(\.seq), Array(5...10))
    try log(11, 1)
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".audit.next"))
    XCTAssertEqual(try read().records.map(\.seq), Array(5...11))
    XCTAssertEqual(try bytes()[26], 4)
    // No temp files left behind.
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    XCTAssertEqual(names, ["v.mfa", "v.mfa.audit", "v.mfa.journal", "v.mfa.lock"].filter { names.contains($0) })
  }

  // MARK: Rekey

  func testRekeySealsTheLogAgainUnderTheNewKey() throws {
    try logOf(5)
    let old = try bytes()
    let v = try open()
    let k2 = try SecureBytes.random(count: 32)
    v.appendAudit(event(6))
    try v.rekey(keys: [.keyFile(k2)], limits: [:])
    try v.commit()
    key = k2
    let (records, uncommitted) = try read()
    XCTAssertEqual(records.map(\.plaintext), (1...6).map(event))
    XCTAssertEqual(uncommitted, 0)
    XCTAssertNotEqual(Array(try bytes().prefix(old.count)), old)
    try log(7, 1)
    XCTAssertEqual(try read().records.map(\.seq), Array(1...7))
  }
}
