import Foundation
import Sodium
import XCTest

@testable import Vault

/// The format as data: fixed sample files in Tests/Fixtures (README.md there), made
/// once by scripts/make-fixtures.sh, and what each must decode to. A change to the
/// format (docs/FORMAT.md) shows up here as a fixture change. Where the format is
/// deterministic (headers, the index, record plaintexts, the audit header and commit
/// mark, the backup's plaintext part) the bytes are rebuilt and compared; where a
/// random nonce makes that impossible (sealed records), the layout and sizes are.
final class FormatFixtureTests: XCTestCase {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

  var dir: String!

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "fixtures-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  // MARK: What the fixtures decode to

  struct Inputs: Codable {
    var now: Int64
    var keyFileHex: String
    var passphrase: String
    var users: [User]
    var events: [String]
    struct User: Codable {
      var name: String
      var secretHex: String
    }
  }

  struct Slot: Codable, Equatable {
    var kind: String
    var opsLimit: UInt64?
    var memLimit: UInt64?
    var saltHex: String?
    var fingerprintHex: String?
  }

  struct Header: Codable, Equatable {
    var version: UInt16
    var vaultIDHex: String
    var createdAt: Int64
    var slots: [Slot]
  }

  struct Record: Codable, Equatable {
    var key: String
    var valueHex: String
  }

  struct AuditEvent: Codable, Equatable {
    var seq: UInt64
    var plaintextHex: String
  }

  struct AuditHead: Codable, Equatable {
    var seq: UInt64
    var tagHex: String
    var end: UInt64
    var anchorSeq: UInt64
  }

  /// A vault fixture: its header, every record, the committed audit events.
  struct VaultExpectation: Codable, Equatable {
    var fileLength: Int
    var header: Header
    var records: [Record]
    var auditHead: AuditHead?
    var audit: [AuditEvent]
  }

  /// A backup fixture: its plaintext part and what is inside.
  struct BackupExpectation: Codable, Equatable {
    var fileLength: Int
    var created: Int64
    var header: Header
    /// The vault and audit log inside are these fixture files, byte for byte (the audit
    /// file up to its committed end: without the commit mark).
    var vaultFile: String
    var vaultLength: Int
    var auditFile: String
    var auditLength: Int
  }

  static func fixture(_ name: String) -> String { fixtures + "/" + name }

  static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

  static func decodeJSON<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: fixture(name))))
  }

  static func json<T: Encodable>(_ value: T) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
  }

  var inputs: Inputs { get throws { try Self.decodeJSON(Inputs.self, "inputs.json") } }

  func keyFile() throws -> SecureBytes { try SecureBytes(copying: try XCTUnwrap(Self.unhex(try inputs.keyFileHex))) }

  static func unhex(_ s: String) -> [UInt8]? {
    let b = Array(s.utf8)
    guard b.count % 2 == 0 else { return nil }
    return stride(from: 0, to: b.count, by: 2).compactMap {
      UInt8(String(decoding: b[$0..<($0 + 2)], as: UTF8.self), radix: 16)
    }
  }

  /// A copy of fixture `vault` (and its audit log and journal) in the scratch
  /// directory: opening takes a lock file beside it, and nothing here may change the
  /// fixtures.
  func copyVault(_ vault: String, as name: String = "v.mfa") throws -> String {
    let path = dir + "/" + name
    try FileManager.default.copyItem(atPath: Self.fixture(vault), toPath: path)
    for suffix in [".audit", ".journal"] where FileManager.default.fileExists(atPath: Self.fixture(vault + suffix)) {
      try FileManager.default.copyItem(atPath: Self.fixture(vault + suffix), toPath: path + suffix)
    }
    return path
  }

  static func describe(_ h: VaultHeader) -> Header {
    Header(
      version: h.version, vaultIDHex: Sodium.hex(h.vaultID), createdAt: h.createdAt,
      slots: h.slots.map {
        $0.kind == .passphrase
          ? Slot(kind: $0.kind.name, opsLimit: $0.opsLimit, memLimit: $0.memLimit, saltHex: Sodium.hex($0.salt))
          : Slot(kind: $0.kind.name, fingerprintHex: Sodium.hex($0.fingerprint))
      })
  }

  /// What the vault at `path` decodes to with `key`, through the public API.
  static func describeVault(_ path: String, key: UnlockKey) throws -> VaultExpectation {
    let v = try VaultFile(path: path, key: key, mode: .shared, lockTimeout: 1)
    defer { v.close() }
    let records = try v.records(withPrefix: "").map { Record(key: $0.key, valueHex: Sodium.hex($0.value)) }
      .sorted { $0.key < $1.key }
    let head = try v.committedAuditHead().map {
      AuditHead(seq: $0.seq, tagHex: Sodium.hex($0.tag), end: $0.end, anchorSeq: $0.anchorSeq)
    }
    let audit = try v.auditRecords().records.map { AuditEvent(seq: $0.seq, plaintextHex: Sodium.hex($0.plaintext)) }
    return VaultExpectation(
      fileLength: try bytes(path).count, header: describe(v.header), records: records, auditHead: head, audit: audit)
  }

  static func describeBackup(_ path: String, key: UnlockKey, vaultFile: String, auditFile: String) throws
    -> BackupExpectation
  {
    let c = try Backup.verify(path: path, key: key)
    return BackupExpectation(
      fileLength: c.size, created: c.created, header: describe(c.header), vaultFile: vaultFile,
      vaultLength: c.vaultBytes.count, auditFile: auditFile, auditLength: c.auditBytes.count)
  }

  func assertDecodes(_ vault: String, expectation: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let path = try copyVault(vault)
    let actual = try Self.json(try Self.describeVault(path, key: .keyFile(try keyFile())))
    let expected = try String(contentsOfFile: Self.fixture(expectation), encoding: .utf8)
    XCTAssertEqual(actual, expected, "\(vault) no longer decodes to \(expectation)", file: file, line: line)
  }

  // MARK: Decoding

  func testVersion4VaultDecodesToItsExpectation() throws {
    try assertDecodes("vault-v4.mfa", expectation: "vault-v4.json")
  }

  func testVersion3VaultDecodesToItsExpectation() throws {
    try assertDecodes("vault-v3.mfa", expectation: "vault-v3.json")
  }

  func testVersion2VaultDecodesToItsExpectation() throws {
    try assertDecodes("vault-v2.mfa", expectation: "vault-v2.json")
  }

  func testVersion1VaultDecodesToItsExpectation() throws {
    try assertDecodes("vault-v1.mfa", expectation: "vault-v1.json")
  }

  func testBackupDecodesToItsExpectationAndHoldsTheVaultFixtures() throws {
    let expected = try Self.decodeJSON(BackupExpectation.self, "backup-v1.json")
    let c = try Backup.verify(path: Self.fixture("backup-v1.mfab"), key: .keyFile(try keyFile()), scratchBase: dir)
    XCTAssertEqual(
      try Self.describeBackup(
        Self.fixture("backup-v1.mfab"), key: .keyFile(try keyFile()), vaultFile: expected.vaultFile,
        auditFile: expected.auditFile), expected)
    XCTAssertEqual(c.vaultBytes, try Self.bytes(Self.fixture(expected.vaultFile)), "the vault inside, byte for byte")
    let audit = try Self.bytes(Self.fixture(expected.auditFile))
    XCTAssertEqual(c.auditBytes, Array(audit[0..<expected.auditLength]), "the committed log inside, byte for byte")
    XCTAssertEqual(
      audit.count, expected.auditLength + AuditLog.markLength, "the file beside the vault ends with a mark")
  }

  /// The decoded fixtures hold what scripts/make-fixtures.sh put in: the known secrets
  /// in the user records, the events in the log, and the passphrase opens the vault.
  func testFixturesHoldTheKnownInputs() throws {
    let inputs = try self.inputs
    for (name, version) in [("vault-v4", UInt16(4)), ("vault-v3", 3), ("vault-v2", 2)] {
      let v = try Self.decodeJSON(VaultExpectation.self, name + ".json")
      for u in inputs.users {
        XCTAssertTrue(v.records.contains { $0.valueHex.contains(u.secretHex) }, "\(name): \(u.name)'s secret")
        XCTAssertTrue(v.records.contains { $0.valueHex.contains(Sodium.hex(Array(u.name.utf8))) }, u.name)
      }
      for e in inputs.events {
        XCTAssertTrue(v.audit.contains { $0.plaintextHex.contains(Sodium.hex(Array(e.utf8))) }, "\(name): event \(e)")
      }
      XCTAssertEqual(v.header.createdAt, inputs.now)
      XCTAssertEqual(v.header.version, version)

      let path = try copyVault(name + ".mfa", as: name + ".mfa")
      let byPassphrase = try Self.describeVault(
        path, key: .passphrase(try SecureBytes(copying: Array(inputs.passphrase.utf8))))
      XCTAssertEqual(byPassphrase, v, "\(name): both slots unwrap the same data key")
    }
    XCTAssertEqual(VaultFormat.version, 4)
    XCTAssertEqual(try Self.decodeJSON(VaultExpectation.self, "vault-v1.json").header.version, 1)
  }

  // MARK: Rebuilding what is deterministic

  /// The header, the index (entries, page table, every MAC) and each record's plaintext
  /// rebuilt from what they hold are the bytes in the file; each sealed record is
  /// nonce || ciphertext || tag of that plaintext (docs/FORMAT.md, "Header", "Records").
  func testVaultBytesAreRebuiltExactly() throws {
    for name in ["vault-v4.mfa", "vault-v3.mfa", "vault-v2.mfa", "vault-v1.mfa"] {
      let file = try Self.bytes(Self.fixture(name))
      let (header, headerLength) = try file.withUnsafeBytes { try VaultHeader.decode($0) }
      XCTAssertEqual(VaultFile.headerWithChecksum(header), Array(file[0..<(headerLength + 32)]), "\(name) header")

      let dataKey = try SlotCrypto.unwrap(.keyFile(try keyFile()), header: header).0
      func subkey(_ id: Subkey) throws -> SecureBytes {
        try Sodium.deriveSubkey(from: dataKey, id: id.rawValue, context: VaultFormat.kdfContext)
      }
      let layout = try XCTUnwrap(IndexLayout(file, headerLength: headerLength))
      let prefix = IndexLayout.build(
        headerAndChecksum: Array(file[0..<(headerLength + 32)]),
        entries: Array(file[layout.entriesStart..<layout.pageTableStart]), key: try subkey(.indexMAC))
      XCTAssertEqual(prefix, Array(file[0..<layout.recordsStart]), "\(name) index")

      var offset = layout.recordsStart
      let recordKey = try subkey(.recordEncryption)
      for i in 0..<layout.count {
        let at = layout.entryAt(i)
        let id = Array(file[at..<(at + 16)])
        let length = file.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self)) }
        let sealed = Array(file[offset..<(offset + length)])
        XCTAssertEqual(Array(sealed.suffix(16)), Array(file[(at + 20)..<(at + 36)]), "\(name) record \(i): tag")
        let plain = try Sodium.open(sealed, additionalData: header.vaultID + id, key: recordKey)
        XCTAssertEqual(plain.count % VaultFile.recordPadding, 0)
        XCTAssertEqual(length, Sodium.aeadNonceLength + plain.count + Sodium.aeadTagLength)
        let key = String(decoding: plain[2..<(2 + (Int(plain[0]) | Int(plain[1]) << 8))], as: UTF8.self)
        let valueAt = 6 + key.utf8.count
        let valueLength = plain[(valueAt - 4)..<valueAt].reversed().reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(
          VaultFile.recordPlaintext(key: key, value: Array(plain[valueAt..<(valueAt + valueLength)])), plain,
          "\(name) record \(key)")
        let lookup = Sodium.blake2b(Array(key.utf8), key: try subkey(.recordLookup), length: 16)
        XCTAssertEqual(lookup, id, "\(name) record \(key): lookup id")
        offset += length
      }
      XCTAssertEqual(offset, file.count, "\(name): the records end the file")
    }
  }

  /// The audit log: its header rebuilt, each record's length, sequence number and
  /// chain (docs/FORMAT.md, "Audit log"), and the commit mark after the head rebuilt.
  func testAuditLogBytesAreRebuiltExactly() throws {
    for name in ["vault-v4", "vault-v3", "vault-v2"] { try assertAuditLogRebuilt(name) }
  }

  func assertAuditLogRebuilt(_ name: String) throws {
    let vault = try Self.bytes(Self.fixture(name + ".mfa"))
    let (header, _) = try vault.withUnsafeBytes { try VaultHeader.decode($0) }
    let expected = try Self.decodeJSON(VaultExpectation.self, name + ".json")
    let head = try XCTUnwrap(expected.auditHead)
    let log = try Self.bytes(Self.fixture(name + ".mfa.audit"))
    XCTAssertEqual(
      Array(log[0..<AuditLog.headerLength]),
      AuditLog.header(vaultID: header.vaultID, anchorSeq: 0, anchorTag: AuditLog.zeroTag))
    let dataKey = try SlotCrypto.unwrap(.keyFile(try keyFile()), header: header).0
    let key = try Sodium.deriveSubkey(from: dataKey, id: Subkey.audit.rawValue, context: VaultFormat.kdfContext)
    var at = AuditLog.headerLength
    var prevTag = AuditLog.zeroTag
    for event in expected.audit {
      let length = log.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
      let seq = log.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at + 4, as: UInt64.self) }
      XCTAssertEqual(seq, event.seq)
      let sealed = Array(log[(at + AuditLog.recordPrefixLength)..<(at + AuditLog.recordPrefixLength + length)])
      XCTAssertEqual(length, Sodium.aeadNonceLength + event.plaintextHex.count / 2 + Sodium.aeadTagLength)
      let plain = try Sodium.open(
        sealed, additionalData: AuditLog.associatedData(vaultID: header.vaultID, seq: seq, prevTag: prevTag), key: key)
      XCTAssertEqual(Sodium.hex(plain), event.plaintextHex)
      prevTag = Array(sealed.suffix(16))
      at += AuditLog.recordPrefixLength + length
    }
    XCTAssertEqual(UInt64(at), head.end)
    XCTAssertEqual(Sodium.hex(prevTag), head.tagHex)
    XCTAssertEqual(
      Array(log[at...]), AuditLog.mark(seq: head.seq, tag: prevTag, vaultID: header.vaultID, key: key),
      "the commit mark ends the file")
  }

  /// The backup's plaintext part rebuilt from the vault's header, and the sealed
  /// payload's length and layout (docs/FORMAT.md, "Backups").
  func testBackupBytesAreRebuiltExactly() throws {
    let backup = try Self.bytes(Self.fixture("backup-v1.mfab"))
    let expected = try Self.decodeJSON(BackupExpectation.self, "backup-v1.json")
    let vault = try Self.bytes(Self.fixture(expected.vaultFile))
    let (header, headerLength) = try vault.withUnsafeBytes { try VaultHeader.decode($0) }
    var w = ByteWriter(capacity: 64)
    w.raw(Backup.magic)
    w.u16(Backup.version)
    w.i64(expected.created)
    w.u32(UInt32(headerLength))
    w.raw(Array(vault[0..<(headerLength + 32)]))
    let ad = w.bytes
    XCTAssertEqual(Array(backup[0..<ad.count]), ad)
    let dataKey = try SlotCrypto.unwrap(.keyFile(try keyFile()), header: header).0
    let key = try Sodium.deriveSubkey(from: dataKey, id: Subkey.backup.rawValue, context: VaultFormat.kdfContext)
    let payload = try Sodium.open(Array(backup[ad.count...]), additionalData: ad, key: key)
    var p = ByteWriter(capacity: payload.count)
    p.u64(UInt64(expected.vaultLength))
    p.raw(vault)
    p.u64(UInt64(expected.auditLength))
    p.raw(Array(try Self.bytes(Self.fixture(expected.auditFile))[0..<expected.auditLength]))
    XCTAssertEqual(payload, p.bytes)
    XCTAssertEqual(backup.count, ad.count + Sodium.aeadNonceLength + payload.count + Sodium.aeadTagLength)
  }

  /// The version 2 journal (docs/FORMAT.md, "Writing in place"): its header, each
  /// entry encoded again from what it holds is the bytes in the file, the MACs chain,
  /// the index MACs chain from entry to entry and end at the vault's, each entry's log
  /// bytes are the records of one commit and the mark of its head, and the vault and
  /// the log hold every entry (the fixture was taken after the writes were applied).
  func testJournalBytesAreRebuiltExactly() throws {
    for name in ["vault-v4", "vault-v3"] { try assertJournalRebuilt(name) }
  }

  func assertJournalRebuilt(_ name: String) throws {
    let vault = try Self.bytes(Self.fixture(name + ".mfa"))
    let (header, headerLength) = try vault.withUnsafeBytes { try VaultHeader.decode($0) }
    let dataKey = try SlotCrypto.unwrap(.keyFile(try keyFile()), header: header).0
    func subkey(_ id: Subkey) throws -> SecureBytes {
      try Sodium.deriveSubkey(from: dataKey, id: id.rawValue, context: VaultFormat.kdfContext)
    }
    let journal = try Self.bytes(Self.fixture(name + ".mfa.journal"))
    XCTAssertEqual(Array(journal[0..<Journal.fileHeaderLength]), Array("MFAJRNL2".utf8) + header.vaultID)
    let chain = try XCTUnwrap(Journal.readChain(journal, vaultID: header.vaultID, key: try subkey(.journal)))
    XCTAssertEqual(chain.entries.count, 3, "the three verifies")
    XCTAssertEqual(chain.end, journal.count, "every entry authentic")
    var rebuilt = Array(journal[0..<Journal.fileHeaderLength])
    var mac = Journal.zeroMAC
    for e in chain.entries {
      let bytes = Journal.encode(e, previousMAC: mac, key: try subkey(.journal))
      rebuilt += bytes
      mac = Array(bytes.suffix(32))
    }
    XCTAssertEqual(rebuilt, journal)
    for (a, b) in zip(chain.entries, chain.entries.dropFirst()) { XCTAssertEqual(a.plan.newMAC, b.plan.oldMAC) }
    let layout = try XCTUnwrap(IndexLayout(vault, headerLength: headerLength))
    XCTAssertEqual(chain.entries.last?.plan.newMAC, Array(vault[layout.rootAt..<layout.recordsStart]))

    let log = try Self.bytes(Self.fixture(name + ".mfa.audit"))
    let audit = try subkey(.audit)
    for e in chain.entries {
      let w = try XCTUnwrap(e.log, "every verify logs an event")
      // One record (length, seq, sealed) and the mark naming it, at the head's end.
      let length = w.bytes.withUnsafeBytes { Int($0.loadUnaligned(as: UInt32.self)) }
      XCTAssertEqual(w.bytes.count, AuditLog.recordPrefixLength + length + AuditLog.markLength)
      let seq = w.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt64.self) }
      let tag = Array(w.bytes[(AuditLog.recordPrefixLength + length - 16)..<(AuditLog.recordPrefixLength + length)])
      XCTAssertEqual(
        Array(w.bytes.suffix(AuditLog.markLength)),
        AuditLog.mark(seq: seq, tag: tag, vaultID: header.vaultID, key: audit))
      XCTAssertEqual(w.previousLength, w.offset + AuditLog.markLength, "the previous commit's mark followed its end")
    }
    let path = try copyVault(name + ".mfa", as: name + ".mfa")
    let target = try XCTUnwrap(Journal.Target(chain.entries))
    XCTAssertTrue(vault.withUnsafeBytes { target.isApplied($0, vaultPath: path) })
    let tail = vault.withUnsafeBytes { Journal.appliedTail(vaultPath: path, file: $0, vaultID: header.vaultID) }
    XCTAssertEqual(tail?.entries, 3, "the open's check finds them applied")
    XCTAssertEqual(tail?.lastMAC, chain.lastMAC)
    XCTAssertEqual(target.log.map { $0.offset + $0.bytes.count }, log.count)
  }

  /// The first write to a version 1, 2 or 3 vault upgrades it to the version this build
  /// writes (the whole file) and keeps every record and event (docs/FORMAT.md,
  /// "Version history").
  func testVersion1To3FixturesUpgradeOnTheirFirstWrite() throws {
    for name in ["vault-v1.mfa", "vault-v2.mfa", "vault-v3.mfa"] {
      let path = try copyVault(name, as: name)
      let key = UnlockKey.keyFile(try keyFile())
      let before = try Self.describeVault(path, key: key)
      let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
      let v = try VaultFile(path: path, key: key, mode: .exclusive, lockTimeout: 1)
      v.appendAudit([1])  // a change that would go in place in a version 4 vault
      try v.commit()
      XCTAssertNotEqual(
        try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int, inode,
        "\(name): the whole file is written")
      let after = try Self.describeVault(path, key: key)
      XCTAssertEqual(after.header.version, VaultFormat.version)
      XCTAssertEqual(after.records.filter { $0.key != "audit/head" }, before.records.filter { $0.key != "audit/head" })
      XCTAssertEqual(Array(after.audit.dropLast()), before.audit)
      // Versions 1 and 2 had no journal; version 3's is emptied by the whole-file write.
      let journal = (try? FileManager.default.attributesOfItem(atPath: path + ".journal")[.size] as? Int) ?? 0
      XCTAssertEqual(journal, 0, "\(name): no journal entry")
    }
  }

  // MARK: Writing the fixtures (scripts/make-fixtures.sh)

  /// Writes the version 1 vault and the expectations from the files the script made.
  /// Only with MFACTL_WRITE_FIXTURES=1 (the script sets it).
  func testWriteFixtures() throws {
    guard ProcessInfo.processInfo.environment["MFACTL_WRITE_FIXTURES"] == "1" else {
      throw XCTSkip("writes Tests/Fixtures; run scripts/make-fixtures.sh")
    }
    let key = UnlockKey.keyFile(try keyFile())
    // Version 1: the same index and records under a header saying version 1, the
    // index MACs recomputed for it (only a writer with the data key can).
    let v2 = try Self.bytes(Self.fixture("vault-v2.mfa"))
    var (header, headerLength) = try v2.withUnsafeBytes { try VaultHeader.decode($0) }
    let dataKey = try SlotCrypto.unwrap(key, header: header).0
    header.version = 1
    let layout = try XCTUnwrap(IndexLayout(v2, headerLength: headerLength))
    let indexKey = try Sodium.deriveSubkey(from: dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let prefix = IndexLayout.build(
      headerAndChecksum: VaultFile.headerWithChecksum(header),
      entries: Array(v2[layout.entriesStart..<layout.pageTableStart]), key: indexKey)
    try Data(prefix + v2[layout.recordsStart...]).write(to: URL(fileURLWithPath: Self.fixture("vault-v1.mfa")))
    try Data(try Self.bytes(Self.fixture("vault-v2.mfa.audit")))
      .write(to: URL(fileURLWithPath: Self.fixture("vault-v1.mfa.audit")))

    for name in ["vault-v4", "vault-v3", "vault-v2", "vault-v1"] {
      let path = try copyVault(name + ".mfa", as: name + ".mfa")
      try Self.json(try Self.describeVault(path, key: key))
        .write(toFile: Self.fixture(name + ".json"), atomically: true, encoding: .utf8)
    }
    try Self.json(
      try Self.describeBackup(
        Self.fixture("backup-v1.mfab"), key: key, vaultFile: "vault-v2.mfa", auditFile: "vault-v2.mfa.audit")
    ).write(toFile: Self.fixture("backup-v1.json"), atomically: true, encoding: .utf8)
  }
}
