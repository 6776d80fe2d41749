import Foundation
import Sodium
import XCTest

@testable import Vault

/// The version 2 journal of vault format 3 (docs/FORMAT.md, "Writing in place"): one
/// entry and one fsync per write in place, checkpoints, the check on every open, and
/// the version 1 journal of older vaults.
final class JournalEntriesTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  var key: SecureBytes!

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "journalentries-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
    try write(0, event: "created", insert: "user/a")
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func open(_ mode: VaultLock.Mode = .exclusive) throws -> VaultFile {
    try VaultFile(path: path, key: .keyFile(key), mode: mode, lockTimeout: 1)
  }

  func file(_ p: String) -> [UInt8] { Array(FileManager.default.contents(atPath: p) ?? Data()) }
  func put(_ p: String, _ b: [UInt8]) throws { try Data(b).write(to: URL(fileURLWithPath: p)) }
  var journal: String { Journal.path(path) }
  var log: String { AuditLog.path(path) }

  /// user/a set to 40 bytes of `n` (in place once it exists), with one event.
  func write(_ n: UInt8, event: String? = nil, insert: String? = nil) throws {
    let v = try open()
    v.put(insert ?? "user/a", [UInt8](repeating: n, count: 40))
    v.appendAudit(Array((event ?? "set \(n)").utf8))
    try v.commit()
  }

  func chain() throws -> Journal.Chain? {
    let v = try open(.shared)
    defer { v.close() }
    return Journal.readChain(file(journal), vaultID: v.header.vaultID, key: v.journalKey)
  }

  func state() throws -> (value: UInt8?, events: [String]) {
    let v = try open(.shared)
    defer { v.close() }
    return (
      try v.get("user/a")?.first,
      try v.auditRecords().records.map { String(decoding: $0.plaintext, as: UTF8.self) }
    )
  }

  func testEntriesAccumulateUntilACheckpointAt32() throws {
    for n in 1...UInt8(Journal.checkpointEntries) {
      try write(n)
      XCTAssertEqual(try chain()?.entries.count, Int(n))
    }
    XCTAssertEqual(Array(file(journal).prefix(8)), Array("MFAJRNL2".utf8))
    // The 33rd write checkpoints first: the journal starts again with its entry.
    try write(33)
    XCTAssertEqual(try chain()?.entries.count, 1)
    XCTAssertEqual(try state().value, 33)
    XCTAssertEqual(try state().events.count, 34)
  }

  func testALargeEntryCheckpointsTheNextWrite() throws {
    let v = try open()
    v.put("user/a", [UInt8](repeating: 5, count: 40))
    v.appendAudit([UInt8](repeating: 0x41, count: Journal.checkpointLength))  // one 64 KiB event
    try v.commit()
    XCTAssertEqual(try chain()?.entries.count, 1)
    XCTAssertGreaterThan(file(journal).count, Journal.checkpointLength)
    try write(6)
    XCTAssertEqual(try chain()?.entries.count, 1, "the full journal was checkpointed first")
    XCTAssertEqual(try state().value, 6)
  }

  func testAReaderFindingEveryEntryAppliedWritesNothing() throws {
    try write(1)
    try write(2)
    let before = [file(path), file(log), file(journal)]
    let stats = try FileManager.default.attributesOfItem(atPath: journal)[.modificationDate] as? Date
    for mode in [VaultLock.Mode.shared, .exclusive] {
      let v = try open(mode)
      XCTAssertEqual(v.journalTail?.entries, 2, "\(mode)")
      v.close()
    }
    XCTAssertEqual([file(path), file(log), file(journal)], before)
    XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: journal)[.modificationDate] as? Date, stats)
  }

  func testAWholeFileWriteEmptiesTheJournalAndAStaleCopyOfItIsDropped() throws {
    try write(1)
    try write(2)
    let stale = file(journal)
    try write(3, insert: "user/b")  // an insert: the whole file
    XCTAssertEqual(file(journal), [], "emptied after the rename")
    // The truncation lost (a power cut): the entries are not this vault's any more.
    try put(journal, stale)
    XCTAssertEqual(try state().value, 2, "user/a as entry 2 left it: the new file holds it")
    XCTAssertEqual(try state().events, ["created", "set 1", "set 2", "set 3"])
    XCTAssertEqual(file(journal), [], "the stale journal is dropped")
    let v = try open(.shared)
    XCTAssertNotNil(try v.get("user/b"))
  }

  func testEntriesMissingFromTheVaultAndLogAreWrittenBackInOrder() throws {
    // The files as the last checkpoint left them, then three writes in place whose lazy
    // writes are lost (a power cut): the journal alone holds them.
    try Journal.checkpoint(vaultPath: path)
    let (vault0, log0) = (file(path), file(log))
    for n in 1...3 { try write(UInt8(n)) }
    let entries = file(journal)
    try put(path, vault0)
    try put(log, log0)
    XCTAssertEqual(file(journal), entries)
    let s = try state()  // a reader recovers
    XCTAssertEqual(s.value, 3)
    XCTAssertEqual(s.events, ["created", "set 1", "set 2", "set 3"])
    XCTAssertEqual(file(journal), [], "replayed, synced and emptied")
    XCTAssertEqual(try open(.shared).auditRecords().uncommitted, 0)
  }

  /// The open's check (`appliedTail`, no MACs, entries read in place) finds any write
  /// missing: a patch of an earlier entry that no later one overwrote, or log bytes.
  func testTheOpensCheckFindsAnyMissingWrite() throws {
    try Journal.checkpoint(vaultPath: path)
    try write(1, insert: "user/b")  // whole file: user/b exists from here on
    try Journal.checkpoint(vaultPath: path)
    let (vault0, log0) = (file(path), file(log))
    let v = try open()
    v.put("user/b", [UInt8](repeating: 9, count: 40))  // entry 1 patches user/b
    try v.commit()
    try write(2)  // entry 2 patches user/a (and the same index page and root)
    try write(3)
    let (vault3, log3) = (file(path), file(log))
    let id = try open(.shared).header.vaultID
    func tail() -> Journal.Tail? {
      vault3.withUnsafeBytes { Journal.appliedTail(vaultPath: path, file: $0, vaultID: id) }
    }
    XCTAssertEqual(tail()?.entries, 3)
    // Entry 1's record patch lost (the region user/b's sealed record fills), the rest
    // written.
    let c = try XCTUnwrap(try chain())
    let region = try XCTUnwrap(c.entries[0].plan.regions.max { $0.bytes.count < $1.bytes.count })
    XCTAssertFalse(c.entries[1...].contains { $0.plan.regions.contains { $0.offset == region.offset } })
    var lost = vault3
    lost.replaceSubrange(
      region.offset..<(region.offset + region.bytes.count),
      with: vault0[region.offset..<(region.offset + region.bytes.count)])
    XCTAssertNotEqual(lost, vault3)
    XCTAssertNil(lost.withUnsafeBytes { Journal.appliedTail(vaultPath: path, file: $0, vaultID: id) })
    // The log cut back to the checkpoint, or missing its last write's mark.
    for l in [log0, Array(log3.dropLast(AuditLog.markLength))] {
      try put(log, l)
      XCTAssertNil(tail())
    }
    try put(log, log3)
    XCTAssertEqual(tail()?.entries, 3)
  }

  func testATornLastEntryIsCutAndTheEntriesBeforeItStand() throws {
    try Journal.checkpoint(vaultPath: path)
    let (vault0, log0) = (file(path), file(log))
    try write(1)
    try write(2)
    var j = file(journal)
    j.removeLast(10)  // entry 2 torn: never acknowledged
    try put(journal, j)
    try put(path, vault0)
    try put(log, log0)
    XCTAssertEqual(try state().value, 1)
    XCTAssertEqual(try state().events, ["created", "set 1"])
  }

  func testAnEntryFromAnotherChainIsNotApplied() throws {
    try Journal.checkpoint(vaultPath: path)
    let (vault0, log0) = (file(path), file(log))
    try write(1)
    try write(2)
    // Entry 2 moved in front of entry 1: the MAC chain breaks at the first entry.
    let bytes = file(journal)
    let e1End =
      Journal.fileHeaderLength + 4
      + Int(UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 24, as: UInt32.self) }))
    let swapped = Array(bytes[0..<Journal.fileHeaderLength]) + bytes[e1End...] + bytes[Journal.fileHeaderLength..<e1End]
    XCTAssertEqual(swapped.count, bytes.count)
    try put(journal, swapped)
    try put(path, vault0)
    try put(log, log0)
    XCTAssertEqual(try state().value, 0, "no authentic entry: the vault as it was")
    XCTAssertEqual(try state().events, ["created"])
  }

  func testAnEditedRecordInTheLogIsReportedNotWrittenOver() throws {
    try write(1)
    var b = file(log)
    b[b.count - 44 - 5] ^= 1  // inside the last record, which the journal holds too
    try put(log, b)
    XCTAssertThrowsError(try open(.shared).auditRecords()) {
      guard case .auditTampered(2, _)? = $0 as? VaultError else { return XCTFail("\($0)") }
    }
  }

  func testAVersion1JournalIsRecoveredAsBefore() throws {
    // What an mfactl of format 2 left when killed after its journal's fsync.
    let v = try open()
    v.put("user/a", [UInt8](repeating: 7, count: 40))
    let plan = try XCTUnwrap(try v.inPlacePlan())
    try put(journal, Journal.encode(plan, vaultID: v.header.vaultID, key: v.journalKey))
    v.close()
    XCTAssertEqual(try state().value, 7, "rolled forward")
    XCTAssertEqual(file(journal), [])
  }
}
