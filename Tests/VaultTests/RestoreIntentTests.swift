import Foundation
import Sodium
import XCTest

@testable import Vault

/// A restore switches the vault and its log together (docs/FORMAT.md, "Restoring"): a
/// crash at any step leaves the old pair or the new one, finished by the next open; and
/// scratch and temp files of killed processes are removed by the next run.
final class RestoreIntentTests: XCTestCase {
  var dir: String!
  var vaultPath: String { dir + "/data/v.mfa" }
  var auditPath: String { vaultPath + ".audit" }
  let now: Int64 = 1_700_000_025
  var key: SecureBytes!
  var unlock: UnlockKey { .keyFile(key) }

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "restoreintent-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }
  func listing() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/data")) ?? []).sorted() }

  func open(_ mode: VaultLock.Mode = .shared) throws -> VaultFile {
    try VaultFile(path: vaultPath, key: unlock, mode: mode, lockTimeout: 1)
  }

  func commit(_ value: String, events: [String]) throws {
    let v = try open(.exclusive)
    v.put("user/u0", Array(value.utf8))
    for e in events { v.appendAudit(Array(e.utf8)) }
    try v.commit()
  }

  /// A vault with a log, a backup of it (`user/u0` = "backed up"), then later commits
  /// (`user/u0` = "later"). Returns the backup's contents.
  func vaultWithBackupAndLaterCommits() throws -> Backup.Contents {
    try VaultFile.create(path: vaultPath, keys: [unlock], limits: .minimum, now: 1_600_000_000, lockTimeout: 1)
    try commit("backed up", events: ["enrolled"])
    let file = dir + "/b.mfab"
    try? FileManager.default.removeItem(atPath: file)
    let v = try open()
    let made = try Backup.make(vault: v, key: unlock, now: now)
    v.close()
    try Backup.writeNew(made.bytes, to: file)
    try commit("later", events: ["verified", "verified again"])
    return try Backup.verify(path: file, key: unlock, scratchBase: dir)
  }

  func state() throws -> (value: String, events: [String]) {
    let v = try open()
    defer { v.close() }
    let value = String(decoding: try v.get("user/u0") ?? [], as: UTF8.self)
    let (records, _) = try v.auditRecords()
    return (value, records.map { String(decoding: $0.plaintext, as: UTF8.self) })
  }

  func testACrashAtAnyStepLeavesTheOldOrTheNewPairFinishedByTheNextOpen() throws {
    for point in RestoreCrash.allCases {
      try? FileManager.default.removeItem(atPath: dir + "/data")
      try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
      let c = try vaultWithBackupAndLaterCommits()
      let oldVault = try XCTUnwrap(bytes(vaultPath))
      XCTAssertEqual(try state().events, ["enrolled", "verified", "verified again"])

      try point.run(vault: vaultPath) {
        _ = try Backup.restore(
          c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1,
          auditEvent: Array("backup.restored".utf8), scratchBase: nil, prepare: nil)
      }

      // Whatever the point, the next open (a reader) sees one whole pair.
      let s = try state()
      if point == .afterStaging {
        XCTAssertEqual(s.value, "later", "\(point): before the intent, the old pair stays")
        XCTAssertEqual(s.events, ["enrolled", "verified", "verified again"], "\(point)")
        XCTAssertEqual(bytes(vaultPath), oldVault, "\(point)")
        // The next writer removes the staged files.
        try open(.exclusive).close()
        XCTAssertFalse(listing().contains { $0.contains(".restore") }, "\(point): \(listing())")
      } else {
        XCTAssertEqual(s.value, "backed up", "\(point): after the intent, the new pair")
        XCTAssertEqual(s.events, ["enrolled", "backup.restored"], "\(point)")
        XCTAssertFalse(listing().contains { $0.contains(".restore") }, "\(point): finished: \(listing())")
        let kept = try XCTUnwrap(listing().first { $0.hasPrefix("v.mfa.replaced-") }, "\(point): \(listing())")
        XCTAssertEqual(bytes(dir + "/data/" + kept), oldVault, "\(point): the replaced vault is kept")
        XCTAssertTrue(listing().contains { $0.hasPrefix("v.mfa.audit.replaced-") }, "\(point): \(listing())")
        // And writers go on from it.
        try commit("after", events: ["next"])
        XCTAssertEqual(try state().events, ["enrolled", "backup.restored", "next"], "\(point)")
      }
      XCTAssertFalse(listing().contains { $0.contains(".tmp-") }, "\(point): \(listing())")
    }
  }

  /// Before this change a crash between the two renames left the new vault with the old
  /// log: every writer refused it (65) until the restore was run again.
  func testACrashBetweenTheRenamesNoLongerBlocksWriters() throws {
    let c = try vaultWithBackupAndLaterCommits()
    try RestoreCrash.afterVaultRename.run(vault: vaultPath) {
      _ = try Backup.restore(
        c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1, auditEvent: Array("restored".utf8),
        scratchBase: nil, prepare: nil)
    }
    XCTAssertTrue(RestoreIntent.isPending(vaultPath))
    XCTAssertNoThrow(try commit("login", events: ["verify.success"]))
    XCTAssertEqual(try state().events, ["enrolled", "restored", "verify.success"])
  }

  /// A restore into an empty place that committed is a vault: `init` does not write
  /// another one over it.
  func testInitFinishesACommittedRestoreInsteadOfCreatingAVault() throws {
    let c = try vaultWithBackupAndLaterCommits()
    for f in try FileManager.default.contentsOfDirectory(atPath: dir + "/data") {
      try FileManager.default.removeItem(atPath: dir + "/data/" + f)
    }
    try RestoreCrash.afterIntent.run(vault: vaultPath) {
      _ = try Backup.restore(
        c, to: vaultPath, key: unlock, force: false, now: now, lockTimeout: 1, auditEvent: nil, scratchBase: nil,
        prepare: nil)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: vaultPath))
    XCTAssertThrowsError(
      try VaultFile.create(path: vaultPath, keys: [unlock], limits: .minimum, now: now, lockTimeout: 1)
    ) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 73, "\($0)") }
    XCTAssertEqual(try state().value, "backed up")
  }

  func testADamagedIntentIsReportedNotGuessed() throws {
    let c = try vaultWithBackupAndLaterCommits()
    try RestoreCrash.afterIntent.run(vault: vaultPath) {
      _ = try Backup.restore(
        c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1, auditEvent: nil, scratchBase: nil,
        prepare: nil)
    }
    var b = try XCTUnwrap(bytes(RestoreIntent.path(vaultPath)))
    b[9] ^= 1
    try Data(b).write(to: URL(fileURLWithPath: RestoreIntent.path(vaultPath)))
    XCTAssertThrowsError(try open()) { XCTAssertEqual(($0 as? VaultError)?.exitCode, 65, "\($0)") }
  }

  func testTheIntentRecordRoundTrips() {
    let r = RestoreIntent.Record(hasAudit: true, suffix: ".replaced-20231114T221345Z-2")
    XCTAssertEqual(RestoreIntent.Record.decode(r.encode()), r)
    XCTAssertEqual(Array(r.encode()[0..<8]), Array("MFARSTR1".utf8))
    XCTAssertNil(RestoreIntent.Record.decode(RestoreIntent.Record(hasAudit: false, suffix: "/etc/passwd").encode()))
    var torn = r.encode()
    torn.removeLast()
    XCTAssertNil(RestoreIntent.Record.decode(torn))
  }

  /// `prepare` sees the restored copy and, when the key opens it, the replaced vault.
  func testPrepareGetsTheReplacedVaultWhenItOpens() throws {
    let c = try vaultWithBackupAndLaterCommits()
    var seen: String? = nil
    _ = try Backup.restore(
      c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1,
      prepare: { restored, replaced in
        seen = replaced.flatMap { try? $0.get("user/u0") }.map { String(decoding: $0, as: UTF8.self) }
        restored.put("user/u1", Array("raised".utf8))
      })
    XCTAssertEqual(seen, "later")
    XCTAssertEqual(try open().get("user/u1"), Array("raised".utf8))
    try FileManager.default.removeItem(atPath: vaultPath)
    seen = "none"
    _ = try Backup.restore(
      c, to: vaultPath, key: unlock, force: false, now: now + 1, lockTimeout: 1,
      prepare: { _, replaced in seen = replaced == nil ? nil : "some" })
    XCTAssertNil(seen)
  }

  // MARK: Files of killed processes

  /// A pid that no process has any more.
  func deadPID() throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    try p.run()
    p.waitUntilExit()
    return p.processIdentifier
  }

  func testScratchDirectoriesOfKilledProcessesBesideTheVaultAreRemovedByTheNextWriter() throws {
    _ = try vaultWithBackupAndLaterCommits()
    let dead = try deadPID()
    let stale = "\(vaultPath).tmp-\(dead)-abcdef"
    let live = "\(vaultPath).tmp-\(getpid())-abcdef"
    for d in [stale, live] {
      try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: false)
      try Data("x".utf8).write(to: URL(fileURLWithPath: d + "/vault.mfa"))
    }
    try Data("x".utf8).write(to: URL(fileURLWithPath: RestoreIntent.stagedVault(vaultPath)))
    try open(.shared).close()
    XCTAssertTrue(FileManager.default.fileExists(atPath: stale), "readers remove nothing")
    try open(.exclusive).close()
    XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
    XCTAssertTrue(FileManager.default.fileExists(atPath: live), "a live process's scratch copy stays")
    XCTAssertFalse(FileManager.default.fileExists(atPath: RestoreIntent.stagedVault(vaultPath)))
  }

  func testARestoreLeavesNothingInTheScratchBaseOrBesideTheVault() throws {
    let c = try vaultWithBackupAndLaterCommits()
    let before = listing()
    _ = try Backup.restore(c, to: vaultPath, key: unlock, force: true, now: now, lockTimeout: 1, auditEvent: [1])
    XCTAssertEqual(
      Set(listing()).subtracting(before).filter { !$0.contains(".replaced-") }, [], "\(listing())")
  }

  func testTempFilesOfAKilledBackupAreRemovedByTheNextOne() throws {
    _ = try vaultWithBackupAndLaterCommits()
    let dead = try deadPID()
    let out = dir + "/out.mfab"
    let stale = ["\(out).tmp-\(dead)-a1b2c3", "\(dir!)/mfactl-backup-20231114T221345Z.mfab.tmp-\(dead)-a1b2c3"]
    let kept = ["\(out).tmp-\(getpid())-a1b2c3", "\(dir!)/other.txt.tmp-\(dead)-a1b2c3"]
    for f in stale + kept { try Data("partial".utf8).write(to: URL(fileURLWithPath: f)) }
    let v = try open()
    let made = try Backup.make(vault: v, key: unlock, now: now)
    v.close()
    try Backup.writeNew(made.bytes, to: out)
    for f in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: f), f) }
    for f in kept { XCTAssertTrue(FileManager.default.fileExists(atPath: f), f) }
  }

  func testScratchDirectoriesOfKilledChecksInTheBaseAreRemoved() throws {
    let base = dir + "/tmp"
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    let dead = try deadPID()
    let stale = "\(base)/mfactl-check-\(dead)-Ab12Cd"
    try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
    try Data("x".utf8).write(to: URL(fileURLWithPath: stale + "/vault.mfa"))
    let s = try ScratchDirectory(base: base)
    XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
    XCTAssertTrue(s.path.hasPrefix("\(base)/mfactl-check-\(getpid())-"), s.path)
    s.remove()
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: base), [])
  }
}
