import Foundation
import XCTest

/// Issue 3, policy flags on users: `users set USER --require-mfa | --no-require-mfa |
/// --role NAME | --no-role`, and `users list --role NAME`.
final class PolicyE2ETests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  func testRequireMFAWithoutAnActiveAuthenticatorFailsVerify() throws {
    try enrol("bob", activate: false)  // pending only
    let before = try sendChallenge("bob")
    assertExit(try run(["verify", "bob", before]), 0, "without the flag a challenge code is enough")

    let set = try run(["users", "set", "bob", "--require-mfa", "--format", "json"])
    assertExit(set, 0)
    XCTAssertEqual(set.json?["require_mfa"] as? Bool, true, set.description)
    XCTAssertEqual(try show("bob")["require_mfa"] as? Bool, true)

    let code = try sendChallenge("bob")
    let r = try run(["verify", "bob", code])
    assertExit(r, 1, "require-mfa without an active authenticator: rejected even with a valid challenge code")
    XCTAssertTrue(r.stderr.lowercased().contains("authenticator"), "the message names the missing authenticator\n\(r)")
    assertNotOnStderr([code], r)
    let j = try run(["verify", "bob", code, "--format", "json"])
    assertExit(j, 1)
    XCTAssertEqual(j.stdout, "", "a refusal prints nothing on stdout\n\(j)")

    // Recovery codes do not get around it either.
    let rc = try generateRecoveryCodes("bob", count: 2)
    assertExit(try run(["verify", "bob", rc[0], "--allow-recovery"]), 1)

    // Once the flag is off again, the (still live) challenge code works.
    assertExit(try run(["users", "set", "bob", "--no-require-mfa"]), 0)
    XCTAssertEqual(try show("bob")["require_mfa"] as? Bool, false)
    assertExit(try run(["verify", "bob", code]), 0)
  }

  func testRequireMFAWithAnActiveAuthenticatorVerifiesNormally() throws {
    let e = try enrol("alice")
    assertExit(try run(["users", "set", "alice", "--require-mfa"]), 0)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
    let c = try sendChallenge("alice")
    assertExit(
      try run(["verify", "alice", c], at: now + 30), 0, "a challenge code is fine once there is an authenticator")
  }

  func testRoleShownAndFilterable() throws {
    try enrol("alice")
    try enrol("bob")
    try enrol("carol")
    assertExit(try run(["users", "set", "alice", "--role", "admin"]), 0)
    assertExit(try run(["users", "set", "bob", "--role", "support staff"]), 0)

    let list = try run(["users", "list"])
    assertExit(list, 0)
    let aliceLine = list.lines.first { $0.hasPrefix("alice") } ?? ""
    let bobLine = list.lines.first { $0.hasPrefix("bob") } ?? ""
    XCTAssertTrue(aliceLine.contains("admin"), list.description)
    XCTAssertTrue(bobLine.contains("support staff"), list.description)

    let j = try run(["users", "list", "--format", "json"])
    assertExit(j, 0)
    var roles: [String: Any] = [:]
    for item in j.jsonLines ?? [] { roles[item["name"] as? String ?? "?"] = item["role"] ?? NSNull() }
    XCTAssertEqual(roles["alice"] as? String, "admin", j.description)
    XCTAssertEqual(roles["bob"] as? String, "support staff", j.description)
    XCTAssertTrue(roles["carol"] is NSNull, "no role is null\n\(j)")
    XCTAssertEqual(try show("alice")["role"] as? String, "admin")

    let admins = try run(["users", "list", "--role", "admin", "--format", "json"])
    assertExit(admins, 0)
    XCTAssertEqual((admins.jsonLines ?? []).map { $0["name"] as? String ?? "" }, ["alice"], admins.description)
    let text = try run(["users", "list", "--role", "support staff"])
    assertExit(text, 0)
    XCTAssertTrue(text.stdout.contains("bob"), text.description)
    XCTAssertFalse(text.stdout.contains("alice") || text.stdout.contains("carol"), text.description)

    assertExit(try run(["users", "set", "alice", "--no-role"]), 0)
    XCTAssertTrue(try show("alice")["role"] is NSNull)
    let none = try run(["users", "list", "--role", "admin", "--format", "json"])
    assertExit(none, 0)
    XCTAssertEqual(none.jsonLines?.count, 0, none.description)
  }

  func testBadPolicyArgumentsAreUsageErrors() throws {
    try enrol("alice")
    let before = vaultState()
    for args in [
      ["users", "set", "alice"],
      ["users", "set", "alice", "--role", "x", "--no-role"],
      ["users", "set", "alice", "--role", ""],
      ["users", "set", "alice", "--role", " padded"],
      ["users", "set", "alice", "--role", "bell\u{7}"],
      ["users", "set", "alice", "--role", String(repeating: "r", count: 65)],
    ] {
      assertError(try run(args), 64)
    }
    XCTAssertEqual(vaultState(), before, "nothing changed")
    assertError(try run(["users", "set", "nobody", "--role", "admin"]), 67)
  }
}
