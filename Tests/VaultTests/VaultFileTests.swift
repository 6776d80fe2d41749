import Foundation
import Sodium
import XCTest

@testable import Vault

final class VaultFileTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }

  override func setUp() {
    dir = NSTemporaryDirectory() + "vaulttests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func keyFile() throws -> SecureBytes { try SecureBytes.random(count: 32) }
  func pass(_ s: String) throws -> SecureBytes { try SecureBytes(copying: Array(s.utf8)) }

  func makeVault(_ keys: [UnlockKey]) throws {
    try VaultFile.create(path: path, keys: keys, limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
  }

  func open(_ key: UnlockKey, _ mode: VaultLock.Mode = .exclusive) throws -> VaultFile {
    try VaultFile(path: path, key: key, mode: mode, lockTimeout: 0.2)
  }

  func testCreateIsPrivateAndRefusesToOverwrite() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let attrs = try FileManager.default.attributesOfItem(atPath: path)
    XCTAssertEqual((attrs[.posixPermissions] as! NSNumber).intValue, 0o600)
    XCTAssertThrowsError(try makeVault([.keyFile(k)])) { XCTAssertEqual($0 as? VaultError, .alreadyExists(path)) }
    // No temp files left behind.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["v.mfa", "v.mfa.lock"])
  }

  func testRoundTripAcrossCommits() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    do {
      let v = try open(.keyFile(k))
      XCTAssertNil(try v.get("user/alice"))
      v.put("user/alice", [1, 2, 3])
      v.put("user/bob", Array(repeating: 9, count: 1000))
      v.put("meta", [])
      XCTAssertEqual(try v.get("user/alice"), [1, 2, 3])
      try v.commit()
    }
    do {
      let v = try open(.keyFile(k))
      XCTAssertEqual(v.recordCount, 3)
      XCTAssertEqual(try v.get("user/alice"), [1, 2, 3])
      XCTAssertEqual(try v.get("user/bob"), Array(repeating: 9, count: 1000))
      XCTAssertEqual(try v.get("meta"), [])
      XCTAssertEqual(Set(try v.records(withPrefix: "user/").map(\.key)), ["user/alice", "user/bob"])
      v.put("user/alice", [4])
      v.remove("user/bob")
      try v.commit()
    }
    let v = try open(.keyFile(k), .shared)
    XCTAssertEqual(try v.get("user/alice"), [4])
    XCTAssertNil(try v.get("user/bob"))
    XCTAssertEqual(v.recordCount, 2)
  }

  func testManyRecordsKeepOrderAndContent() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    var v = try open(.keyFile(k))
    for i in 0..<500 { v.put("user/u\(i)", Array("value \(i)".utf8)) }
    try v.commit()
    v = try open(.keyFile(k))
    for i in stride(from: 0, to: 500, by: 7) { v.put("user/u\(i)", Array("changed \(i)".utf8)) }
    v.remove("user/u3")
    try v.commit()
    v = try open(.keyFile(k))
    XCTAssertEqual(v.recordCount, 499)
    for i in 0..<500 {
      let expect: String? = i == 3 ? nil : (i % 7 == 0 ? "changed \(i)" : "value \(i)")
      XCTAssertEqual(try v.get("user/u\(i)").map { String(decoding: $0, as: UTF8.self) }, expect)
    }
  }

  func testWrongKeysFailWith77AndLeaveTheVaultAlone() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k), .passphrase(try pass("correct horse"))])
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try open(.keyFile(try keyFile()))) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 77) }
    XCTAssertThrowsError(try open(.passphrase(try pass("wrong")))) { XCTAssertEqual($0 as? VaultError, .unlockFailed) }
    XCTAssertNoThrow(try open(.passphrase(try pass("correct horse"))))
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
  }

  func testMissingVaultIs66() throws {
    XCTAssertThrowsError(try open(.keyFile(try keyFile()))) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 66) }
  }

  /// Every single flipped byte of a small vault is reported as corruption (65) by an
  /// open followed by a read of its record, never as a wrong key and never accepted.
  func testEveryFlippedByteIsDetected() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let v = try open(.keyFile(k))
    v.put("user/alice", Array("secret state".utf8))
    try v.commit()
    v.close()
    let original = try Data(contentsOf: URL(fileURLWithPath: path))
    for i in 0..<original.count {
      var bad = original
      bad[i] ^= 0x01
      try bad.write(to: URL(fileURLWithPath: path))
      do {
        let v = try open(.keyFile(k), .shared)
        _ = try v.get("user/alice")
        XCTFail("flip at byte \(i) of \(original.count) went unnoticed")
      } catch let e as VaultError {
        XCTAssertEqual(e.exitCode, 65, "flip at \(i): \(e)")
      }
    }
  }

  func testTruncationAndExtensionAreDetected() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let v = try open(.keyFile(k))
    v.put("user/alice", Array("x".utf8))
    try v.commit()
    v.close()
    let original = try Data(contentsOf: URL(fileURLWithPath: path))
    for n in [0, 5, 8, 40, original.count - 1] {
      try original.prefix(n).write(to: URL(fileURLWithPath: path))
      XCTAssertThrowsError(try open(.keyFile(k))) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65, "length \(n)") }
    }
    try (original + Data([0])).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try open(.keyFile(k))) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
  }

  func testNewerVersionIsRefusedByName() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[8] = 5  // version u16 LE at offset 8; this build writes 4
    try bytes.write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try open(.keyFile(k))) {
      XCTAssertEqual($0 as? VaultError, .unsupportedVersion(5))
      XCTAssertTrue("\($0)".contains("version 5"))
    }
  }

  func testRecordFromAnotherVaultOrOlderStateIsRejected() throws {
    // Rolling back one record to an older sealed copy is detected (the index binds tags).
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    var v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 1, count: 50))
    try v.commit()
    let old = try Data(contentsOf: URL(fileURLWithPath: path))
    v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 2, count: 50))
    try v.commit()
    // The journal entry of that write would put the record back at the next open.
    try Journal.checkpoint(vaultPath: path)
    var new = try Data(contentsOf: URL(fileURLWithPath: path))
    // Same sizes: splice the old record bytes into the new file.
    XCTAssertEqual(old.count, new.count)
    let recLen = 24 + 2 + 6 + 50 + 16
    new.replaceSubrange((new.count - recLen)..<new.count, with: old.suffix(recLen))
    try new.write(to: URL(fileURLWithPath: path))
    v = try open(.keyFile(k))
    XCTAssertThrowsError(try v.get("user/a")) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
  }

  func testKeySlotManagement() throws {
    let k1 = try keyFile()
    try makeVault([.passphrase(try pass("one"))])
    var v = try open(.passphrase(try pass("one")))
    v.put("user/a", [7])
    try v.addSlot(.keyFile(k1), limits: .minimum)
    XCTAssertThrowsError(try v.addSlot(.keyFile(k1), limits: .minimum))
    try v.commit()
    v = try open(.keyFile(k1))
    try v.setPassphrase(try pass("two"), limits: .minimum)
    try v.commit()
    XCTAssertThrowsError(try open(.passphrase(try pass("one"))))
    v = try open(.passphrase(try pass("two")))
    XCTAssertEqual(try v.get("user/a"), [7])
    try v.removeKeyFileSlot(nil)
    try v.commit()
    XCTAssertThrowsError(try open(.keyFile(k1))) { XCTAssertEqual($0 as? VaultError, .unlockFailed) }
    // The last slot cannot go.
    v = try open(.passphrase(try pass("two")))
    XCTAssertThrowsError(try v.removeKeyFileSlot(nil))
    try v.addSlot(.keyFile(k1), limits: .minimum)
    try v.commit()
    v = try open(.keyFile(k1))
    XCTAssertEqual(v.header.slots.count, 2)
  }

  func testRekeyReencryptsEverything() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    var v = try open(.keyFile(k))
    for i in 0..<20 { v.put("user/u\(i)", [UInt8(i)]) }
    try v.commit()
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    v = try open(.keyFile(k))
    try v.rekey(keys: [.keyFile(k)], limits: [:])
    try v.commit()
    let after = try Data(contentsOf: URL(fileURLWithPath: path))
    // The same records, plus `keys/hashing` (an index entry and a record of 128 bytes
    // of plaintext, sealed: docs/FORMAT.md, "Hashing keys"), written by the first rekey.
    XCTAssertEqual(after.count, before.count + VaultFile.entryLength + 24 + 128 + 16)
    // Nothing but the vault id and created time survives byte for byte after the header start.
    XCTAssertNotEqual(before.suffix(200), after.suffix(200))
    v = try open(.keyFile(k))
    XCTAssertEqual(v.recordCount, 21)
    for i in 0..<20 { XCTAssertEqual(try v.get("user/u\(i)"), [UInt8(i)]) }
    XCTAssertNotNil(try v.get("keys/hashing"))
  }

  func testBusyLockTimesOutWith75() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let holder = try open(.keyFile(k), .exclusive)
    let start = Date()
    XCTAssertThrowsError(try open(.keyFile(k), .shared)) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 75) }
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.19)
    holder.close()
    XCTAssertNoThrow(try open(.keyFile(k), .shared))
  }

  func testSharedLocksCoexist() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let a = try open(.keyFile(k), .shared)
    let b = try open(.keyFile(k), .shared)
    XCTAssertEqual(a.recordCount, b.recordCount)
  }

  func testWritesGoThroughSymlinkToTarget() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let link = dir + "/link.mfa"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
    let v = try VaultFile(path: link, key: .keyFile(k), mode: .exclusive, lockTimeout: 1)
    v.put("user/x", [1])
    try v.commit()
    let attrs = try FileManager.default.attributesOfItem(atPath: link)
    XCTAssertEqual(attrs[.type] as? FileAttributeType, .typeSymbolicLink)
    XCTAssertEqual(try open(.keyFile(k)).get("user/x"), [1])
  }

  func testStaleTempFilesAreCleanedUnderTheLock() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    FileManager.default.createFile(atPath: path + ".tmp-1-abc", contents: Data([1, 2]))
    let v = try open(.keyFile(k), .exclusive)
    v.put("user/x", [1])
    try v.commit()
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp-1-abc"))
  }

  func testKeyFileGenerationIsExclusiveAndPrivate() throws {
    let kp = dir + "/key"
    let k = try KeyFile.generate(at: kp)
    XCTAssertEqual(k.count, 32)
    XCTAssertThrowsError(try KeyFile.generate(at: kp)) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 73) }
    let attrs = try FileManager.default.attributesOfItem(atPath: kp)
    XCTAssertEqual((attrs[.posixPermissions] as! NSNumber).intValue, 0o600)
    XCTAssertTrue(try KeyFile.load(kp).constantTimeEquals(k))
    FileManager.default.createFile(atPath: dir + "/short", contents: Data([1, 2, 3]))
    XCTAssertThrowsError(try KeyFile.load(dir + "/short")) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
  }

  func testHeaderReadableWithoutKey() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k), .passphrase(try pass("p"))])
    let (h, size) = try VaultFile.readHeader(path: path, lockTimeout: 1)
    XCTAssertEqual(h.version, 4)
    XCTAssertEqual(h.slots.map(\.kind), [.keyFile, .passphrase])
    XCTAssertEqual(h.slots[1].memLimit, Sodium.PwhashLimits.minimum.memLimit)
    XCTAssertGreaterThan(size, 100)
  }

  func testByteCodecRejectsTruncation() throws {
    var w = ByteWriter()
    w.u8(1); w.u16(2); w.u32(3); w.u64(4); w.string("hé"); w.data([1, 2])
    w.optional(Int64(-5)) { $0.i64($1) }
    let bytes = w.bytes
    try bytes.withUnsafeBytes { raw in
      var r = ByteReader(raw)
      XCTAssertEqual(try r.u8(), 1)
      XCTAssertEqual(try r.u16(), 2)
      XCTAssertEqual(try r.u32(), 3)
      XCTAssertEqual(try r.u64(), 4)
      XCTAssertEqual(try r.string(), "hé")
      XCTAssertEqual(try r.data(), [1, 2])
      XCTAssertEqual(try r.optional { try $0.i64() }, -5)
      XCTAssertNoThrow(try r.expectEnd())
    }
    func decodeAll(_ raw: UnsafeRawBufferPointer) throws {
      var r = ByteReader(raw)
      _ = try r.u8(); _ = try r.u16(); _ = try r.u32(); _ = try r.u64()
      _ = try r.string(); _ = try r.data(); _ = try r.optional { try $0.i64() }
    }
    for n in 0..<bytes.count {
      let cut = Array(bytes.prefix(n))
      try cut.withUnsafeBytes { raw in XCTAssertThrowsError(try decodeAll(raw), "prefix \(n)") }
    }
  }

  // MARK: In-place writes and the journal

  func inode(_ p: String) throws -> UInt64 {
    (try FileManager.default.attributesOfItem(atPath: p)[.systemFileNumber] as! NSNumber).uint64Value
  }

  /// A vault with users a, b, c; returns the key.
  func threeUsers() throws -> SecureBytes {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    let v = try open(.keyFile(k))
    for u in ["a", "b", "c"] { v.put("user/\(u)", Array(repeating: 1, count: 40)) }
    try v.commit()
    return k
  }

  func testSameSizeUpdatesArePatchedInPlaceOthersRewrite() throws {
    let k = try threeUsers()
    let before = try inode(path)
    var v = try open(.keyFile(k))
    v.put("user/b", Array(repeating: 2, count: 45))  // same 64-byte padded size
    try v.commit()
    XCTAssertEqual(try inode(path), before, "a same-size update is written in place")
    // Vault format 3: the journal keeps the entry, applied, until a checkpoint.
    let vaultBytes = try Data(contentsOf: URL(fileURLWithPath: path))
    XCTAssertNotNil(
      vaultBytes.withUnsafeBytes {
        Journal.appliedTail(vaultPath: path, file: $0, vaultID: v.header.vaultID)
      }, "the journal holds the write, applied")
    v = try open(.keyFile(k))
    XCTAssertEqual(try v.get("user/b"), Array(repeating: 2, count: 45))
    XCTAssertEqual(try v.get("user/a"), Array(repeating: 1, count: 40))
    v.put("user/b", Array(repeating: 3, count: 200))  // grows: whole-file rewrite
    try v.commit()
    XCTAssertNotEqual(try inode(path), before)
    v = try open(.keyFile(k))
    XCTAssertEqual(try v.get("user/b"), Array(repeating: 3, count: 200))
    v.put("user/d", [4])  // an insert: rewrite
    try v.commit()
    XCTAssertEqual(try open(.keyFile(k)).get("user/d"), [4])
  }

  func testCrashAfterTheJournalRollsTheWriteForward() throws {
    let k = try threeUsers()
    let v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 9, count: 40))
    try v.commit(crashingAt: .journalWritten)
    XCTAssertTrue(Journal.hasContent(vaultPath: path))
    let w = try open(.keyFile(k), .shared)
    XCTAssertEqual(try w.get("user/a"), Array(repeating: 9, count: 40), "the journaled write is completed")
    XCTAssertEqual(try w.get("user/b"), Array(repeating: 1, count: 40))
    w.close()
    XCTAssertFalse(Journal.hasContent(vaultPath: path))
  }

  func testCrashDuringTheApplyIsRepairedOnOpen() throws {
    for mode in [VaultLock.Mode.exclusive, .shared] {
      try? FileManager.default.removeItem(atPath: dir)
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      let k = try threeUsers()
      let v = try open(.keyFile(k))
      v.put("user/c", Array(repeating: 7, count: 40))
      try v.commit(crashingAt: .partiallyApplied)
      // Half-written: the record is new but its index tag and MAC are old.
      let w = try open(.keyFile(k), mode)
      XCTAssertEqual(try w.get("user/c"), Array(repeating: 7, count: 40), "\(mode): rolled forward")
      XCTAssertEqual(try w.get("user/b"), Array(repeating: 1, count: 40))
      w.close()
      XCTAssertFalse(Journal.hasContent(vaultPath: path))
    }
  }

  func testTornJournalIsDropped() throws {
    let k = try threeUsers()
    let v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 9, count: 40))
    try v.commit(crashingAt: .journalWritten)
    let j = try Data(contentsOf: URL(fileURLWithPath: path + ".journal"))
    try j.prefix(j.count / 2).write(to: URL(fileURLWithPath: path + ".journal"))
    XCTAssertEqual(try open(.keyFile(k)).get("user/a"), Array(repeating: 1, count: 40))
  }

  func testAJournalNeverMasksOtherDamage() throws {
    let k = try threeUsers()
    let v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 9, count: 40))
    try v.commit(crashingAt: .partiallyApplied)
    // Damage a byte the journal does not cover (the header checksum region is checked
    // before; pick the record count's neighbourhood in the index instead).
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let (_, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    bytes[headerLength + 32 + 4 + 3] ^= 0x40  // inside the first index entry's id
    try bytes.write(to: URL(fileURLWithPath: path))
    // The write rolls forward (its journal is authentic and in this vault's lineage),
    // but the damaged page is still reported, on every open.
    for _ in 0..<2 {
      XCTAssertThrowsError(try open(.keyFile(k)).get("user/a")) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
    }
  }

  func testAStaleJournalIsIgnoredAndDropped() throws {
    let k = try threeUsers()
    var v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 9, count: 40))
    try v.commit(crashingAt: .journalWritten)
    let journal = try Data(contentsOf: URL(fileURLWithPath: path + ".journal"))
    _ = try open(.keyFile(k))  // rolls forward
    // Later writes move on; then the old journal reappears (a lost truncation).
    v = try open(.keyFile(k))
    v.put("user/a", Array(repeating: 8, count: 40))
    try v.commit()
    v = try open(.keyFile(k))
    v.put("user/e", [1])
    try v.commit()
    try journal.write(to: URL(fileURLWithPath: path + ".journal"))
    v = try open(.keyFile(k))
    XCTAssertEqual(try v.get("user/a"), Array(repeating: 8, count: 40), "a stale journal never rolls back")
    XCTAssertEqual(try v.get("user/e"), [1])
    v.close()
    XCTAssertFalse(Journal.hasContent(vaultPath: path))
  }

  func testRecordsArePaddedTo64BytesAndRoundTripEveryLength() throws {
    for n in [0, 1, 51, 52, 53, 64, 500] {
      let plain = VaultFile.recordPlaintext(key: "user/x", value: Array(repeating: 5, count: n))
      XCTAssertEqual(plain.count % VaultFile.recordPadding, 0)
      XCTAssertLessThan(plain.count - (2 + 6 + 4 + n), VaultFile.recordPadding)
    }
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    var v = try open(.keyFile(k))
    for n in 0..<130 { v.put("user/u\(n)", Array(repeating: UInt8(n & 0xFF), count: n)) }
    try v.commit()
    v = try open(.keyFile(k))
    for n in 0..<130 { XCTAssertEqual(try v.get("user/u\(n)"), Array(repeating: UInt8(n & 0xFF), count: n)) }
  }

  func testMultiPageIndexUpdatesRecoveryAndLazyChecks() throws {
    let k = try keyFile()
    try makeVault([.keyFile(k)])
    var v = try open(.keyFile(k))
    for i in 0..<700 { v.put("user/u\(i)", Array("v\(i)".utf8)) }  // 3 pages of 256
    try v.commit()
    let before = try inode(path)
    // Updates landing in several pages, written in place.
    v = try open(.keyFile(k))
    for i in [0, 300, 699] { v.put("user/u\(i)", Array("w\(i)".utf8)) }
    try v.commit()
    XCTAssertEqual(try inode(path), before)
    // A torn in-place write across pages is rolled forward.
    v = try open(.keyFile(k))
    for i in [5, 400] { v.put("user/u\(i)", Array("x\(i)".utf8)) }
    try v.commit(crashingAt: .partiallyApplied)
    v = try open(.keyFile(k), .shared)
    for i in 0..<700 {
      let expect = [0, 300, 699].contains(i) ? "w\(i)" : ([5, 400].contains(i) ? "x\(i)" : "v\(i)")
      XCTAssertEqual(try v.get("user/u\(i)").map { String(decoding: $0, as: UTF8.self) }, expect)
    }
    XCTAssertEqual(try v.records(withPrefix: "user/").count, 700)
    v.close()
    // Damage in one page: records behind other pages still read (checks are lazy), the
    // damaged page and a full scan report it.
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let (_, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    bytes[headerLength + 32 + 4 + 10 * 36 + 5] ^= 1  // entry 10, page 0
    try bytes.write(to: URL(fileURLWithPath: path))
    v = try open(.keyFile(k), .shared)
    var failures = 0
    var reads = 0
    for i in 0..<700 {
      do {
        _ = try v.get("user/u\(i)")
        reads += 1
      } catch let e as VaultError {
        XCTAssertEqual(e.exitCode, 65)
        failures += 1
      }
    }
    XCTAssertGreaterThan(failures, 0)
    XCTAssertGreaterThan(reads, 0)
    XCTAssertThrowsError(try v.records(withPrefix: "user/")) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
  }
}
