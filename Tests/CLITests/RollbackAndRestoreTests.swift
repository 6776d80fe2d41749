import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// A vault file put back to an older copy (SPEC "Audit", rollback), atomic restore and
/// replay floors after a restore (SPEC "Backups"), and scratch files left by killed
/// backups and restores (issue 8, items 8, 9 and 16).
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
}
