import Foundation
import XCTest

final class UsersTests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  func testListEmptyVault() throws {
    let t = try run(["users", "list"])
    assertExit(t, 0)
    let j = try run(["users", "list", "--format", "json"])
    assertExit(j, 0)
    XCTAssertEqual(j.stdout, "", "no users: no JSON lines")
  }

  func testListTextAndJSONLines() throws {
    try enrol("alice")
    try enrol("bob", activate: false)
    try enrol("carol", ["--type", "hotp"])
    let t = try run(["users", "list"])
    assertExit(t, 0)
    for name in ["alice", "bob", "carol"] {
      XCTAssertEqual(t.lines.filter { $0.hasPrefix(name + " ") }.count, 1, "one row for \(name)\n\(t)")
    }
    XCTAssertTrue(t.lines.first { $0.hasPrefix("bob ") }?.contains("pending") ?? false, t.description)
    let j = try run(["users", "list", "--format", "json"])
    assertExit(j, 0)
    let rows = try XCTUnwrap(j.jsonLines, "one JSON object per line\n\(j)")
    XCTAssertEqual(rows.count, 3)
    XCTAssertEqual(Set(rows.compactMap { $0["name"] as? String }), ["alice", "bob", "carol"])
    for row in rows {
      XCTAssertFalse((row["id"] as? String ?? "").isEmpty, "every listed item has an id: \(row)")
    }
    XCTAssertEqual(Set(rows.compactMap { $0["id"] as? String }).count, 3, "ids are distinct")
    let q = try run(["users", "list", "--quiet"])
    assertExit(q, 0)
    XCTAssertEqual(q.lines.sorted(), ["alice", "bob", "carol"], "--quiet: names only")
  }

  func testShowNeverPrintsSecrets() throws {
    let e = try enrol("alice", ["--issuer", "ACME", "--label", "alice@acme"])
    let t = try run(["users", "show", "alice"])
    assertExit(t, 0)
    XCTAssertTrue(t.stdout.contains("alice"))
    XCTAssertTrue(t.stdout.contains(e.id), t.description)
    XCTAssertFalse(t.stdout.contains(e.secret))
    let j = try run(["users", "show", "alice", "--format", "json"])
    assertExit(j, 0)
    XCTAssertFalse(j.stdout.contains(e.secret))
    let obj = try XCTUnwrap(j.json, j.description)
    XCTAssertEqual(obj["name"] as? String, "alice")
    XCTAssertNotNil(obj["id"] as? String)
    let auths = try XCTUnwrap(obj["authenticators"] as? [[String: Any]])
    XCTAssertEqual(auths.count, 1)
    XCTAssertEqual(auths[0]["id"] as? String, e.id)
    XCTAssertEqual(auths[0]["type"] as? String, "totp")
    XCTAssertEqual(auths[0]["algorithm"] as? String, "SHA1")
    XCTAssertEqual(auths[0]["digits"] as? Int, 6)
    XCTAssertEqual(auths[0]["period_s"] as? Int, 30)
    XCTAssertEqual(auths[0]["issuer"] as? String, "ACME")
    XCTAssertEqual(auths[0]["label"] as? String, "alice@acme")
    XCTAssertEqual(auths[0]["state"] as? String, "active")
  }

  func testUnknownUserIs67Everywhere() throws {
    try enrol("alice")
    let before = vaultState()
    for cmd in [
      ["users", "show", "bob"], ["users", "disable", "bob"], ["users", "enable", "bob"], ["users", "unlock", "bob"],
      ["users", "remove", "bob"], ["users", "diagnose", "bob", "123456"],
      ["users", "resync", "bob", "123456", "654321"],
      ["code", "bob"], ["enrol", "bob", "--confirm", "123456"],
    ] {
      assertError(try run(cmd), 67, contains: ["bob"])
    }
    XCTAssertEqual(vaultState(), before)
  }

  func testDisableAndEnable() throws {
    let e = try enrol("alice")
    let d = try run(["users", "disable", "alice", "--format", "json"])
    assertExit(d, 0)
    XCTAssertEqual(d.json?["disabled"] as? Bool, true, d.description)
    XCTAssertEqual(try show("alice")["state"] as? String, "disabled")
    let code = try totp(e.secret, at: now)
    let r = try run(["verify", "alice", code])
    assertExit(r, 1, "a disabled user's codes are rejected")
    XCTAssertTrue(r.stderr.contains("disabled"), r.description)
    assertExit(try run(["users", "enable", "alice"]), 0)
    XCTAssertEqual(try show("alice")["state"] as? String, "active")
    assertExit(try run(["verify", "alice", code]), 0)
  }

  func testRemoveUser() throws {
    let e = try enrol("alice")
    try enrol("bob")
    let r = try run(["users", "remove", "alice", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["user"] as? String, "alice", r.description)
    assertError(try run(["verify", "alice", try totp(e.secret, at: now)]), 67)
    assertError(try run(["users", "show", "alice"]), 67)
    let names = try run(["users", "list", "--format", "json"]).jsonLines?.compactMap { $0["name"] as? String }
    XCTAssertEqual(names, ["bob"])
    // The name can be enrolled again, with a new secret.
    let again = try enrol("alice")
    XCTAssertNotEqual(again.secret, e.secret)
  }

  func testRemoveOneAuthenticator() throws {
    let a = try enrol("alice")
    let b = try enrol("alice", ["--type", "hotp"])
    let r = try run(["users", "remove", "alice", "--authenticator", a.id])
    assertExit(r, 0)
    let auths = try show("alice")["authenticators"] as? [[String: Any]]
    XCTAssertEqual(auths?.compactMap { $0["id"] as? String }, [b.id])
    assertExit(try run(["verify", "alice", try totp(a.secret, at: now)]), 1, "the removed authenticator's code")
    assertExit(try run(["verify", "alice", try hotp(b.secret, counter: 0)]), 0)
    let before = vaultState()
    assertError(try run(["users", "remove", "alice", "--authenticator", a.id]), 66)
    assertError(try run(["users", "remove", "alice", "--authenticator", "ffffffff"]), 66)
    XCTAssertEqual(vaultState(), before)
  }

  func testResyncHOTPFromTwoConsecutiveCodes() throws {
    let e = try enrol("alice", ["--type", "hotp"])
    let c50 = try hotp(e.secret, counter: 50)
    let c51 = try hotp(e.secret, counter: 51)
    let c52 = try hotp(e.secret, counter: 52)
    let nearby = try (0...10).map { try hotp(e.secret, counter: $0) }
    if !nearby.contains(c52) {
      assertExit(try run(["verify", "alice", c52]), 1, "far ahead: not accepted before a resync")
    }
    let r = try run(["users", "resync", "alice", c50, c51, "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["authenticator"] as? String, e.id, r.description)
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.first?["counter"] as? Int, 52)
    assertExit(try run(["verify", "alice", c52]), 0, "the code after the pair")
    assertExit(try run(["verify", "alice", c51]), 1, "the pair is used up")
  }

  func testResyncCodesFromStdin() throws {
    let e = try enrol("alice", ["--type", "hotp"])
    let r = try run(
      ["users", "resync", "alice"], stdin: "\(try hotp(e.secret, counter: 30))\n\(try hotp(e.secret, counter: 31))\n")
    assertExit(r, 0)
    assertExit(try run(["verify", "alice", try hotp(e.secret, counter: 32)]), 0)
  }

  func testResyncWithCodesThatDoNotFollowIsRejected() throws {
    let e = try enrol("alice", ["--type", "hotp"])
    let before = try show("alice")
    let r = try run(["users", "resync", "alice", try hotp(e.secret, counter: 50), try hotp(e.secret, counter: 52)])
    assertExit(r, 1)
    var after = try show("alice")
    XCTAssertEqual(after["failures"] as? Int, 1, "a failed resync is a failure for the lockout (SPEC)")
    after["failures"] = before["failures"]
    XCTAssertEqual(NSDictionary(dictionary: after), NSDictionary(dictionary: before), "and changes nothing else")
    let events = try run(["audit", "list", "--event", "authenticator.resync_failed", "--format", "json"])
    XCTAssertEqual(events.jsonLines?.count, 1, "but it is audited\n\(events)")
    // A malformed code is a wrong code: a failed resync, counted and audited.
    assertError(try run(["users", "resync", "alice", "12ab56", "123456"]), 1, contains: ["malformed"])
    XCTAssertEqual(try failures("alice"), 2)
    let failed = try run(["audit", "list", "--event", "authenticator.resync_failed", "--format", "json"])
    XCTAssertEqual(failed.jsonLines?.count, 2, failed.description)
    XCTAssertFalse(failed.stdout.contains("12ab56"), "the code is never in the log")
  }

  func testDiagnoseReportsStepOffsetAndCountsAsFailure() throws {
    let e = try enrol("alice")
    let old = try totp(e.secret, at: now - 600)
    let r = try run(["users", "diagnose", "alice", old, "--format", "json"])
    assertExit(r, 0)
    let matches = try XCTUnwrap(r.json?["matches"] as? [[String: Any]], r.description)
    XCTAssertFalse(matches.isEmpty)
    XCTAssertEqual(matches.first?["step_offset"] as? Int, -20, r.description)
    XCTAssertEqual(matches.first?["offset_s"] as? Int, -600, r.description)
    XCTAssertEqual(matches.first?["authenticator"] as? String, e.id)
    XCTAssertEqual(try failures("alice"), 1, "diagnose counts as a failed attempt")
    let t = try run(["users", "diagnose", "alice", old])
    assertExit(t, 0)
    XCTAssertTrue(t.stdout.contains("600 s behind"), t.description)
    XCTAssertTrue(t.stdout.contains("-20"), t.description)
    XCTAssertEqual(try failures("alice"), 2)
  }

  func testDiagnoseCodeFromStdin() throws {
    let e = try enrol("alice")
    let r = try run(
      ["users", "diagnose", "alice", "--format", "json"], stdin: try totp(e.secret, at: now + 120) + "\n")
    assertExit(r, 0)
    XCTAssertEqual((r.json?["matches"] as? [[String: Any]])?.first?["step_offset"] as? Int, 4, r.description)
    let t = try run(["users", "diagnose", "alice", "-"], stdin: try totp(e.secret, at: now + 120) + "\n")
    assertExit(t, 0)
    XCTAssertTrue(t.stdout.contains("120 s ahead"), t.description)
  }

  func testDiagnoseNeverAcceptsAndDoesNotConsume() throws {
    let e = try enrol("alice")
    let code = try totp(e.secret, at: now)
    let r = try run(["users", "diagnose", "alice", code, "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual((r.json?["matches"] as? [[String: Any]])?.first?["step_offset"] as? Int, 0, r.description)
    XCTAssertTrue(try show("alice")["last_success"] is NSNull, "diagnose never accepts")
    assertExit(try run(["verify", "alice", code]), 0, "diagnose did not use the code up")
  }

  func testDiagnoseWithNoMatchIsExit1() throws {
    let e = try enrol("alice")
    // A code two days away matches nothing within ±1 day (unless by chance).
    let far = try totp(e.secret, at: now + 2 * 86400)
    let r = try run(["users", "diagnose", "alice", far, "--format", "json"])
    let matches = r.json?["matches"] as? [[String: Any]]
    XCTAssertNotNil(matches, r.description)
    if matches?.isEmpty == true { assertExit(r, 1) } else { assertExit(r, 0) }
    XCTAssertEqual(try failures("alice"), 1)
  }

  func testUnlockOfUnlockedUserIsFine() throws {
    try enrol("alice")
    assertExit(try run(["users", "unlock", "alice"]), 0)
    assertExit(try run(["users", "enable", "alice"]), 0)
  }
}
