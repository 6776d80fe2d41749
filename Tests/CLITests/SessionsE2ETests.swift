import Foundation
import XCTest

/// Issue 3, sessions: `sessions create | check | list | revoke`, `verify --session`
/// (docs/guide.md, "Sessions", "Security notes").
final class SessionsE2ETests: CLITestCase {
  var secret = ""
  let minute = CLITestCase.minute
  let hour = CLITestCase.hour
  let day = CLITestCase.day

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    secret = try enrol("alice").secret
  }

  func testCreatePrintsExactlyOneTokenLine() throws {
    let r = try run(["sessions", "create", "alice"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines.count, 1, "the token alone on stdout\n\(r)")
    let token = r.lines.first ?? ""
    XCTAssertTrue(isToken(token, prefix: "mfas_"), "mfas_ + URL-safe base64 of 32 bytes: \(token)")
    XCTAssertEqual(base64URLDecode(String(token.dropFirst(5)))?.count, 32)
    assertNotOnStderr([token], r)

    let j = try run(["sessions", "create", "alice", "--format", "json"])
    assertExit(j, 0)
    let jt = j.json?["token"] as? String ?? ""
    XCTAssertTrue(isToken(jt, prefix: "mfas_"), j.description)
    XCTAssertNotEqual(jt, token)
    XCTAssertTrue(matches(j.json?["id"] as? String ?? "", "^[0-9a-f]{8}$"), j.description)
    XCTAssertEqual(j.json?["expires"] as? String, rfc3339UTC(now + day), "default lifetime 24 h")
    try checkSession(token, 0)
    try checkSession(jt, 0)
    assertNotOnDisk([token, jt, String(token.dropFirst(5)), String(jt.dropFirst(5))])
    assertError(try run(["sessions", "create", "nobody"]), 67)
  }

  func testCheckPrintsTheUser() throws {
    let s = try newSession("alice")
    let r = try checkSession(s.token, 0)
    XCTAssertEqual(r.stdout, "alice\n")
    assertExit(try run(["sessions", "check"], stdin: s.token + "\n"), 0)
    assertExit(try run(["sessions", "check", "-"], stdin: s.token + "\n"), 0)
    let j = try run(["sessions", "check", s.token, "--format", "json"])
    assertExit(j, 0)
    XCTAssertEqual(j.json?["user"] as? String, "alice", j.description)
    XCTAssertEqual(j.json?["id"] as? String, s.id, j.description)
    XCTAssertEqual(j.json?["expires"] as? String, rfc3339UTC(now + day), j.description)
    assertNotOnStdout([s.token], j)
  }

  func testUnknownAndGarbageTokensAreRejected() throws {
    let s = try newSession("alice")
    var flipped = Array(s.token)
    flipped[12] = flipped[12] == "A" ? "B" : "A"
    let d = try newDevice("alice")
    for bad in [String(flipped), "garbage", "mfas_", s.token + "x", d.token, "mfad_" + String(s.token.dropFirst(5))] {
      let r = try checkSession(bad, 1, "'\(bad)'")
      XCTAssertEqual(r.stdout, "", r.description)
    }
    assertExit(try run(["sessions", "check"], stdin: "nonsense\n"), 1)
  }

  func testIdleTimeoutSlidesOnCheck() throws {
    let s = try newSession("alice")
    var t = now + 29 * minute
    try checkSession(s.token, 0, "29 min idle is fine", at: t)
    t += 29 * minute
    try checkSession(s.token, 0, "29 min after the last check", at: t)
    try checkSession(s.token, 1, "31 min after the last check", at: t + 31 * minute)
    let idle = try newSession("alice", at: now + 2 * hour)
    try checkSession(idle.token, 1, "idle 31 min without a check", at: now + 2 * hour + 31 * minute)
  }

  func testAbsoluteLifetime() throws {
    let s = try newSession("alice", ["--ttl", "1h"])
    for m: Int64 in [20, 40, 59] { try checkSession(s.token, 0, at: now + m * minute) }
    try checkSession(s.token, 1, "past --ttl 1h even though it was used", at: now + 61 * minute)

    // The default 24 h holds with checks kept up (a long idle timeout stands in for them).
    let d = try newSession("alice", ["--idle", "25h"])
    try checkSession(d.token, 0, at: now + day - minute)
    try checkSession(d.token, 1, "past the default 24 h", at: now + day + minute)
  }

  func testRememberIsThirtyDaysWithoutIdleTimeout() throws {
    let s = try newSession("alice", ["--remember"])
    let items = try run(["sessions", "list", "alice", "--format", "json"]).jsonLines ?? []
    let item = items.first { $0["id"] as? String == s.id }
    XCTAssertEqual(item?["expires"] as? String, rfc3339UTC(now + 30 * day), "\(items)")
    XCTAssertTrue(item?["idle_timeout_s"] is NSNull, "no idle timeout: \(items)")
    XCTAssertEqual(item?["remember"] as? Bool, true, "\(items)")
    try checkSession(s.token, 0, "no idle timeout with --remember", at: now + 29 * day)
    try checkSession(s.token, 1, "past 30 days", at: now + 30 * day + minute)
  }

  func testRememberWithIdleHasAnIdleTimeout() throws {
    let s = try newSession("alice", ["--remember", "--idle", "10m"])
    let t = now + 9 * minute
    try checkSession(s.token, 0, at: t)
    try checkSession(s.token, 1, "11 min after the last check", at: t + 11 * minute)
    let other = try newSession("alice", ["--remember", "--idle", "10m"], at: now + hour)
    try checkSession(other.token, 1, at: now + hour + 11 * minute)
  }

  func testAtMostFiveLiveTheSixthRevokesTheOldest() throws {
    var sessions: [(token: String, id: String)] = []
    for i in 0..<5 { sessions.append(try newSession("alice", at: now + Int64(i))) }
    let sixth = try newSession("alice", at: now + 5)
    let ids = try listedIDs(["sessions", "list", "alice"], at: now + 6)
    XCTAssertEqual(ids.count, 5)
    XCTAssertFalse(ids.contains(sessions[0].id), "the oldest was revoked")
    try checkSession(sessions[0].token, 1, "the oldest session was revoked", at: now + 6)
    for s in sessions.dropFirst() + [sixth] { try checkSession(s.token, 0, at: now + 7) }
    // Dead sessions do not count: after they expire, 5 new ones are all live.
    var fresh: [String] = []
    for i in 0..<5 { fresh.append(try newSession("alice", at: now + hour + Int64(i)).token) }
    for t in fresh { try checkSession(t, 0, at: now + hour + 10) }
  }

  func testListShowsIdsButNoTokens() throws {
    try enrol("bob")
    let a1 = try newSession("alice")
    let a2 = try newSession("alice", ["--remember", "--ip", "198.51.100.9", "--user-agent", "curl/8.5"])
    let b1 = try newSession("bob")
    let tokens = [a1.token, a2.token, b1.token]
    let all = try run(["sessions", "list"])
    assertExit(all, 0)
    for id in [a1.id, a2.id, b1.id] { XCTAssertTrue(all.stdout.contains(id), all.description) }
    assertNotOnStdout(tokens + tokens.map { String($0.dropFirst(5)) }, all)
    XCTAssertFalse(all.stdout.contains("mfas_"), all.description)
    let j = try run(["sessions", "list", "--format", "json"])
    assertExit(j, 0)
    XCTAssertEqual(j.jsonLines?.count, 3, j.description)
    for item in j.jsonLines ?? [] { XCTAssertNotNil(item["id"] as? String, "every item has an id: \(item)") }
    let remembered = j.jsonLines?.first { $0["id"] as? String == a2.id }
    XCTAssertEqual(remembered?["ip"] as? String, "198.51.100.9", j.description)
    XCTAssertEqual(remembered?["user_agent"] as? String, "curl/8.5", j.description)
    XCTAssertEqual(remembered?["user"] as? String, "alice", j.description)
    assertNotOnStdout(tokens, j)
    XCTAssertEqual(Set(try listedIDs(["sessions", "list", "alice"])), [a1.id, a2.id])
    XCTAssertEqual(try listedIDs(["sessions", "list", "bob"]), [b1.id])
    assertError(try run(["sessions", "list", "nobody"]), 67)
    // Expired sessions are never listed.
    XCTAssertEqual(try listedIDs(["sessions", "list", "alice"], at: now + hour), [a2.id])
  }

  func testRevokeById() throws {
    try enrol("bob")
    let s1 = try newSession("alice")
    let s2 = try newSession("alice")
    let b = try newSession("bob")
    assertExit(try run(["sessions", "revoke", s1.id]), 0)
    try checkSession(s1.token, 1, "a revoked session no longer works")
    try checkSession(s2.token, 0)
    assertError(try run(["sessions", "revoke", s1.id]), 66)
    assertError(try run(["sessions", "revoke", "deadbeef"]), 66)
    assertExit(try run(["sessions", "revoke", b.id]), 0, "ids of any user")
    try checkSession(b.token, 1)
    try checkSession(s2.token, 0)
  }

  func testRevokeAllLogsOutEverywhere() throws {
    try enrol("bob")
    let a = try (0..<3).map { _ in try newSession("alice") }
    let b = try newSession("bob")
    let before = vaultState()
    for bad in [
      ["sessions", "revoke"], ["sessions", "revoke", "--all"], ["sessions", "revoke", "--user", "alice"],
      ["sessions", "revoke", a[0].id, "--user", "alice", "--all"],
    ] {
      assertError(try run(bad), 64)
    }
    XCTAssertEqual(vaultState(), before)
    assertError(try run(["sessions", "revoke", "--user", "nobody", "--all"]), 67)
    let r = try run(["sessions", "revoke", "--user", "alice", "--all", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(Set(r.json?["revoked"] as? [String] ?? []), Set(a.map { $0.id }), r.description)
    for s in a { try checkSession(s.token, 1) }
    try checkSession(b.token, 0, "bob's session is not touched")
    XCTAssertEqual(try listedIDs(["sessions", "list", "alice"]), [])
  }

  func testRevokeNeverEchoesATokenGivenAsTheId() throws {
    let s = try newSession("alice")
    let r = try run(["sessions", "revoke", s.token])
    assertError(r, 66)
    assertNotOnStderr([s.token, String(s.token.dropFirst(5))], r)
    try checkSession(s.token, 0, "nothing was revoked")
  }

  func testVerifySessionPrintsATokenThatChecks() throws {
    let r = try run(["verify", "alice", try totp(secret, at: now), "--session"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines.count, 1, "the session token alone on stdout\n\(r)")
    let token = r.lines.first ?? ""
    XCTAssertTrue(isToken(token, prefix: "mfas_"), r.description)
    XCTAssertEqual(try checkSession(token, 0).stdout, "alice\n")

    // JSON, --remember, and the code from stdin.
    let t = now + 30
    let j = try run(
      ["verify", "alice", "--session", "--remember", "--format", "json"], stdin: try totp(secret, at: t) + "\n", at: t)
    assertExit(j, 0)
    let jt = j.json?["token"] as? String ?? ""
    XCTAssertTrue(isToken(jt, prefix: "mfas_"), j.description)
    try checkSession(jt, 0, "remembered: no idle timeout", at: t + 2 * day)

    // --ttl / --idle with --session.
    let t2 = now + 60
    let k = try run(["verify", "alice", try totp(secret, at: t2), "--session", "--idle", "5m"], at: t2)
    assertExit(k, 0)
    try checkSession(k.lines.first ?? "", 1, "idle 6 min with --idle 5m", at: t2 + 6 * minute)

    // A wrong code creates no session and prints no token.
    let t3 = now + 90
    let ids = try listedIDs(["sessions", "list", "alice"], at: t3)
    let w = try run(["verify", "alice", try wrongSixDigits(secret: secret, at: t3), "--session"], at: t3)
    assertExit(w, 1)
    XCTAssertEqual(w.stdout, "", w.description)
    XCTAssertFalse(w.stderr.contains("mfas_"), w.description)
    XCTAssertEqual(try listedIDs(["sessions", "list", "alice"], at: t3), ids)

    // Session options without --session are usage errors.
    for extra in [["--ttl", "1h"], ["--idle", "5m"], ["--remember"]] {
      assertError(try run(["verify", "alice", "123456"] + extra), 64)
    }
  }

  func testVerifyWithSessionAndTrustDevicePrintsBothTokens() throws {
    let r = try run(["verify", "alice", try totp(secret, at: now), "--session", "--trust-device", "laptop"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines.count, 2, "one token per line\n\(r)")
    let session = r.lines.first { $0.hasPrefix("mfas_") } ?? ""
    let device = r.lines.first { $0.hasPrefix("mfad_") } ?? ""
    XCTAssertTrue(isToken(session, prefix: "mfas_"), r.description)
    XCTAssertTrue(isToken(device, prefix: "mfad_"), r.description)
    try checkSession(session, 0)
    try checkDevice("alice", device, 0)
    assertNotOnDisk([session, device])
    let list = try run(["sessions", "list", "alice", "--format", "json"])
    XCTAssertEqual(
      list.jsonLines?.first?["device_name"] as? String, "laptop", "the session records the device name\n\(list)")
  }
}
