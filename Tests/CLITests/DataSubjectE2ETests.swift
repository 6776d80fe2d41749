// End-to-end tests for issue 4's data-subject commands: `users export USER` (every fact
// about a user, no secret) and `users erase USER` (gone, history pseudonymised, chain
// still verifiable), against `users remove`, which keeps the name in the history.
import Foundation
import XCTest

final class DataSubjectE2ETests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  /// A distinctive name: no accidental substring of ids, times or base32.
  let subject = "zelda.quist@example.org"

  struct Subject {
    var secrets: [String]
    var codes: [String]
    var authenticatorIDs: [String]
    var sessionIDs: [String]
    var deviceIDs: [String]
    var sessionToken: String
  }

  /// The subject with two authenticators, recovery codes (one used), a session, a trusted
  /// device and a failure; bob alongside.
  @discardableResult
  func makeSubject() throws -> Subject {
    let a = try enrol(subject, ["--ip", "203.0.113.9", "--user-agent", "enrol-portal"])
    let b = try enrol(subject, ["--type", "hotp"], activate: false)
    try enrol("bob")
    let code = try totp(a.secret, at: now)
    assertExit(try run(["verify", subject, code]), 0)
    let wrong = try wrongSixDigits(secret: a.secret, at: now, not: [code])
    assertExit(try run(["verify", subject, wrong]), 1)
    let recovery = try generateRecoveryCodes(subject, count: 4)
    assertExit(try run(["recovery-codes", "use", subject, recovery[0]]), 0)
    let s = try newSession(subject, ["--ip", "203.0.113.10"])
    let d = try newDevice(subject, name: "kitchen tablet")
    let shown = try run(["code", subject])
    assertExit(shown, 0)
    return Subject(
      secrets: [a.secret, b.secret, s.token, d.token] + recovery
        + recovery.map { $0.replacingOccurrences(of: "-", with: "") },
      codes: [code, wrong, shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines)],
      authenticatorIDs: [a.id, b.id], sessionIDs: [s.id], deviceIDs: [d.id], sessionToken: s.token)
  }

  // MARK: users export

  func testExportHoldsEveryFactButNoSecretAndIsAudited() throws {
    let s = try makeSubject()
    let eventsBefore = try auditCount()
    let theirs = try auditListed(["--user", subject])
    let r = try run(["users", "export", subject, "--actor", "dpo"])
    assertExit(r, 0)
    guard let j = r.json else { return XCTFail("users export is not one JSON object\n\(r)") }
    XCTAssertEqual(r.lines.count, 1, "one JSON object (even without --format json)\n\(r)")

    // The user (the users show object, at the top level) and their authenticators,
    // without secrets.
    let user = j
    XCTAssertEqual(user["name"] as? String, subject, "\(j)")
    let userID = user["id"] as? String
    XCTAssertNotNil(userID)
    let auths = user["authenticators"] as? [[String: Any]] ?? []
    XCTAssertEqual(Set(auths.compactMap { $0["id"] as? String }), Set(s.authenticatorIDs), "\(user)")
    XCTAssertEqual(Set(auths.compactMap { $0["type"] as? String }), ["totp", "hotp"])
    for a in auths {
      XCTAssertNil(a["secret"], "an authenticator is exported without its secret: \(a)")
      XCTAssertNil(a["uri"], "an authenticator is exported without its URI: \(a)")
    }
    // Recovery codes: counts only.
    let rc = j["recovery_codes"] as? [String: Any] ?? [:]
    XCTAssertEqual(rc["remaining"] as? Int, 3, "\(j)")
    XCTAssertEqual(rc["total"] as? Int, 4, "\(j)")
    // Devices and sessions: without tokens.
    let devices = j["devices"] as? [[String: Any]] ?? []
    XCTAssertEqual(devices.compactMap { $0["id"] as? String }, s.deviceIDs)
    XCTAssertEqual(devices.first?["name"] as? String, "kitchen tablet")
    let sessions = j["sessions"] as? [[String: Any]] ?? []
    XCTAssertEqual(sessions.compactMap { $0["id"] as? String }, s.sessionIDs)
    XCTAssertEqual(sessions.first?["ip"] as? String, "203.0.113.10")
    for item in devices + sessions { XCTAssertNil(item["token"], "no token in \(item)") }
    // Their audit events, theirs only.
    let events = j["audit_events"] as? [[String: Any]] ?? []
    XCTAssertEqual(Set(eventIDs(events)), Set(eventIDs(theirs)), "the export holds exactly the user's events")
    XCTAssertTrue(events.allSatisfy { $0["user_id"] as? String == userID }, "\(events)")
    XCTAssertTrue(eventNames(events).contains("user.created"), "\(eventNames(events))")
    XCTAssertTrue(eventNames(events).contains("verify.failure"), "\(eventNames(events))")
    XCTAssertTrue(
      events.contains { $0["user_agent"] as? String == "enrol-portal" && $0["ip"] as? String == "203.0.113.9" })
    XCTAssertFalse(r.stdout.contains("\"bob\""), "nothing about other users\n\(r.stdout)")

    // No secret, token, recovery code or code anywhere in it.
    for secret in s.secrets {
      XCTAssertFalse(r.stdout.contains(secret), "the export holds a secret (\(secret.prefix(6))...)")
    }
    for code in s.codes { XCTAssertFalse(containsWord(r.stdout, code), "the export holds the code \(code)") }

    // Exporting is audited, by the actor.
    XCTAssertEqual(try auditCount(), eventsBefore + 1)
    let last = try auditListed(["--limit", "1"]).first ?? [:]
    XCTAssertEqual(last["event"] as? String, "user.exported")
    XCTAssertEqual(last["user"] as? String, subject)
    XCTAssertEqual(last["actor"] as? String, "dpo")

    // Unknown user: 67; a bad name: 64; neither is audited.
    assertError(try run(["users", "export", "nobody"]), 67, contains: ["nobody"])
    assertError(try run(["users", "export", "-x"]), 64)
    XCTAssertEqual(try auditCount(), eventsBefore + 1)
  }

  // MARK: users erase

  func testEraseRemovesTheUserAndEveryTraceOfTheName() throws {
    let s = try makeSubject()
    let userID = try show(subject)["id"] as? String ?? "?"
    let theirEvents = eventIDs(try auditListed(["--user", subject]))
    XCTAssertGreaterThan(theirEvents.count, 5)
    let before = try auditCount()

    let r = try run(["users", "erase", subject, "--format", "json", "--actor", "dpo"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["user_ids"] as? [String], [userID], r.description)

    // The user is gone.
    assertError(try run(["users", "show", subject]), 67)
    assertError(try run(["users", "export", subject]), 67)
    assertError(try run(["users", "erase", subject]), 67)
    assertError(try run(["audit", "list", "--user", subject]), 67)
    assertExit(try run(["verify", subject, "123456"]), 67)
    XCTAssertFalse(try run(["users", "list"]).stdout.contains(subject))
    XCTAssertFalse(try run(["sessions", "list"]).stdout.contains(s.sessionIDs[0]), "their sessions went with them")
    XCTAssertFalse(try run(["devices", "list"]).stdout.contains(s.deviceIDs[0]), "their devices went with them")
    assertExit(try run(["sessions", "check", s.sessionToken]), 1, "an erased user's session token is dead")

    // The chain still verifies, with every event kept and one more for the erasure.
    let j = try auditVerified()
    XCTAssertGreaterThanOrEqual(j["events"] as? Int ?? 0, before + 1)
    let all = try auditListed()
    for id in theirEvents { XCTAssertTrue(eventIDs(all).contains(id), "event #\(id) was kept") }
    // Their events show the id only.
    let theirs = all.filter { $0["user_id"] as? String == userID }
    XCTAssertGreaterThan(theirs.count, theirEvents.count)
    for e in theirs { XCTAssertTrue(e["user"] is NSNull, "an erased user's event shows the id only: \(e)") }
    let erased = all.first { $0["event"] as? String == "user.erased" }
    XCTAssertNotNil(erased, "the erasure is audited")
    XCTAssertEqual(erased?["user_id"] as? String, userID)
    XCTAssertTrue(erased?["user"] is NSNull, "\(String(describing: erased))")
    XCTAssertEqual(erased?["actor"] as? String, "dpo")
    let text = try run(["audit", "list"])
    XCTAssertTrue(text.stdout.contains(userID), "the text listing names the id\n\(text.stdout)")
    // Other users keep their names.
    XCTAssertTrue(all.contains { $0["user"] as? String == "bob" })

    // The name is nowhere: not in any audit output, not in any command's output...
    for (what, out) in try allAuditOutput() {
      XCTAssertFalse(out.contains(subject), "\(what) still shows the erased name\n\(out)")
      XCTAssertFalse(out.contains("zelda"), "\(what) still shows part of the erased name")
    }
    for args in [
      ["users", "list"], ["users", "list", "--format", "json"], ["status", "--format", "json"], ["sessions", "list"],
      ["devices", "list"],
    ] {
      XCTAssertFalse(try run(args).stdout.contains("zelda"), "\(args) shows the erased name")
    }
    // ... and not in any file beside the vault (they are encrypted; no leftover copy in clear).
    assertNotOnDisk([subject, "zelda", "kitchen tablet"] + s.secrets)
    // Its secrets are gone: no authenticator answers for it.
    assertExit(try run(["code", subject]), 67)

    // A new user of the same name is a new person: the old history stays unnamed.
    let again = try enrol(subject)
    let newID = try show(subject)["id"] as? String
    XCTAssertNotEqual(newID, userID, "a new id for a new user")
    let listed = try auditListed(["--user", subject])
    XCTAssertTrue(listed.allSatisfy { $0["user_id"] as? String == newID }, "\(listed)")
    XCTAssertEqual(eventNames(listed).sorted(), ["enrol.started", "user.created"])
    XCTAssertFalse(again.secret.isEmpty)
    XCTAssertTrue(try auditListed().filter { $0["user_id"] as? String == userID }.allSatisfy { $0["user"] is NSNull })
    XCTAssertGreaterThan(try auditCount(), 0)
  }

  // MARK: users remove keeps the name

  func testRemoveKeepsTheNameInTheHistory() throws {
    let s = try makeSubject()
    let userID = try show(subject)["id"] as? String
    let theirs = eventIDs(try auditListed(["--user", subject]))
    assertExit(try run(["users", "remove", subject]), 0)
    assertError(try run(["users", "show", subject]), 67)
    // The history still reads with the name, and --user still finds it.
    let listed = try auditListed(["--user", subject])
    XCTAssertEqual(
      Array(eventIDs(listed).suffix(theirs.count)), theirs, "the old events are all still listed under the name")
    // On top: the revocations of their session and device, and user.removed.
    XCTAssertEqual(
      eventNames(Array(listed.prefix(listed.count - theirs.count))).sorted(),
      ["device.revoked", "session.revoked", "user.removed"])
    XCTAssertEqual(listed.first?["event"] as? String, "user.removed")
    XCTAssertTrue(listed.allSatisfy { $0["user"] as? String == subject && $0["user_id"] as? String == userID })
    XCTAssertTrue(try run(["audit", "list"]).stdout.contains("user \(subject)"))
    XCTAssertTrue(try run(["audit", "export", "--format", "csv"]).stdout.contains(subject))
    // Removed, not erased: the factors are gone all the same.
    let exported = try run(["audit", "export"]).stdout
    for secret in s.secrets { XCTAssertFalse(exported.contains(secret)) }
    assertNotOnDisk(s.secrets)
    XCTAssertEqual(try auditVerified()["ok"] as? Bool, true)
  }

  /// A user removed earlier can still be erased later (an erasure request may come after
  /// the account was closed): the name kept for the history must be forgettable.
  func testEraseAfterRemoveForgetsTheName() throws {
    try makeSubject()
    let userID = try show(subject)["id"] as? String ?? "?"
    assertExit(try run(["users", "remove", subject]), 0)
    let r = try run(["users", "erase", subject])
    assertExit(r, 0, "users erase must reach a removed user's remembered name")
    for (what, out) in try allAuditOutput() {
      XCTAssertFalse(out.contains(subject), "\(what) still shows the name of a removed, then erased user")
    }
    XCTAssertTrue(
      try auditListed().contains { $0["event"] as? String == "user.erased" && $0["user_id"] as? String == userID })
    XCTAssertEqual(try auditVerified()["ok"] as? Bool, true)
  }
}
