import Foundation
import Sodium
import XCTest

@testable import Vault

/// The keys of stored keyed hashes (recovery codes, tokens, challenges) across rekeys,
/// and the upgrade of format 1 vaults (docs/FORMAT.md, "Hashing keys", "Version
/// history").
final class HashingKeysTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  var key: SecureBytes!

  static let kept: [Subkey] = [.recoveryCodes, .tokens, .challenges]
  static let derivedOnly: [Subkey] = [.recordEncryption, .recordLookup, .indexMAC, .journal, .audit, .backup]

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "hashingkeys-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func open(_ mode: VaultLock.Mode = .exclusive, key k: SecureBytes? = nil) throws -> VaultFile {
    try VaultFile(path: path, key: .keyFile(k ?? key), mode: mode, lockTimeout: 0.5)
  }

  func fileBytes(_ p: String? = nil) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: p ?? path))) }

  func headerVersion() throws -> UInt16 { try VaultFile.readHeader(path: path, lockTimeout: 1).0.version }

  /// The data key the vault's key-file slot wraps now.
  func dataKey(key k: SecureBytes? = nil) throws -> SecureBytes {
    let bytes = try fileBytes()
    let (header, _) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    return try SlotCrypto.unwrap(.keyFile(k ?? key), header: header).0
  }

  func derive(_ id: Subkey, from dataKey: SecureBytes) throws -> [UInt8] {
    try Sodium.deriveSubkey(from: dataKey, id: id.rawValue, context: VaultFormat.kdfContext).copyBytes()
  }

  func subkeys(_ ids: [Subkey], of v: VaultFile) throws -> [[UInt8]] { try ids.map { try v.subkey($0).copyBytes() } }

  /// A few users and audit events, committed over several writes.
  func populate() throws {
    for i in 0..<3 {
      let v = try open()
      v.put("user/u\(i)", Array("record \(i)".utf8))
      v.appendAudit(Array("event \(i)".utf8))
      try v.commit()
    }
  }

  /// Rewrites the vault as format 1 wrote it: the same index and records under a header
  /// saying version 1 (the root and page MACs recomputed for it, as only a writer with
  /// the data key can).
  func downgradeToVersion1() throws {
    let bytes = try fileBytes()
    var (header, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    header.version = 1
    let layout = try XCTUnwrap(IndexLayout(bytes, headerLength: headerLength))
    let indexKey = try Sodium.deriveSubkey(
      from: try dataKey(), id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let prefix = IndexLayout.build(
      headerAndChecksum: VaultFile.headerWithChecksum(header),
      entries: Array(bytes[layout.entriesStart..<layout.pageTableStart]), key: indexKey)
    try Data(prefix + bytes[layout.recordsStart...]).write(to: URL(fileURLWithPath: path))
    XCTAssertEqual(try headerVersion(), 1)
  }

  func auditPlaintexts(_ v: VaultFile) throws -> [String] {
    try v.auditRecords().records.map { String(decoding: $0.plaintext, as: UTF8.self) }
  }

  // MARK: Rekeys

  func testHashingKeysSurviveRekeysWhileEveryOtherSubkeyChanges() throws {
    try populate()
    let dk0 = try dataKey()
    var v = try open()
    XCTAssertNil(try v.get(HashingKeys.recordKey), "a vault never rekeyed has no hashing keys record")
    let original = try subkeys(Self.kept, of: v)
    XCTAssertEqual(original, try Self.kept.map { try derive($0, from: dk0) }, "before a rekey: subkeys of the data key")
    try v.rekey(keys: [.keyFile(key)], limits: [:])
    try v.commit()

    let dk1 = try dataKey()
    XCTAssertNotEqual(dk1.copyBytes(), dk0.copyBytes(), "rekey makes a new data key")
    v = try open()
    XCTAssertEqual(try subkeys(Self.kept, of: v), original, "the keys of stored hashes are kept")
    XCTAssertEqual(try subkeys(Self.derivedOnly, of: v), try Self.derivedOnly.map { try derive($0, from: dk1) })
    for id in Self.derivedOnly { XCTAssertNotEqual(try v.subkey(id).copyBytes(), try derive(id, from: dk0), "\(id)") }
    // The record, byte for byte (docs/FORMAT.md, "Hashing keys").
    XCTAssertEqual(try v.get(HashingKeys.recordKey), [1] + original.joined())
    XCTAssertEqual(try v.get("user/u1"), Array("record 1".utf8))
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2"])
    let records = v.recordCount
    v.close()

    // Again, to another key file: still the same keys, and no second record.
    let key2 = try SecureBytes.random(count: 32)
    v = try open()
    try v.rekey(keys: [.keyFile(key2)], limits: [:])
    try v.commit()
    XCTAssertThrowsError(try open(key: key)) { XCTAssertEqual($0 as? VaultError, .unlockFailed) }
    key = key2
    v = try open(.shared)
    XCTAssertEqual(try subkeys(Self.kept, of: v), original)
    XCTAssertEqual(v.recordCount, records)
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2"])
  }

  /// After a rekey, the old data key authenticates and decrypts nothing in the vault
  /// file or the audit log (the hashing keys it derived are the only thing it shares
  /// with the new vault, and they are useless without the hashes, sealed under the new key).
  func testTheOldDataKeyOpensNothingAfterARekey() throws {
    try populate()
    let dk0 = try dataKey()
    let v = try open()
    try v.rekey(keys: [.keyFile(key)], limits: [:])
    try v.commit()

    let bytes = try fileBytes()
    let (header, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    let layout = try XCTUnwrap(IndexLayout(bytes, headerLength: headerLength))
    let oldIndexKey = try Sodium.deriveSubkey(from: dk0, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let newIndexKey = try Sodium.deriveSubkey(
      from: try dataKey(), id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    bytes.withUnsafeBytes {
      XCTAssertFalse(layout.rootAuthenticates(key: oldIndexKey, bytes: $0))
      XCTAssertTrue(layout.rootAuthenticates(key: newIndexKey, bytes: $0))
    }
    // No record opens under the old K_record, and no id is an old K_lookup id.
    let oldRecordKey = try Sodium.deriveSubkey(
      from: dk0, id: Subkey.recordEncryption.rawValue, context: VaultFormat.kdfContext)
    let oldLookupKey = try Sodium.deriveSubkey(
      from: dk0, id: Subkey.recordLookup.rawValue, context: VaultFormat.kdfContext)
    let oldIDs = ["user/u0", "user/u1", "user/u2", "audit/head"].map {
      Sodium.blake2b(Array($0.utf8), key: oldLookupKey, length: 16)
    }
    var offset = layout.recordsStart
    XCTAssertEqual(layout.count, 5)
    for i in 0..<layout.count {
      let e = layout.entryAt(i)
      let id = Array(bytes[e..<(e + 16)])
      let length = Int(bytes[e + 16]) | Int(bytes[e + 17]) << 8 | Int(bytes[e + 18]) << 16 | Int(bytes[e + 19]) << 24
      XCTAssertFalse(oldIDs.contains(id))
      XCTAssertThrowsError(
        try Sodium.open(
          Array(bytes[offset..<(offset + length)]), additionalData: header.vaultID + id, key: oldRecordKey))
      offset += length
    }
    XCTAssertEqual(offset, bytes.count)
    // The audit log was sealed again: it verifies under the new K_audit only.
    let log = try fileBytes(path + ".audit")
    let w = try open(.shared)
    let head = try XCTUnwrap(try w.committedAuditHead())
    XCTAssertEqual(try auditPlaintexts(w).count, 3)
    w.close()
    let oldAuditKey = try Sodium.deriveSubkey(from: dk0, id: Subkey.audit.rawValue, context: VaultFormat.kdfContext)
    XCTAssertThrowsError(
      try log.withUnsafeBytes {
        try AuditLog.verify($0, head: head, vaultID: header.vaultID, key: oldAuditKey) { _, _, _, p in Sodium.wipe(&p) }
      })
  }

  // MARK: Format 1

  func testAVersion1VaultIsReadAsItIsAndUpgradedByItsNextWrite() throws {
    try populate()
    try downgradeToVersion1()
    let dk = try dataKey()
    let v1 = try fileBytes()

    // Reading, and a write that changes nothing, leave the file as it is.
    var v = try open(.shared)
    XCTAssertEqual(v.header.version, 1)
    XCTAssertEqual(try v.get("user/u2"), Array("record 2".utf8))
    XCTAssertEqual(try subkeys(Self.kept, of: v), try Self.kept.map { try derive($0, from: dk) })
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2"])
    v.close()
    v = try open()
    try v.commit()
    v.close()
    XCTAssertEqual(try fileBytes(), v1)

    // The next write upgrades it: version 2, same data key, same hashing keys.
    v = try open()
    v.put("user/u0", Array("record 0".utf8))
    v.appendAudit(Array("event 3".utf8))
    try v.commit()
    XCTAssertEqual(try headerVersion(), VaultFormat.version)
    XCTAssertEqual(try dataKey().copyBytes(), dk.copyBytes())
    v = try open()
    XCTAssertEqual(v.header.version, VaultFormat.version)
    XCTAssertNil(try v.get(HashingKeys.recordKey))
    XCTAssertEqual(try subkeys(Self.kept, of: v), try Self.kept.map { try derive($0, from: dk) })
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2", "event 3"])
    // Later writes of the same size go in place again (the header no longer changes).
    let size = try fileBytes().count
    v.put("user/u1", Array("record 9".utf8))
    try v.commit()
    XCTAssertEqual(try fileBytes().count, size)
    v = try open(.shared)
    XCTAssertEqual(try v.get("user/u1"), Array("record 9".utf8))
  }

  func testRekeyOfAVersion1VaultStoresTheSubkeysOfItsOldDataKey() throws {
    try populate()
    try downgradeToVersion1()
    let dk0 = try dataKey()
    var v = try open()
    try v.rekey(keys: [.keyFile(key)], limits: [:])
    try v.commit()
    XCTAssertEqual(try headerVersion(), VaultFormat.version)
    v = try open(.shared)
    let expected = try Self.kept.map { try derive($0, from: dk0) }
    XCTAssertEqual(try v.get(HashingKeys.recordKey), [1] + expected.joined())
    XCTAssertEqual(try subkeys(Self.kept, of: v), expected)
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2"])
  }

  /// A rekey stopped where a crash would stop it leaves the old vault (the vault commit
  /// never happened) or the new one (the rewritten log not yet renamed): either way the
  /// keys of stored hashes are the same, and the vault and log read.
  func testAnInterruptedRekeyKeepsTheHashingKeys() throws {
    try populate()
    try downgradeToVersion1()
    let dk0 = try dataKey()
    let expected = try Self.kept.map { try derive($0, from: dk0) }
    let before = try fileBytes()

    var v = try open()
    try v.rekey(keys: [.keyFile(key)], limits: [:])
    try v.commit(crashingAt: .afterAuditWrite)
    XCTAssertEqual(try fileBytes(), before, "the old vault, untouched")
    v = try open(.shared)
    XCTAssertEqual(v.header.version, 1)
    XCTAssertNil(try v.get(HashingKeys.recordKey))
    XCTAssertEqual(try subkeys(Self.kept, of: v), expected)
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2"])
    v.close()

    v = try open()
    try v.rekey(keys: [.keyFile(key)], limits: [:])
    try v.commit(crashingAt: .beforeFinalRename)
    XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".audit.next"))
    v = try open(.shared)
    XCTAssertEqual(v.header.version, VaultFormat.version)
    XCTAssertEqual(try subkeys(Self.kept, of: v), expected)
    XCTAssertEqual(try auditPlaintexts(v), ["event 0", "event 1", "event 2"])
    v.close()
    // The next writer settles the log; the keys stay.
    v = try open()
    v.appendAudit(Array("event 3".utf8))
    try v.commit()
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".audit.next"))
    v = try open(.shared)
    XCTAssertEqual(try subkeys(Self.kept, of: v), expected)
    XCTAssertEqual(try auditPlaintexts(v).count, 4)
  }

  // MARK: The record

  /// A damaged `keys/hashing` value is a corrupt vault (65), never a silent fallback to
  /// derived keys (which would reject every token, or accept tokens hashed otherwise);
  /// a rekey refuses it too, and changes nothing.
  func testABadHashingKeysRecordIsCorrupt() throws {
    for bad: [UInt8] in [[1] + [UInt8](repeating: 7, count: 95), [2] + [UInt8](repeating: 7, count: 96), []] {
      let v = try open()
      v.put(HashingKeys.recordKey, bad)
      try v.commit()
      let r = try open()
      for id in Self.kept {
        XCTAssertThrowsError(try r.subkey(id)) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65, "\($0)") }
      }
      XCTAssertNoThrow(try r.subkey(.audit))
      let before = try fileBytes()
      XCTAssertThrowsError(try r.rekey(keys: [.keyFile(key)], limits: [:])) {
        XCTAssertEqual(($0 as? VaultError)?.exitCode, 65)
      }
      r.close()
      XCTAssertEqual(try fileBytes(), before)
    }
  }

  func testTheRecordCodecIsStrict() throws {
    let keys = try HashingKeys(keys: (0..<3).map { _ in try SecureBytes.random(count: 32) })
    let encoded = keys.encode()
    XCTAssertEqual(encoded.count, 97)
    XCTAssertEqual(encoded[0], 1)
    let back = try HashingKeys.decode(encoded)
    for id in Self.kept { XCTAssertEqual(try back.key(id).copyBytes(), try keys.key(id).copyBytes()) }
    XCTAssertEqual(try keys.key(.tokens).copyBytes(), Array(encoded[33..<65]))
    XCTAssertThrowsError(try HashingKeys.decode(encoded + [0]))
    XCTAssertThrowsError(try HashingKeys.decode(Array(encoded.dropLast())))
    XCTAssertThrowsError(try HashingKeys.decode([0] + encoded.dropFirst()))
  }
}
