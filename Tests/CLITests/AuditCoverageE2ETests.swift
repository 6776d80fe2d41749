import Foundation
import XCTest

/// Audit coverage gaps found in review: client text is bounded so the log stays
/// readable, names reused after removal list every history, and refusals that check no
/// code are still recorded.
final class AuditCoverageE2ETests: CLITestCase {
  func events(_ args: [String] = []) throws -> [[String: Any]] {
    let r = try run(["audit", "list", "--format", "json"] + args)
    assertExit(r, 0)
    return r.jsonLines ?? []
  }

  func testAHugeUserAgentCannotBreakTheLog() throws {
    try initKeyFileVault()
    try enrol("alice")
    let ua = String(repeating: "Mozilla/5.0 ", count: 1000)  // 12 KB
    assertExit(
      try run(["verify", "alice", "000000", "--user-agent", ua, "--actor", String(repeating: "x", count: 5000)]), 1)
    assertExit(try run(["audit", "verify"]), 0)
    let last = try XCTUnwrap(try events(["--limit", "1"]).first)
    XCTAssertLessThanOrEqual((last["user_agent"] as? String)?.utf8.count ?? 0, 512)
    XCTAssertLessThanOrEqual((last["actor"] as? String)?.utf8.count ?? 0, 128)
  }

  func testAReusedNameListsEveryHistory() throws {
    try initKeyFileVault()
    try enrol("alice")
    assertExit(try run(["users", "remove", "alice"]), 0)
    try enrol("alice")
    let ids = Set(try events(["--user", "alice"]).compactMap { $0["user_id"] as? String })
    XCTAssertEqual(ids.count, 2, "both the removed and the new alice")
    assertError(try run(["audit", "list", "--user", "nobody"]), 67)
  }

  func testRefusalsThatCheckNoCodeAreAudited() throws {
    try initKeyFileVault()
    try enrol("alice", activate: false)  // pending only
    assertExit(try run(["verify", "alice", "123456"]), 1)
    assertExit(try run(["users", "disable", "alice"]), 0)
    assertExit(try run(["verify", "alice", "123456"]), 1)
    assertExit(try run(["users", "enable", "alice"]), 0)
    let refused = try events(["--event", "verify.refused"])
    XCTAssertEqual(
      Set(refused.compactMap { ($0["detail"] as? [String: String])?["reason"] }),
      ["no active authenticator", "disabled"])
    assertExit(try run(["devices", "check", "alice", "mfad_" + String(repeating: "A", count: 43)]), 1)
    XCTAssertEqual(try events(["--event", "device.rejected"]).count, 1)
    assertExit(try run(["users", "resync", "alice", "111111", "222222"]), 1)
    XCTAssertEqual(try events(["--event", "authenticator.resync_failed"]).count, 1)
    assertExit(try run(["audit", "verify"]), 0)
  }
}
