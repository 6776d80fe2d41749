import Foundation
import Sodium
import XCTest

@testable import Vault

final class BackupTests: XCTestCase {
  var dir: String!
  var vaultPath: String { dir + "/data/v.mfa" }
  var auditPath: String { vaultPath + ".audit" }
  let now: Int64 = 1_700_000_025
  var key: SecureBytes!
  var unlock: UnlockKey { .keyFile(key) }
  /// The audit log file as `makeVault` left it.
  var auditBytes: [UInt8] = []

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "backuptests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  // MARK: Helpers

  /// A vault with `users` records (and one other record) and, with `audit`, an audit
  /// log of a few events written by two commits.
  func makeVault(users: Int = 3, keys: [UnlockKey]? = nil, audit: Bool = true) throws {
    let k = (keys ?? [unlock])[0]
    try VaultFile.create(path: vaultPath, keys: keys ?? [unlock], limits: .minimum, now: 1_600_000_000, lockTimeout: 1)
    var v = try VaultFile(path: vaultPath, key: k, mode: .exclusive, lockTimeout: 1)
    for i in 0..<users { v.put("user/u\(i)", Array("value of user \(i)".utf8)) }
    v.put("session/abc", Array("u0".utf8))
    if audit { for i in 0..<users { v.appendAudit(Array("enrolled u\(i)".utf8)) } }
    try v.commit()
    if audit {
      v = try VaultFile(path: vaultPath, key: k, mode: .exclusive, lockTimeout: 1)
      v.appendAudit(Array("verified u0".utf8))
      try v.commit()
      // The committed log: the file without the commit mark after its head
      // (FORMAT.md, "Commit mark": 0xFFFFFFFF, seq, tag, mac; 44 bytes).
      auditBytes = bytes(auditPath)!
      if auditBytes.count > 94, auditBytes[(auditBytes.count - 44)..<(auditBytes.count - 40)].allSatisfy({ $0 == 0xFF })
      {
        auditBytes.removeLast(44)
      }
      XCTAssertGreaterThan(auditBytes.count, 50)
    } else {
      XCTAssertFalse(FileManager.default.fileExists(atPath: auditPath))
    }
  }

  func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

  func listing(_ d: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).sorted() }

  /// Makes a backup of the vault at `vaultPath` (opened with `key`) and writes it.
  @discardableResult
  func backup(
    to path: String, key: UnlockKey? = nil, at time: Int64? = nil, passphrase: String? = nil
  ) throws -> Backup.Made {
    let k = key ?? unlock
    let v = try VaultFile(path: vaultPath, key: k, mode: .shared, lockTimeout: 1)
    defer { v.close() }
    let made = try Backup.make(
      vault: v, key: k, now: time ?? now,
      backupPassphrase: try passphrase.map { try SecureBytes(copying: Array($0.utf8)) },
      limits: .minimum)
    try Backup.writeNew(made.bytes, to: path)
    return made
  }

  func verify(_ path: String, key: UnlockKey? = nil) throws -> Backup.Contents {
    try Backup.verify(path: path, key: key ?? unlock, scratchBase: dir)
  }

  func pass(_ s: String) throws -> UnlockKey { .passphrase(try SecureBytes(copying: Array(s.utf8))) }

  /// A backup file sealed correctly around an arbitrary payload: what someone holding
  /// the key could write, to check what verify makes of the vault inside.
  func sealedBackup(payload: [UInt8]) throws -> [UInt8] {
    let v = try VaultFile(path: vaultPath, key: unlock, mode: .shared, lockTimeout: 1)
    defer { v.close() }
    let vault = bytes(vaultPath)!
    let (_, hl) = try vault.withUnsafeBytes { try VaultHeader.decode($0) }
    var w = ByteWriter()
    w.raw(Backup.magic)
    w.u16(1)
    w.i64(now)
    w.u32(UInt32(hl))
    w.raw(Array(vault[0..<(hl + 32)]))
    return w.bytes + Sodium.seal(payload, additionalData: w.bytes, key: try v.subkey(.backup))
  }

  func payload(vault: [UInt8], audit: [UInt8]) -> [UInt8] {
    var w = ByteWriter()
    w.u64(UInt64(vault.count))
    w.raw(vault)
    w.u64(UInt64(audit.count))
    w.raw(audit)
    return w.bytes
  }

  func assertCorrupt(_ path: String, _ message: String = "", line: UInt = #line) {
    XCTAssertThrowsError(try verify(path), message, line: line) { e in
      guard let b = e as? BackupError else { return XCTFail("not a BackupError: \(e) \(message)", line: line) }
      XCTAssertEqual(b.exitCode, 65, "\(b) \(message)", line: line)
    }
  }

  // MARK: Tests

  func testFileNamesAreUTCAndSortByTime() {
    XCTAssertEqual(Backup.compactUTC(now), "20231114T221345Z")
    XCTAssertEqual(Backup.fileName(at: now), "mfactl-backup-20231114T221345Z.mfab")
    XCTAssertTrue(Backup.isBackupName("mfactl-backup-20231114T221345Z.mfab"))
    XCTAssertFalse(Backup.isBackupName("mfactl-backup-.mfab"))
    XCTAssertFalse(Backup.isBackupName("mfactl-backup-x.mfab.tmp-1-2"))
    XCTAssertFalse(Backup.isBackupName("vault.mfa"))
    XCTAssertLessThan(Backup.fileName(at: 1_700_000_000), Backup.fileName(at: 1_800_000_000))
  }

  func testRoundTripIsByteIdenticalAndLayoutIsAsDocumented() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    let made = try backup(to: file)
    let onDisk = bytes(file)!
    XCTAssertEqual(onDisk, made.bytes)
    let attrs = try FileManager.default.attributesOfItem(atPath: file)
    XCTAssertEqual((attrs[.posixPermissions] as! NSNumber).intValue, 0o600)
    // The plaintext part: magic, version, created, header length, the vault's own header
    // and checksum byte for byte.
    let vault = bytes(vaultPath)!
    let (_, hl) = try vault.withUnsafeBytes { try VaultHeader.decode($0) }
    XCTAssertEqual(Array(onDisk[0..<8]), Array("MFABACKP".utf8))
    XCTAssertEqual(Array(onDisk[8..<10]), [1, 0])
    XCTAssertEqual(onDisk[10..<18].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }, now)
    XCTAssertEqual(Int(onDisk[18..<22].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }), hl)
    XCTAssertEqual(Array(onDisk[22..<(22 + hl + 32)]), Array(vault[0..<(hl + 32)]))
    // The sealed payload is nonce || ciphertext of (u64, vault, u64, audit) || tag.
    XCTAssertEqual(onDisk.count, 22 + hl + 32 + 24 + 8 + vault.count + 8 + auditBytes.count + 16)

    let c = try verify(file)
    XCTAssertEqual(c.vaultBytes, vault)
    XCTAssertEqual(c.auditBytes, auditBytes)
    XCTAssertEqual(c.created, now)
    XCTAssertEqual(c.recordCount, 5)  // 3 users, the session index, the audit head
    XCTAssertFalse(c.separateKeySlots)

    let fresh = dir + "/elsewhere/new.mfa"
    let r = try Backup.restore(c, to: fresh, key: unlock, force: false, now: now, lockTimeout: 1, scratchBase: dir)
    XCTAssertEqual(r.prior, .missing)
    XCTAssertNil(r.replacedVault)
    XCTAssertEqual(bytes(fresh), vault)
    XCTAssertEqual(bytes(fresh + ".audit"), auditBytes)
    let restored = try VaultFile(path: fresh, key: unlock, mode: .shared, lockTimeout: 1)
    XCTAssertEqual(try restored.get("user/u2"), Array("value of user 2".utf8))
    // Scratch directories are gone.
    XCTAssertFalse(listing(dir).contains { $0.hasPrefix("mfactl-check-") }, "\(listing(dir))")
  }

  func testVaultWithoutAuditLogRestoresWithoutOne() throws {
    try makeVault(audit: false)
    let file = dir + "/b.mfab"
    try backup(to: file)
    let c = try verify(file)
    XCTAssertEqual(c.auditBytes, [])
    // An audit log at the target that the backup does not have is kept aside and removed.
    let stray = Array("MFAAUDIT".utf8) + [UInt8](repeating: 7, count: 60)
    try Data(stray).write(to: URL(fileURLWithPath: auditPath))
    try Data("garbage".utf8).write(to: URL(fileURLWithPath: vaultPath))
    let r = try Backup.restore(c, to: vaultPath, key: unlock, force: false, now: now, lockTimeout: 1, scratchBase: dir)
    guard case .corrupt = r.prior else { return XCTFail("\(r.prior)") }
    XCTAssertFalse(FileManager.default.fileExists(atPath: auditPath))
    XCTAssertEqual(bytes(r.replacedAudit!), stray)
    XCTAssertEqual(bytes(r.replacedVault!), Array("garbage".utf8))
    XCTAssertEqual(bytes(vaultPath), c.vaultBytes)
  }

  func testAFlippedBitAnywhereIsCorrupt() throws {
    try makeVault(users: 2)
    let file = dir + "/b.mfab"
    try backup(to: file)
    let good = bytes(file)!
    let flipped = dir + "/flipped.mfab"
    for i in 0..<good.count {
      var b = good
      b[i] ^= 0x01
      try Data(b).write(to: URL(fileURLWithPath: flipped))
      assertCorrupt(flipped, "bit flipped at byte \(i) of \(good.count)")
    }
    // Truncated at any length, or with a byte appended.
    for n in [0, 7, 21, 60, good.count / 2, good.count - 17, good.count - 1] {
      try Data(good[0..<n]).write(to: URL(fileURLWithPath: flipped))
      assertCorrupt(flipped, "truncated to \(n)")
    }
    try Data(good + [0]).write(to: URL(fileURLWithPath: flipped))
    assertCorrupt(flipped, "one byte appended")
    XCTAssertNoThrow(try verify(file))
  }

  func testAWrongKeyIsAnUnlockFailureNotCorruption() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    try backup(to: file)
    for wrong in [UnlockKey.keyFile(try SecureBytes.random(count: 32)), try pass("not it")] {
      XCTAssertThrowsError(try verify(file, key: wrong)) { e in
        XCTAssertEqual(e as? BackupError, .unlockFailed(path: file, passphraseOnly: false))
        XCTAssertEqual((e as? BackupError)?.exitCode, 77)
      }
    }
    XCTAssertThrowsError(try verify(dir + "/missing.mfab")) { XCTAssertEqual(($0 as? BackupError)?.exitCode, 66) }
  }

  func testTheVaultInsideIsCheckedEvenWhenTheSealIsGood() throws {
    try makeVault()
    let vault = bytes(vaultPath)!
    let file = dir + "/forged.mfab"
    func check(_ payloadBytes: [UInt8], _ what: String, line: UInt = #line) throws {
      try? FileManager.default.removeItem(atPath: file)
      try Data(try sealedBackup(payload: payloadBytes)).write(to: URL(fileURLWithPath: file))
      assertCorrupt(file, what, line: line)
    }
    // A sound payload passes (the forger's construction is right).
    try Data(try sealedBackup(payload: payload(vault: vault, audit: auditBytes))).write(to: URL(fileURLWithPath: file))
    XCTAssertNoThrow(try verify(file))

    var last = vault
    last[last.count - 5] ^= 1
    try check(payload(vault: last, audit: auditBytes), "record byte")
    let (_, hl) = try vault.withUnsafeBytes { try VaultHeader.decode($0) }
    var index = vault
    index[hl + 32 + 4 + 20] ^= 1  // the first entry's tag
    try check(payload(vault: index, audit: auditBytes), "index entry")
    try check(payload(vault: Array(vault.dropLast(3)), audit: auditBytes), "truncated vault")
    // The audit log inside is walked against the head in the vault inside.
    try check(payload(vault: vault, audit: Array("NOTAUDIT".utf8) + auditBytes.dropFirst(8)), "audit magic")
    var record = auditBytes
    record[60] ^= 1
    try check(payload(vault: vault, audit: record), "audit record")
    try check(payload(vault: vault, audit: []), "audit log left out")
    try check(payload(vault: vault, audit: Array(auditBytes.dropLast(1))), "audit log truncated")
    try check(payload(vault: vault, audit: auditBytes + [1, 2, 3]), "bytes after the audit head")
    try check(payload(vault: vault, audit: auditBytes) + [0], "trailing payload byte")
    try check(Array(payload(vault: vault, audit: auditBytes).dropLast()), "short payload")

    // Another vault of the same key inside: the header names a different vault id.
    let otherPath = dir + "/other.mfa"
    try VaultFile.create(path: otherPath, keys: [unlock], limits: .minimum, now: 1_600_000_000, lockTimeout: 1)
    try check(payload(vault: bytes(otherPath)!, audit: []), "another vault")
  }

  func testSeparateBackupPassphraseOpensOnlyWithIt() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    let made = try backup(to: file, passphrase: "backup secret")
    XCTAssertTrue(made.separatePassphrase)
    XCTAssertThrowsError(try verify(file)) {
      XCTAssertEqual($0 as? BackupError, .unlockFailed(path: file, passphraseOnly: true))
    }
    XCTAssertThrowsError(try verify(file, key: try pass("wrong"))) {
      XCTAssertEqual(($0 as? BackupError)?.exitCode, 77)
    }
    let c = try verify(file, key: try pass("backup secret"))
    XCTAssertTrue(c.separateKeySlots)
    XCTAssertEqual(c.header.slots.count, 1)
    XCTAssertEqual(c.header.slots[0].kind, .passphrase)
    XCTAssertEqual(c.header.vaultID, c.vaultHeader.vaultID)
    // The vault inside is the vault as it is: it opens with the vault's key, not the
    // backup passphrase.
    XCTAssertEqual(c.vaultBytes, bytes(vaultPath))
    let fresh = dir + "/r/v.mfa"
    _ = try Backup.restore(
      c, to: fresh, key: try pass("backup secret"), force: false, now: now, lockTimeout: 1, scratchBase: dir)
    XCTAssertNoThrow(try VaultFile(path: fresh, key: unlock, mode: .shared, lockTimeout: 1))
    XCTAssertThrowsError(try VaultFile(path: fresh, key: try pass("backup secret"), mode: .shared, lockTimeout: 1))
  }

  func testBackupOfAPassphraseVaultOpensWithThatPassphrase() throws {
    let p = try pass("correct horse")
    try makeVault(keys: [p, unlock])
    let file = dir + "/b.mfab"
    try backup(to: file, key: p)
    XCTAssertNoThrow(try verify(file, key: p))
    XCTAssertNoThrow(try verify(file, key: unlock))
  }

  func testRestoreRefusesOverAVaultThatOpensAndChangesNothing() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    try backup(to: file)
    let c = try verify(file)
    // The vault moves on after the backup.
    let v = try VaultFile(path: vaultPath, key: unlock, mode: .exclusive, lockTimeout: 1)
    v.put("user/late", [1])
    try v.commit()
    let before = (bytes(vaultPath), bytes(auditPath), listing(dir + "/data"))
    XCTAssertThrowsError(
      try Backup.restore(c, to: vaultPath, key: unlock, force: false, now: now, lockTimeout: 1, scratchBase: dir)
    ) { e in
      XCTAssertEqual(e as? BackupError, .vaultStillOpens(vaultPath))
      XCTAssertEqual((e as? BackupError)?.exitCode, 64)
    }
    XCTAssertEqual(bytes(vaultPath), before.0)
    XCTAssertEqual(bytes(auditPath), before.1)
    XCTAssertEqual(listing(dir + "/data"), before.2)

    // A key that opens the backup but not the vault: not provably broken, --force too.
    let other = try pass("other")
    let w = try VaultFile(path: vaultPath, key: unlock, mode: .exclusive, lockTimeout: 1)
    try w.rekey(keys: [other], limits: [.passphrase: .minimum])
    try w.commit()
    XCTAssertThrowsError(
      try Backup.restore(c, to: vaultPath, key: unlock, force: false, now: now, lockTimeout: 1, scratchBase: dir)
    ) { e in
      guard case .vaultNotChecked = e as? BackupError else { return XCTFail("\(e)") }
    }

    // With force: the replaced pair is kept, the backup's pair is in place.
    let old = (bytes(vaultPath)!, bytes(auditPath)!)
    let r = try Backup.restore(c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1, scratchBase: dir)
    guard case .notChecked = r.prior else { return XCTFail("\(r.prior)") }
    XCTAssertEqual(r.replacedVault, vaultPath + ".replaced-20231114T221345Z")
    XCTAssertEqual(r.replacedAudit, auditPath + ".replaced-20231114T221345Z")
    XCTAssertEqual(bytes(r.replacedVault!), old.0)
    XCTAssertEqual(bytes(r.replacedAudit!), old.1)
    XCTAssertEqual(bytes(vaultPath), c.vaultBytes)
    XCTAssertEqual(bytes(auditPath), c.auditBytes)
    let back = try VaultFile(path: vaultPath, key: unlock, mode: .shared, lockTimeout: 1)
    XCTAssertNil(try back.get("user/late"))
    back.close()

    // Again in the same second: a new suffix, nothing kept before is overwritten.
    let r2 = try Backup.restore(c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1, scratchBase: dir)
    XCTAssertEqual(r2.prior, .opens)
    XCTAssertEqual(r2.replacedVault, vaultPath + ".replaced-20231114T221345Z-2")
    XCTAssertEqual(bytes(r.replacedVault!), old.0)
  }

  func testRestoreOverACorruptOrMissingVaultNeedsNoForce() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    try backup(to: file)
    let c = try verify(file)
    var broken = bytes(vaultPath)!
    broken[broken.count - 3] ^= 0x40
    try Data(broken).write(to: URL(fileURLWithPath: vaultPath))
    // A journal with content beside it belongs to the replaced vault.
    try Data("MFAJRNL1 torn".utf8).write(to: URL(fileURLWithPath: vaultPath + ".journal"))
    let r = try Backup.restore(c, to: vaultPath, key: unlock, force: false, now: now, lockTimeout: 1, scratchBase: dir)
    guard case .corrupt = r.prior else { return XCTFail("\(r.prior)") }
    XCTAssertEqual(bytes(r.replacedVault!), broken)
    XCTAssertEqual(bytes(r.replacedJournal!), Array("MFAJRNL1 torn".utf8))
    XCTAssertEqual(bytes(vaultPath + ".journal") ?? [], [])
    XCTAssertEqual(bytes(vaultPath), c.vaultBytes)

    try FileManager.default.removeItem(atPath: vaultPath)
    let r2 = try Backup.restore(
      c, to: vaultPath, key: unlock, force: false, now: now + 1, lockTimeout: 1, scratchBase: dir)
    XCTAssertEqual(r2.prior, .missing)
    XCTAssertNil(r2.replacedVault)
    XCTAssertNotNil(r2.replacedAudit)  // the audit log was still there
    XCTAssertEqual(bytes(vaultPath), c.vaultBytes)
    XCTAssertFalse(listing(dir + "/data").contains { $0.contains(".tmp-") })
  }

  func testWriteNewNeverOverwrites() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    try Data("precious".utf8).write(to: URL(fileURLWithPath: file))
    XCTAssertThrowsError(try backup(to: file)) { e in
      XCTAssertEqual(e as? BackupError, .alreadyExists(file))
      XCTAssertEqual((e as? BackupError)?.exitCode, 73)
    }
    XCTAssertEqual(bytes(file), Array("precious".utf8))
    XCTAssertEqual(listing(dir), ["b.mfab", "data"])
  }

  func testRotationKeepsTheNewestAndTouchesNothingElse() throws {
    try makeVault(users: 1)
    let bdir = dir + "/backups"
    try FileManager.default.createDirectory(atPath: bdir, withIntermediateDirectories: true)
    let times: [Int64] = [1_700_000_000, 1_700_086_400, 1_700_172_800, 1_700_259_200, 1_700_345_600]
    for t in times.shuffled() { try backup(to: bdir + "/" + Backup.fileName(at: t), at: t) }
    // Not ours: another name, and a name that matches but is not a backup.
    try Data("x".utf8).write(to: URL(fileURLWithPath: bdir + "/notes.txt"))
    try Data("not a backup".utf8).write(to: URL(fileURLWithPath: bdir + "/mfactl-backup-manual.mfab"))

    let listed = try Backup.list(directory: bdir)
    XCTAssertEqual(listed.compactMap(\.created), times.reversed())
    XCTAssertEqual(listed.last?.name, "mfactl-backup-manual.mfab")

    // A backup of another vault, older than all of them, in the same directory.
    let id = try Backup.peek(path: bdir + "/" + Backup.fileName(at: times[0])).header.vaultID
    let other = dir + "/other/v.mfa"
    try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
    try VaultFile.create(path: other, keys: [unlock], limits: .minimum, now: 1_600_000_000, lockTimeout: 1)
    do {
      let v = try VaultFile(path: other, key: unlock, mode: .shared, lockTimeout: 1)
      let made = try Backup.make(vault: v, key: unlock, now: 1_600_000_000, limits: .minimum)
      v.close()
      try Backup.writeNew(made.bytes, to: bdir + "/mfactl-backup-other.mfab")
    }

    let (removed, failed) = try Backup.rotate(directory: bdir, keep: 3, vaultID: id)
    XCTAssertEqual(failed, [])
    XCTAssertEqual(removed.sorted(), times[0..<2].map { bdir + "/" + Backup.fileName(at: $0) })
    XCTAssertEqual(
      listing(bdir),
      (times[2...].map { Backup.fileName(at: $0) } + [
        "mfactl-backup-manual.mfab", "mfactl-backup-other.mfab", "notes.txt",
      ])
      .sorted())
    XCTAssertEqual(try Backup.rotate(directory: bdir, keep: 3, vaultID: id).removed, [])
    XCTAssertEqual(try Backup.rotate(directory: bdir, keep: 1, vaultID: id).removed.count, 2)
    XCTAssertTrue(listing(bdir).contains("mfactl-backup-other.mfab"))
    XCTAssertThrowsError(try Backup.list(directory: dir + "/nope")) {
      XCTAssertEqual($0 as? VaultError, .notFound(dir + "/nope"))
    }
  }

  func testPeekNeedsNoKeyAndOpenerRemembersDataKeys() throws {
    let p = try pass("correct horse")
    try makeVault(keys: [p])
    let a = dir + "/a.mfab"
    let b = dir + "/b.mfab"
    try backup(to: a, key: p, at: 1_700_000_000)
    try backup(to: b, key: p, at: 1_700_000_100)
    let peek = try Backup.peek(path: b)
    XCTAssertEqual(peek.created, 1_700_000_100)
    XCTAssertEqual(Backup.createdTime(path: a), 1_700_000_000)
    XCTAssertNil(Backup.createdTime(path: vaultPath))
    let opener = Backup.Opener(key: p, scratchBase: dir)
    XCTAssertEqual(try opener.verify(path: a).created, 1_700_000_000)
    XCTAssertEqual(try opener.verify(path: b).created, 1_700_000_100)
    // Both backups share the vault's header, so one Argon2id served both.
    XCTAssertEqual(opener.unlockedHeaders, 1)
    XCTAssertEqual(try opener.dataKey(peek, path: b).count, 32)
  }

  // MARK: The audit log

  func testABackupHoldsTheCommittedAuditLogOnly() throws {
    try makeVault()
    // An interrupted write left records after the head.
    try Data(auditBytes + Array(repeating: 0x5A, count: 40)).write(to: URL(fileURLWithPath: auditPath))
    let file = dir + "/b.mfab"
    let made = try backup(to: file)
    XCTAssertEqual(made.auditSize, auditBytes.count)
    let c = try verify(file)
    XCTAssertEqual(c.auditBytes, auditBytes)
    let fresh = dir + "/r/v.mfa"
    _ = try Backup.restore(c, to: fresh, key: unlock, force: false, now: now, lockTimeout: 1, scratchBase: dir)
    let v = try VaultFile(path: fresh, key: unlock, mode: .shared, lockTimeout: 1)
    let (records, uncommitted) = try v.auditRecords()
    XCTAssertEqual(
      records.map { String(decoding: $0.plaintext, as: UTF8.self) },
      ["enrolled u0", "enrolled u1", "enrolled u2", "verified u0"])
    XCTAssertEqual(uncommitted, 0)
  }

  func testCreateRefusesADamagedAuditLog() throws {
    try makeVault()
    var damaged = auditBytes
    damaged[70] ^= 0x10
    try Data(damaged).write(to: URL(fileURLWithPath: auditPath))
    XCTAssertThrowsError(try backup(to: dir + "/b.mfab")) { e in
      guard case .auditTampered = e as? VaultError else { return XCTFail("\(e)") }
      XCTAssertEqual((e as? VaultError)?.exitCode, 65)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b.mfab"))
    try FileManager.default.removeItem(atPath: auditPath)
    XCTAssertThrowsError(try backup(to: dir + "/b.mfab")) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65) }
  }

  func testRestoreKeepsAPendingAuditRewriteAside() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    try backup(to: file)
    let c = try verify(file)
    let next = vaultPath + ".audit.next"
    try Data("MFAAUDIT pending rewrite".utf8).write(to: URL(fileURLWithPath: next))
    let r = try Backup.restore(c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1, scratchBase: dir)
    XCTAssertFalse(FileManager.default.fileExists(atPath: next))
    XCTAssertEqual(r.replacedAuditNext, next + ".replaced-20231114T221345Z")
    XCTAssertEqual(bytes(r.replacedAuditNext!), Array("MFAAUDIT pending rewrite".utf8))
    // The restored pair is a working vault and log: the next commit appends.
    let v = try VaultFile(path: vaultPath, key: unlock, mode: .exclusive, lockTimeout: 1)
    v.appendAudit(Array("backup.restored".utf8))
    try v.commit()
    let w = try VaultFile(path: vaultPath, key: unlock, mode: .shared, lockTimeout: 1)
    XCTAssertEqual(try w.auditRecords().records.count, 5)
  }

  func testRestoreRecordsItsEventInTheRestoredLogWithTheBackupsDataKey() throws {
    try makeVault()
    let file = dir + "/b.mfab"
    try backup(to: file, passphrase: "backup secret")
    let c = try verify(file, key: try pass("backup secret"))
    let fresh = dir + "/r/v.mfa"
    // The key given opens the backup, not the restored vault: the event is still added.
    _ = try Backup.restore(
      c, to: fresh, key: try pass("backup secret"), force: false, now: now, lockTimeout: 1,
      auditEvent: Array("backup.restored".utf8), scratchBase: dir)
    let restoredAudit = bytes(fresh + ".audit")!
    XCTAssertEqual(Array(restoredAudit.prefix(auditBytes.count)), auditBytes)
    let v = try VaultFile(path: fresh, key: unlock, mode: .shared, lockTimeout: 1)
    XCTAssertEqual(v.header, c.vaultHeader)
    let (records, uncommitted) = try v.auditRecords()
    XCTAssertEqual(uncommitted, 0)
    XCTAssertEqual(
      records.map { String(decoding: $0.plaintext, as: UTF8.self) },
      ["enrolled u0", "enrolled u1", "enrolled u2", "verified u0", "backup.restored"])
    // Every other record is the backup's.
    let original = try VaultFile(path: vaultPath, key: unlock, mode: .shared, lockTimeout: 1)
    func content(_ f: VaultFile) throws -> [String: [UInt8]] {
      Dictionary(
        uniqueKeysWithValues: try f.records(withPrefix: "").filter { $0.key != "audit/head" }.map { ($0.key, $0.value) }
      )
    }
    XCTAssertEqual(try content(v), try content(original))
    XCTAssertFalse(listing(dir).contains { $0.hasPrefix("mfactl-check-") })

    // A vault that never logged anything gets a log holding the one event.
    try FileManager.default.removeItem(atPath: dir + "/data")
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
    try makeVault(audit: false)
    try backup(to: dir + "/quiet.mfab")
    let q = try verify(dir + "/quiet.mfab")
    XCTAssertEqual(q.auditBytes, [])
    let fresh2 = dir + "/r2/v.mfa"
    _ = try Backup.restore(
      q, to: fresh2, key: unlock, force: false, now: now, lockTimeout: 1, auditEvent: Array("restored".utf8),
      scratchBase: dir)
    let w = try VaultFile(path: fresh2, key: unlock, mode: .shared, lockTimeout: 1)
    XCTAssertEqual(try w.auditRecords().records.map(\.plaintext), [Array("restored".utf8)])
  }
}
