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
    assertExit(
      try run(["vault", "check"], env: env), 0, "vault without its journal: " + message, file: file, line: line)
    assertExit(
      try run(["audit", "verify"], env: env), 0, "log without the journal: " + message, file: file, line: line)
    for args in [["users", "list", "--format", "json"], ["audit", "list", "--format", "json"]] {
      let withJournal = try run(args)
      let without = try run(args, env: env)
      XCTAssertEqual(without.stdout, withJournal.stdout, "\(args): " + message, file: file, line: line)
    }
  }
}

final class OneDurableWriteTests: CLITestCase {
  func testAVerifyLeavesItsEntryInTheJournalAppliedAndTheNextCommandSeesIt() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let code = try totp(e.secret, at: now)
    assertExit(try run(["verify", "alice", code]), 0)
    let journal = try XCTUnwrap(bytes(vault + ".journal"))
    XCTAssertEqual(String(decoding: journal.prefix(8), as: UTF8.self), "MFAJRNL2")
    try assertJournalSettled("after a verify")
    assertExit(try run(["verify", "alice", code]), 1, "the accepted code was recorded")
  }

  /// The vault file put back to its copy from before a verify whose entry is still in
  /// the journal: the entry brings it forward, so the used code stays used.
  func testAVaultPutBackBeforeAJournaledVerifyIsBroughtForward() throws {
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    let code = try hotp(e.secret, counter: 0)
    let aside = try XCTUnwrap(bytes(vault))
    assertExit(try run(["verify", "alice", code]), 0)
    try writeBytes(vault, aside)
    assertExit(try run(["verify", "alice", code]), 1, "a used code is never accepted again")
    assertExit(try run(["audit", "verify"]), 0)
    assertExit(try run(["vault", "check"]), 0)
  }

  /// A kill (strace fault injection: SIGKILL at the Nth call of each system call that
  /// writes or syncs) at every such call of a verify: afterwards the vault checks, the
  /// log verifies, and the code was accepted exactly once: by the killed run (its
  /// journal entry was synced) or by the retry.
  func testAKillAtEveryWritingSystemCallOfAVerifyAcceptsTheCodeExactlyOnce() throws {
    guard let strace = Binary.tool("strace") else { throw XCTSkip("strace is not installed") }
    try initKeyFileVault()
    let e = try enrol("alice", ["--type", "hotp"])
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 0)]), 0)  // the journal exists
    let files = ["", ".audit", ".journal"].map { vault + $0 }
    let baseline = files.map { bytes($0) }
    let code = try hotp(e.secret, counter: 1)
    func successes() throws -> Int {
      let r = try run(["audit", "list", "--format", "json"])
      assertExit(r, 0)
      return (r.jsonLines ?? []).filter { ($0["event"] as? String) == "verify.success" }.count
    }
    let before = try successes()
    var kills = 0
    var committedByTheKilledRun = 0
    for call in ["pwrite64", "write", "ftruncate", "fsync", "fdatasync", "rename", "truncate", "unlink"] {
      for n in 1...64 {
        for (f, b) in zip(files, baseline) {
          if let b = b { try writeBytes(f, b) } else { try? FileManager.default.removeItem(atPath: f) }
        }
        let r = try Running(
          executable: strace,
          args: [
            "-f", "-qq", "-o", "/dev/null", "-e", "trace=\(call)", "-e", "inject=\(call):signal=KILL:when=\(n)",
            try binary(), "verify", "alice", code,
          ],
          stdin: nil, env: environment([:]), cwd: dir
        ).wait()
        if r.code == 0 { break }  // the verify ran to the end: no \(n)th call
        kills += 1
        let at = "kill at \(call) #\(n)"
        assertExit(try run(["vault", "check"]), 0, at)
        assertExit(try run(["audit", "verify"]), 0, at)
        let again = try run(["verify", "alice", code])
        XCTAssertTrue([0, 1].contains(again.code), at + "\n\(again)")
        if again.code == 1 { committedByTheKilledRun += 1 }
        XCTAssertEqual(try successes(), before + 1, "the code accepted exactly once: " + at)
      }
    }
    XCTAssertGreaterThan(kills, 5)
    XCTAssertGreaterThan(committedByTheKilledRun, 0, "kills after the journal's fsync keep the verify")
    XCTAssertLessThan(committedByTheKilledRun, kills, "kills before it do not")
    print("strace kills: \(kills), of which \(committedByTheKilledRun) after the commit point")
  }
}
