import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// A vault file put back to an older copy, atomic restore and replay floors after a
/// restore (docs/security.md, "State that can be rolled back or torn"), and scratch
/// files left by killed backups and restores (issue 8, items 8, 9 and 16).
final class RollbackAndRestoreTests: CLITestCase {
  var audit: String { vault + ".audit" }

  func copy(_ from: String, _ to: String) throws {
    if exists(to) { try FileManager.default.removeItem(atPath: to) }
    try FileManager.default.copyItem(atPath: from, toPath: to)
  }

  // MARK: Item 8: rollback of the vault file alone

  /// Copy the vault aside, verify a HOTP code, put the copy back: the code must not be
  /// accepted again, and every command that opens the vault names the rollback (65).
  func testVaultRolledBackAfterAVerifyIsRefusedByEveryCommand() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    try enrol("bob")
    let code = try hotp(e.secret, counter: 0)
    try copy(vault, dir + "/aside.mfa")
    assertExit(try run(["verify", "alice", code]), 0)
    try copy(dir + "/aside.mfa", vault)
    // Format 3: the verify's journal entry would roll the copy forward (the code stays
    // used: OneDurableWriteTests); a rollback past a checkpoint finds the journal empty.
    try writeBytes(vault + ".journal", Data())

    let again = try run(["verify", "alice", code])
    assertExit(again, 65, "a rolled-back vault must not accept a used code again")
    XCTAssertTrue(again.stderr.contains("rolled back"), again.description)
    XCTAssertTrue(again.stderr.contains("older than its audit log"), again.description)
    XCTAssertEqual(again.stderrLines.count, 1, again.description)
    for args in [
      ["audit", "verify"], ["audit", "list"], ["users", "list"], ["users", "show", "alice"], ["status"],
      ["vault", "check"], ["enrol", "carol", "--activate"], ["recovery-codes", "status", "bob"],
      ["backup", "create", dir + "/b.mfab"],
    ] {
      let r = try run(args)
      XCTAssertEqual(r.code, 65, r.description)
      XCTAssertTrue(r.stderr.contains("rolled back"), r.description)
    }
    // Nothing dropped the log's records of the first acceptance.
    let log = try XCTUnwrap(bytes(audit))
    try copy(dir + "/aside.mfa", vault)
    XCTAssertEqual(try run(["verify", "alice", code]).code, 65)
    XCTAssertEqual(bytes(audit), log)
  }

  /// A crash between the log append and the vault commit (an interrupted write) is not a
  /// rollback: the uncommitted tail is reported and dropped as before.
  func testInterruptedWriteIsStillNotARollback() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    let committed = try XCTUnwrap(bytes(audit))
    // The log as a crash after the append would leave it: the next verify's records
    // after the committed head, without the vault knowing them (and no commit mark).
    try copy(vault, dir + "/aside.mfa")
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 0)]), 0)
    let after = try XCTUnwrap(bytes(audit))
    // Keep the records, drop what follows the last one (the commit mark, 44 bytes).
    try writeBytes(audit, after.prefix(after.count - 44))
    try copy(dir + "/aside.mfa", vault)
    // Format 3: a write whose records reach the log without its commit is a whole-file
    // write (one in place has them in its journal entry): no journal entry for it.
    try writeBytes(vault + ".journal", Data())
    XCTAssertGreaterThan(after.count - 44, committed.count)
    let v = try run(["audit", "verify"])
    assertExit(v, 0)
    XCTAssertTrue(v.stdout.contains("interrupted write"), v.description)
    // The code was never committed: it is accepted (once).
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 0)]), 0)
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 0)]), 1)
    assertExit(try run(["audit", "verify"]), 0)
  }

  /// Both files rolled back together cannot be told from the files alone (documented):
  /// the pair opens and verifies.
  func testVaultAndLogRolledBackTogetherAreNotDetected() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    try copy(vault, dir + "/aside.mfa")
    try copy(audit, dir + "/aside.audit")
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 0)]), 0)
    try copy(dir + "/aside.mfa", vault)
    try copy(dir + "/aside.audit", audit)
    assertExit(try run(["audit", "verify"]), 0)
  }

  // MARK: Item 9: replay floors after a restore

  /// What the replaced vault had used stays used after a restore: the HOTP counter, and
  /// recovery codes used since the backup.
  func testARestoreKeepsCodesTheReplacedVaultHadUsed() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    let g = try run(["recovery-codes", "generate", "alice", "--format", "json"])
    assertExit(g, 0)
    let codes = try XCTUnwrap(g.json?["codes"] as? [String])
    let b = dir + "/b.mfab"
    assertExit(try run(["backup", "create", b]), 0)
    let c0 = try hotp(e.secret, counter: 0)
    let c3 = try hotp(e.secret, counter: 3)
    assertExit(try run(["verify", "alice", c3]), 0)
    assertExit(try run(["recovery-codes", "use", "alice", codes[0]]), 0)

    let r = try run(["backup", "restore", b, "--force", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["floors_raised"] as? Int, 1, r.description)
    XCTAssertEqual(r.json?["codes_voided"] as? Int, 1, r.description)
    // Counters up to 3 were used: 0 and 3 are refused, 4 is accepted.
    assertExit(try run(["verify", "alice", c0]), 1)
    assertExit(try run(["verify", "alice", c3]), 1)
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 4)]), 0)
    assertExit(try run(["recovery-codes", "use", "alice", codes[0]]), 1)
    assertExit(try run(["recovery-codes", "use", "alice", codes[1]]), 0)
    // The restore says so in its event.
    let list = try run(["audit", "list", "--format", "json"])
    let restored = (list.jsonLines ?? []).first { $0["event"] as? String == "backup.restored" }
    let detail = restored?["detail"] as? [String: Any]
    XCTAssertEqual(detail?["floors_raised"] as? String, "1", list.description)
    XCTAssertEqual(detail?["codes_voided"] as? String, "1", list.description)
    assertExit(try run(["audit", "verify"]), 0)
  }

  // MARK: Items 9 and 16: killed restores and backups

  /// A restore killed at any instant leaves a pair that opens (old or new, finished by
  /// the next command), nothing in $TMPDIR, and no temp file once a writer ran.
  func testKilledRestoresLeaveAWholePairAndNoScratchFiles() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    let b = dir + "/b.mfab"
    assertExit(try run(["backup", "create", b]), 0)
    let tmp = dir + "/tmpdir"
    try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    var counter: UInt64 = 0
    for i in 0..<12 {
      let p = try start(["backup", "restore", b, "--force"], env: ["TMPDIR": tmp])
      usleep(useconds_t(i * 22_000))  // 0 to 240 ms: a restore takes about 250 ms
      p.kill(SIGKILL)
      _ = p.wait()
      XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp), [], "run \(i): $TMPDIR stays empty")
      // The next command sees one whole pair and can log in.
      let v = try run(["verify", "alice", try hotp(e.secret, counter: counter)], env: ["TMPDIR": tmp])
      XCTAssertTrue([0, 1].contains(v.code), "run \(i): \(v)")
      if v.code == 0 { counter += 1 }
      assertExit(try run(["audit", "verify"]), 0, "run \(i)")
      XCTAssertFalse(
        vaultDirListing().contains { $0.contains(".tmp-") || $0.hasSuffix(".restore") || $0.contains(".restore-") },
        "run \(i): \(vaultDirListing())")
    }
  }

  /// A killed `backup create` leaves `FILE.tmp-<pid>-*`; the next one removes it.
  func testTheTempFileOfAKilledBackupIsRemovedByTheNextBackup() throws {
    try initKeyFileVault()
    try enrol("alice")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    try p.run()
    p.waitUntilExit()
    let out = dir + "/backups"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let stale = out + "/mfactl-backup-20231114T221300Z.mfab.tmp-\(p.processIdentifier)-0a1b2c"
    try writeBytes(stale, Data("partial backup".utf8))
    assertExit(try run(["backup", "create", "--dir", out]), 0)
    XCTAssertFalse(exists(stale), "\((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])")
  }

  /// A restore killed during its checks left its scratch copy beside the vault: the
  /// next writer removes it once that process is gone.
  func testAScratchCopyOfAKilledRestoreIsRemovedByTheNextWriter() throws {
    try initKeyFileVault()
    try enrol("alice")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    try p.run()
    p.waitUntilExit()
    let stale = vault + ".tmp-\(p.processIdentifier)-Xy12Zw"
    try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
    try writeBytes(stale + "/vault.mfa", Data("copy".utf8))
    try writeBytes(stale + "/vault.mfa.audit", Data("copy".utf8))
    assertExit(try run(["users", "list"]), 0)
    XCTAssertTrue(exists(stale), "a reader removes nothing")
    assertExit(try run(["enrol", "bob", "--activate"]), 0)
    XCTAssertFalse(exists(stale))
  }
}
