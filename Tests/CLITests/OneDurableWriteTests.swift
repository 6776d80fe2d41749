import Foundation
import XCTest

/// Vault format 3 (docs/FORMAT.md, "Writing in place"): a write in place is one journal
/// entry and one fsync; the entry stays in `<vault>.journal`, applied, until a checkpoint.
extension CLITestCase {
  /// The journal holds nothing that the vault and its log lack: a copy of the two
  /// without the journal passes `vault check` and `audit verify`, and shows the same
  /// users and events as the vault with its journal.
  func assertJournalSettled(_ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let copy = dir + "/settled-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: copy) }
    for suffix in ["", ".audit"] {
      if let b = bytes(vault + suffix) { try writeBytes(copy + "/vault.mfa" + suffix, b) }
    }
    let env: [String: String?] = ["MFACTL_VAULT": copy + "/vault.mfa"]
    assertExit(try run(["vault", "check"], env: env), 0, "vault without its journal: " + message, file: file, line: line)
    assertExit(try run(["audit", "verify"], env: env), 0, "log without the journal: " + message, file: file, line: line)
    for args in [["users", "list", "--format", "json"], ["audit", "list", "--format", "json"]] {
      let withJournal = try run(args)
      let without = try run(args, env: env)
      XCTAssertEqual(without.stdout, withJournal.stdout, "\(args): " + message, file: file, line: line)
    }
  }
}

final class OneDurableWriteTests: CLITestCase {
  func testAVerifyLeavesItsEntryInTheJournalAppliedAndTheNextCommandSeesIt() throws {
    let e = try enrol("alice")
    let code = try totp(e.secret, at: now)
    assertExit(try run(["verify", "alice", code]), 0)
    let journal = try XCTUnwrap(bytes(vault + ".journal"))
    XCTAssertEqual(String(decoding: journal.prefix(8), as: UTF8.self), "MFAJRNL2")
    try assertJournalSettled("after a verify")
    assertExit(try run(["verify", "alice", code]), 1, "the accepted code was recorded")
  }
}
