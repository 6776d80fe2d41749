// End-to-end tests for issue 4's audit log: the events every command appends (name,
// outcome, actor, ip, user agent, user, detail; never a secret), `audit list` and its
// filters, `audit export` (jsonl, csv), `audit verify` against a log whose bytes were
// edited, deleted, swapped, duplicated or cut short (the record layout of
// docs/FORMAT.md, "Audit log"), the uncommitted tail an interrupted write leaves,
// `audit reset` and `audit prune`.
import Foundation
import XCTest

// MARK: - Shared helpers (also used by StatusE2ETests and DataSubjectE2ETests)

/// The bytes of `<vault>.audit` cut along docs/FORMAT.md, "Audit log":
/// header (50) || record*, record = length u32 LE || seq u64 LE || sealed (length bytes).
struct AuditFileImage {
  static let headerLength = 50
  var header: [UInt8]
  /// Whole records (prefix and sealed part), in file order.
  var records: [[UInt8]]
  /// The commit mark after the last record (FORMAT.md, "Commit mark": 0xFFFFFFFF, seq,
  /// tag, mac; 44 bytes), empty when there is none.
  var mark: [UInt8]
  /// Bytes after the last complete record and the mark (a record cut short).
  var trailing: [UInt8]

  init?(_ data: Data?) {
    guard let data = data, data.count >= Self.headerLength else { return nil }
    let b = [UInt8](data)
    header = Array(b[0..<Self.headerLength])
    records = []
    var off = Self.headerLength
    while off + 12 <= b.count {
      let len = Int(b[off]) | Int(b[off + 1]) << 8 | Int(b[off + 2]) << 16 | Int(b[off + 3]) << 24
      guard off + 12 + len <= b.count else { break }
      records.append(Array(b[off..<(off + 12 + len)]))
      off += 12 + len
    }
    mark = []
    if off + 44 <= b.count, b[off..<(off + 4)].allSatisfy({ $0 == 0xFF }) {
      mark = Array(b[off..<(off + 44)])
      off += 44
    }
    trailing = Array(b[off...])
  }

  var data: Data { Data(header + records.flatMap { $0 } + mark + trailing) }

  static func seq(_ record: [UInt8]) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(record[4 + i]) << (8 * UInt64(i)) }
    return v
  }

  static func setSeq(_ record: inout [UInt8], _ seq: UInt64) {
    for i in 0..<8 { record[4 + i] = UInt8((seq >> (8 * UInt64(i))) & 0xFF) }
  }

  /// The anchor sequence number in the header (offset 26, u64 LE).
  var anchorSeq: UInt64 {
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(header[26 + i]) << (8 * UInt64(i)) }
    return v
  }

  /// The last record's tag (its last 16 bytes), hex.
  var lastTagHex: String? {
    records.last.map { $0.suffix(16).map { String(format: "%02x", $0) }.joined() }
  }
}

/// One event the tests expect: name, outcome, user name, and details that must be present
/// ("*": any value).
struct ExpectedAuditEvent {
  var name: String
  var outcome = "success"
  var user: String?
  var detail: [String: String] = [:]

  init(_ name: String, _ user: String?, outcome: String = "success", _ detail: [String: String] = [:]) {
    self.name = name
    self.user = user
    self.outcome = outcome
    self.detail = detail
  }
}

extension CLITestCase {
  var auditFile: String { vault + ".audit" }

  /// `audit list --format json` (newest first), asserting exit 0, one object per line and
  /// an integer `id` on each.
  func auditListed(
    _ extra: [String] = [], at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line
  ) throws -> [[String: Any]] {
    let r = try run(["audit", "list", "--format", "json"] + extra, at: t)
    assertExit(r, 0, "audit list failed", file: file, line: line)
    guard let items = r.jsonLines else {
      XCTFail("audit list --format json is not one JSON object per line\n\(r)", file: file, line: line)
      return []
    }
    for item in items where eventID(item) < 1 {
      XCTFail("a listed event has no id (a string of digits): \(item)", file: file, line: line)
    }
    return items
  }

  /// `audit export` (jsonl, oldest first), asserting exit 0 and one object per line.
  func auditExported(
    _ extra: [String] = [], at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line
  ) throws -> [[String: Any]] {
    let r = try run(["audit", "export"] + extra, at: t)
    assertExit(r, 0, "audit export failed", file: file, line: line)
    guard let items = r.jsonLines else {
      XCTFail("audit export is not one JSON object per line\n\(r)", file: file, line: line)
      return []
    }
    return items
  }

  /// `audit verify --format json`, asserting exit 0.
  func auditVerified(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let r = try run(["audit", "verify", "--format", "json"])
    assertExit(r, 0, "audit verify failed", file: file, line: line)
    guard let j = r.json else {
      XCTFail("audit verify --format json is not one object\n\(r)", file: file, line: line)
      return [:]
    }
    XCTAssertEqual(j["ok"] as? Bool, true, r.description, file: file, line: line)
    return j
  }

  /// The number of committed events `audit verify` counts.
  func auditCount(file: StaticString = #filePath, line: UInt = #line) throws -> Int {
    (try auditVerified(file: file, line: line)["events"] as? Int) ?? -1
  }

  /// `audit verify` fails with 65 and names record `k` as the first bad one.
  @discardableResult
  func assertAuditTampered(
    at k: Int, _ why: String = "", also: [String] = [], file: StaticString = #filePath, line: UInt = #line
  ) throws -> RunResult {
    let r = try run(["audit", "verify"])
    assertError(r, 65, contains: ["at record \(k):"] + also, file: file, line: line)
    if r.code != 65 || !r.stderr.contains("at record \(k):") {
      XCTFail("\(why): expected record \(k) to be named as the first bad one\n\(r)", file: file, line: line)
    }
    return r
  }

  func eventNames(_ events: [[String: Any]]) -> [String] { events.map { ($0["event"] as? String) ?? "?" } }
  /// An event's id: its sequence number, as a string in JSON like every id.
  func eventID(_ e: [String: Any]?) -> Int { (e?["id"] as? String).flatMap { Int($0) } ?? -1 }
  func eventIDs(_ events: [[String: Any]]) -> [Int] { events.map { eventID($0) } }

  /// Checks one decoded event against an expectation.
  func assertEvent(
    _ e: [String: Any], _ x: ExpectedAuditEvent, _ context: String = "", file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertEqual(e["event"] as? String, x.name, "\(context): event name in \(e)", file: file, line: line)
    XCTAssertEqual(
      e["outcome"] as? String, x.outcome, "\(context): outcome of \(x.name) in \(e)", file: file, line: line)
    XCTAssertEqual(e["user"] as? String, x.user, "\(context): user of \(x.name) in \(e)", file: file, line: line)
    if x.user != nil {
      XCTAssertNotNil(e["user_id"] as? String, "\(context): \(x.name) has no user_id: \(e)", file: file, line: line)
    }
    let detail = e["detail"] as? [String: Any] ?? [:]
    for (k, v) in x.detail {
      guard let got = detail[k] as? String else {
        XCTFail("\(context): \(x.name) has no detail '\(k)': \(e)", file: file, line: line)
        continue
      }
      if v != "*" { XCTAssertEqual(got, v, "\(context): detail '\(k)' of \(x.name) in \(e)", file: file, line: line) }
    }
  }

  /// Runs python3 with a script (skips when python3 is missing).
  func python(_ script: String, _ args: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws
    -> RunResult
  {
    guard Binary.tool("python3") != nil else { throw XCTSkip("python3 is not installed") }
    return try tool("python3", ["-c", script] + args, file: file, line: line)
  }

  /// `needle` occurs in `text` as a word of its own (a 6-digit code inside a longer run of
  /// digits or a hex id is a coincidence, not a leak).
  func containsWord(_ text: String, _ needle: String) -> Bool {
    let escaped = NSRegularExpression.escapedPattern(for: needle)
    return text.range(of: "(^|[^A-Za-z0-9])\(escaped)([^A-Za-z0-9]|$)", options: .regularExpression) != nil
  }

  /// Every way the audit log can be read, as text: list (text and JSON), export (jsonl and csv).
  func allAuditOutput(file: StaticString = #filePath, line: UInt = #line) throws -> [(String, String)] {
    var out: [(String, String)] = []
    for args in [
      ["audit", "list"], ["audit", "list", "--format", "json"], ["audit", "export"],
      ["audit", "export", "--format", "jsonl"], ["audit", "export", "--format", "csv"],
    ] {
      let r = try run(args)
      assertExit(r, 0, file: file, line: line)
      out.append((args.joined(separator: " "), r.stdout + r.stderr))
    }
    return out
  }

  /// Makes a log of exactly six committed events: enrol (user.created, enrol.started) and
  /// four `code` reads. Returns the user's secret.
  @discardableResult
  func sixEventLog(file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let e = try enrol("alice", file: file, line: line)
    for _ in 0..<4 { assertExit(try run(["code", "alice"]), 0, file: file, line: line) }
    guard let img = AuditFileImage(bytes(auditFile)) else {
      XCTFail("no audit log at \(auditFile)", file: file, line: line)
      throw Binary.Failure(description: "no audit log")
    }
    XCTAssertEqual(img.records.count, 6, "expected six records in the audit file", file: file, line: line)
    XCTAssertEqual(img.records.map(AuditFileImage.seq), [1, 2, 3, 4, 5, 6], file: file, line: line)
    XCTAssertTrue(img.trailing.isEmpty, file: file, line: line)
    return e.secret
  }

  func auditImage(file: StaticString = #filePath, line: UInt = #line) throws -> AuditFileImage {
    guard let img = AuditFileImage(bytes(auditFile)) else {
      XCTFail("no readable audit log at \(auditFile)", file: file, line: line)
      throw Binary.Failure(description: "no audit log")
    }
    return img
  }
}

// MARK: - Tests

final class AuditE2ETests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  // MARK: Events

  /// Each state-changing command and each secret read appends the right events, with
  /// actor, ip, user agent, user, detail and the clock; and no secret ever reaches the log.
  func testEveryCommandAppendsItsEventsAndNoSecretReachesTheLog() throws {
    let who = ["--actor", "admin-7", "--ip", "192.0.2.7", "--user-agent", "ops-console/2.1"]
    var last = 0
    var secrets: [String] = []  // never in any audit output or in the audit file
    var codes: [String] = []  // 6-digit codes: never in the output as a word of their own
    var stepTime: [Int: Int64] = [:]  // event id -> the clock of its command

    func step(
      _ what: String, _ args: [String], _ expected: Int32, at t: Int64, stdin: String? = nil,
      _ events: [ExpectedAuditEvent], file: StaticString = #filePath, line: UInt = #line
    ) throws -> RunResult {
      let r = try run(args + who, stdin: stdin, at: t)
      assertExit(r, expected, what, file: file, line: line)
      let new = try auditListed(file: file, line: line).filter { eventID($0) > last }.reversed()
      XCTAssertEqual(
        eventNames(Array(new)), events.map { $0.name }, "\(what): the events appended", file: file, line: line)
      for (e, x) in zip(new, events) { assertEvent(e, x, what, file: file, line: line) }
      for e in new {
        let id = eventID(e)
        XCTAssertEqual(id, last + 1, "\(what): ids grow by one: \(e)", file: file, line: line)
        last = max(last, id)
        stepTime[id] = t
      }
      return r
    }

    var t = now
    // enrol: a new user, an active authenticator.
    var r = try step(
      "enrol alice", ["enrol", "alice", "--activate", "--format", "json"], 0, at: t,
      [
        .init("user.created", "alice"),
        .init("enrol.started", "alice", ["authenticator": "*", "type": "totp", "state": "active"]),
      ])
    let alice = (r.json?["secret"] as? String) ?? ""
    let aliceAuth = (r.json?["id"] as? String) ?? ""
    secrets.append(alice)
    XCTAssertFalse(alice.isEmpty, r.description)
    // A pending one, then its confirmation.
    r = try step(
      "enrol bob", ["enrol", "bob", "--format", "json"], 0, at: t,
      [
        .init("user.created", "bob"),
        .init("enrol.started", "bob", ["authenticator": "*", "type": "totp", "state": "pending"]),
      ])
    let bob = (r.json?["secret"] as? String) ?? ""
    secrets.append(bob)
    let bobCode = try totp(bob, at: t)
    codes.append(bobCode)
    _ = try step(
      "enrol --confirm", ["enrol", "bob", "--confirm", bobCode], 0, at: t,
      [.init("enrol.confirmed", "bob", ["authenticator": "*"])])

    // verify: accepted, replayed, rejected.
    t += 30
    let good = try totp(alice, at: t)
    codes.append(good)
    _ = try step(
      "verify ok", ["verify", "alice", good], 0, at: t,
      [.init("verify.success", "alice", ["method": "totp", "authenticator": aliceAuth, "offset": "0"])])
    _ = try step(
      "verify replay", ["verify", "alice", good], 1, at: t, [.init("verify.replay", "alice", outcome: "failure")])
    let bad = try wrongSixDigits(secret: alice, at: t)
    codes.append(bad)
    _ = try step(
      "verify wrong", ["verify", "alice"], 1, at: t, stdin: bad + "\n",
      [.init("verify.failure", "alice", outcome: "failure")])

    // code USER reads the secret: audited.
    r = try step("code", ["code", "alice"], 0, at: t, [.init("code.shown", "alice", ["authenticator": aliceAuth])])
    codes.append(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))

    // Recovery codes: generated, used, rejected, and used through verify.
    r = try step(
      "recovery generate", ["recovery-codes", "generate", "alice", "--count", "3", "--format", "json"], 0, at: t,
      [.init("recovery.generated", "alice", ["count": "3"])])
    let recovery = (r.json?["codes"] as? [String]) ?? []
    XCTAssertEqual(recovery.count, 3, r.description)
    secrets += recovery + recovery.map { $0.replacingOccurrences(of: "-", with: "") }
    _ = try step(
      "recovery use", ["recovery-codes", "use", "alice", recovery.first ?? ""], 0, at: t,
      [.init("recovery.used", "alice", ["remaining": "2"])])
    _ = try step(
      "recovery wrong", ["recovery-codes", "use", "alice", "ZZZZZ-ZZZZZ"], 1, at: t,
      [.init("recovery.failure", "alice", outcome: "failure")])
    _ = try step(
      "verify --allow-recovery", ["verify", "alice", recovery.dropFirst().first ?? "", "--allow-recovery"], 0, at: t,
      [.init("recovery.used", "alice", ["remaining": "1"]), .init("verify.success", "alice", ["method": "recovery"])])

    // Sessions.
    r = try step(
      "sessions create", ["sessions", "create", "alice", "--format", "json"], 0, at: t,
      [.init("session.created", "alice", ["session": "*"])])
    let session = (r.json?["token"] as? String) ?? ""
    let sessionID = (r.json?["id"] as? String) ?? ""
    secrets.append(session)
    // A successful check is a read (docs/guide.md, "Sessions"): no event.
    _ = try step("sessions check", ["sessions", "check", session], 0, at: t, [])
    _ = try step(
      "sessions revoke", ["sessions", "revoke", sessionID], 0, at: t,
      [.init("session.revoked", "alice", ["session": sessionID])])

    // Trusted devices (a name with a comma, for the CSV).
    r = try step(
      "devices trust", ["devices", "trust", "alice", "--name", "work laptop, 2nd", "--format", "json"], 0, at: t,
      [.init("device.trusted", "alice", ["device": "*", "name": "work laptop, 2nd"])])
    let device = (r.json?["token"] as? String) ?? ""
    let deviceID = (r.json?["id"] as? String) ?? ""
    secrets.append(device)
    _ = try step("devices check", ["devices", "check", "alice", device], 0, at: t, [])
    _ = try step(
      "devices check, wrong token", ["devices", "check", "alice", "mfad_" + String(repeating: "A", count: 43)], 1,
      at: t,
      [.init("device.rejected", "alice", outcome: "failure")])
    _ = try step(
      "devices revoke", ["devices", "revoke", "alice", deviceID], 0, at: t,
      [.init("device.revoked", "alice", ["device": deviceID])])

    // A challenge code, accepted by verify.
    r = try step(
      "challenge send", ["challenge", "send", "alice"], 0, at: t,
      [.init("challenge.sent", "alice", ["challenge": "*", "delivery": "stdout"])])
    let challenge = r.lines.first ?? ""
    codes.append(challenge)
    _ = try step(
      "verify challenge", ["verify", "alice", challenge], 0, at: t,
      [.init("verify.success", "alice", ["method": "challenge"])])

    // Administration.
    t += 30
    let diag = try totp(alice, at: t + 60)
    codes.append(diag)
    _ = try step(
      "users diagnose", ["users", "diagnose", "alice", diag], 0, at: t,
      [.init("diagnose.run", "alice", outcome: "failure", ["matches": "*"])])
    _ = try step(
      "users unlock", ["users", "unlock", "alice"], 0, at: t, [.init("user.unlocked", "alice", ["failures": "*"])])
    _ = try step("users disable", ["users", "disable", "bob"], 0, at: t, [.init("user.disabled", "bob")])
    _ = try step("users enable", ["users", "enable", "bob"], 0, at: t, [.init("user.enabled", "bob")])
    _ = try step("users set", ["users", "set", "bob", "--role", "ops"], 0, at: t, [.init("user.policy", "bob")])

    // HOTP: resync from two consecutive codes.
    r = try step(
      "enrol hotp", ["enrol", "carol", "--type", "hotp", "--activate", "--format", "json"], 0, at: t,
      [.init("user.created", "carol"), .init("enrol.started", "carol", ["type": "hotp"])])
    let carol = (r.json?["secret"] as? String) ?? ""
    secrets.append(carol)
    let (h1, h2) = (try hotp(carol, counter: 40), try hotp(carol, counter: 41))
    codes += [h1, h2]
    _ = try step(
      "users resync", ["users", "resync", "carol", h1, h2], 0, at: t,
      [.init("authenticator.resynced", "carol", ["authenticator": "*"])])

    // A secret given on the command line, an authenticator removed, a user removed.
    let given = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
    secrets.append(given)
    r = try step(
      "enrol --secret", ["enrol", "dave", "--secret", given, "--activate", "--format", "json"], 0, at: t,
      [.init("user.created", "dave"), .init("enrol.started", "dave", ["state": "active"])])
    let daveAuth = (r.json?["id"] as? String) ?? ""
    _ = try step(
      "users remove --authenticator", ["users", "remove", "dave", "--authenticator", daveAuth], 0, at: t,
      [.init("authenticator.removed", "dave", ["authenticator": daveAuth])])
    _ = try step("users remove", ["users", "remove", "dave"], 0, at: t, [.init("user.removed", "dave")])

    // Lockout: five failures, then a refused try.
    t += 30
    let bobWrong = try wrongSixDigits(secret: bob, at: t)
    codes.append(bobWrong)
    for i in 1...5 {
      _ = try step(
        "bob failure \(i)", ["verify", "bob", bobWrong], 1, at: t, [.init("verify.failure", "bob", outcome: "failure")])
    }
    _ = try step(
      "verify while locked", ["verify", "bob", try totp(bob, at: t)], 2, at: t,
      [.init("verify.locked", "bob", outcome: "failure", ["until": "*"])])

    // Every event carries the actor, ip, user agent and the overridden clock.
    let all = try auditListed()
    XCTAssertEqual(all.count, last)
    for e in all {
      XCTAssertEqual(e["actor"] as? String, "admin-7", "\(e)")
      XCTAssertEqual(e["ip"] as? String, "192.0.2.7", "\(e)")
      XCTAssertEqual(e["user_agent"] as? String, "ops-console/2.1", "\(e)")
      XCTAssertEqual(e["clock_overridden"] as? Bool, true, "\(e)")
      if let at = stepTime[eventID(e)] {
        XCTAssertEqual(e["time"] as? String, rfc3339UTC(at), "the event's time is its command's clock: \(e)")
      }
    }
    // The text listing says the same in its own words.
    let text = try run(["audit", "list"])
    assertExit(text, 0)
    XCTAssertEqual(text.lines.count, last, text.description)
    XCTAssertTrue(
      text.lines.allSatisfy { $0.contains("by admin-7") && $0.contains("192.0.2.7") && $0.contains("[MFACTL_NOW]") },
      text.stdout)

    // No secret, code, recovery code or token in any audit output...
    secrets = secrets.filter { !$0.isEmpty }
    codes = codes.filter { !$0.isEmpty }
    XCTAssertGreaterThan(codes.count, 8)
    for (what, out) in try allAuditOutput() {
      for s in secrets { XCTAssertFalse(out.contains(s), "\(what) shows a secret (\(s.prefix(6))...)") }
      for c in codes { XCTAssertFalse(containsWord(out, c), "\(what) shows the code \(c)\n\(out)") }
    }
    // ... nor in the audit file, which holds no plaintext at all.
    let raw = bytes(auditFile) ?? Data()
    XCTAssertGreaterThan(raw.count, 1000)
    for s in secrets + codes + [
      "alice", "bob", "admin-7", "192.0.2.7", "ops-console", "verify.success", "recovery.used", "work laptop",
    ] {
      XCTAssertNil(raw.range(of: Data(s.utf8)), "'\(s.prefix(6))...' is in clear in the audit file")
    }
    assertNotOnDisk(secrets)
    XCTAssertEqual(try auditCount(), last)
  }

  /// Actor: --actor, else $SUDO_USER, else the login name. MFACTL_NOW is marked.
  func testActorDefaultsAndClockOverride() throws {
    let loginEnv: [String: String?] = ["SUDO_USER": nil, "LOGNAME": "login-lee", "USER": "login-lee"]
    var env = loginEnv
    env["SUDO_USER"] = "sudo-sam"
    assertExit(try run(["enrol", "alice", "--activate", "--actor", "cli-ann"], env: env), 0)
    assertExit(try run(["code", "alice"], env: env), 0)
    assertExit(try run(["code", "alice"], env: loginEnv), 0)
    assertExit(
      try run(["code", "alice", "--ip", "2001:db8::1", "--user-agent", "pam_exec"], env: env, at: now + 60), 0)
    var real = loginEnv
    real.updateValue(nil, forKey: "MFACTL_NOW")  // removes the variable from the run
    assertExit(try run(["code", "alice"], env: real), 0)

    let events = try auditListed().reversed().map { $0 }
    XCTAssertEqual(
      eventNames(events), ["user.created", "enrol.started", "code.shown", "code.shown", "code.shown", "code.shown"])
    guard events.count == 6 else { return }
    XCTAssertEqual(
      events.map { $0["actor"] as? String }, ["cli-ann", "cli-ann", "sudo-sam", "login-lee", "sudo-sam", "login-lee"])
    XCTAssertTrue(events[2]["ip"] is NSNull, "no --ip: null, \(events[2])")
    XCTAssertTrue(events[2]["user_agent"] is NSNull, "\(events[2])")
    XCTAssertEqual(events[4]["ip"] as? String, "2001:db8::1")
    XCTAssertEqual(events[4]["user_agent"] as? String, "pam_exec")
    XCTAssertEqual(events[4]["time"] as? String, rfc3339UTC(now + 60))
    for e in events.prefix(5) { XCTAssertEqual(e["clock_overridden"] as? Bool, true, "\(e)") }
    // Without MFACTL_NOW: the real clock, not marked.
    XCTAssertEqual(events[5]["clock_overridden"] as? Bool, false, "\(events[5])")
    let realNow = Int64(Date().timeIntervalSince1970)
    let times = (realNow - 120...realNow + 5).map(rfc3339UTC)
    XCTAssertTrue(times.contains(events[5]["time"] as? String ?? ""), "\(events[5]) is not the real time")
    let text = try run(["audit", "list", "--limit", "1"])
    XCTAssertFalse(text.stdout.contains("MFACTL_NOW"), text.description)
    let marked = try run(["audit", "list", "--limit", "1", "--event", "enrol.started"])
    XCTAssertTrue(marked.stdout.contains("MFACTL_NOW"), marked.description)
  }

  /// Commands that change the vault's keys change state too, and are audited; a rekey
  /// keeps every event readable and the chain intact.
  func testVaultKeyCommandsAreAuditedAndRekeyKeepsTheLog() throws {
    try sixEventLog()
    let before = try auditExported()
    let key2 = dir + "/second.key"
    assertExit(try run(["vault", "add-key-file", key2]), 0)
    let afterAdd = try auditCount()
    XCTAssertGreaterThan(
      afterAdd, 6, "vault add-key-file changes state (a key slot) and must append an event (SPEC, Audit)")
    let r = try run(["vault", "rekey", "--also-key-file", key2])
    assertExit(r, 0)
    let afterRekey = try auditExported()
    XCTAssertGreaterThan(afterRekey.count, afterAdd, "vault rekey changes state and must append an event (SPEC, Audit)")
    // The old events are the same events after the log was sealed again under the new key.
    XCTAssertEqual(eventIDs(Array(afterRekey.prefix(6))), eventIDs(before))
    XCTAssertEqual(eventNames(Array(afterRekey.prefix(6))), eventNames(before))
    assertExit(try run(["vault", "remove-key-file", key2]), 0)
    XCTAssertGreaterThan(try auditCount(), afterRekey.count, "vault remove-key-file must append an event (SPEC, Audit)")
  }

  /// A command that fails (not found, usage, cannot create) appends nothing; only a
  /// rejected sign-in is recorded.
  func testFailedCommandsAppendNothing() throws {
    try enrol("alice")
    try write(dir + "/taken.png", "x")
    let (v, l) = (vaultState(), bytes(auditFile))
    assertExit(try run(["users", "disable", "nobody"]), 67)
    assertExit(try run(["code", "nobody"]), 67)
    assertExit(try run(["users", "export", "nobody"]), 67)
    assertExit(try run(["enrol", "bob", "--qr-png", dir + "/taken.png"]), 73)
    assertExit(try run(["enrol", "-bad"]), 64)
    assertExit(try run(["sessions", "revoke", "nosuchid"]), 66)
    XCTAssertEqual(vaultState(), v)
    XCTAssertEqual(bytes(auditFile), l)
    XCTAssertEqual(try auditCount(), 2)
  }

  /// Writers running at once: every acknowledged event is in the log, numbered without a
  /// gap, and the chain verifies.
  func testConcurrentWritersKeepOneUnbrokenChain() throws {
    try sixEventLog()
    let procs = try (0..<12).map { i in
      try start(
        i % 2 == 0
          ? ["code", "alice", "--actor", "p\(i)"] : ["users", "set", "alice", "--role", "r\(i)", "--actor", "p\(i)"])
    }
    for p in procs { assertExit(p.wait(), 0) }
    let j = try auditVerified()
    XCTAssertEqual(j["events"] as? Int, 18)
    XCTAssertEqual(j["uncommitted"] as? Int, 0)
    let events = try auditListed()
    XCTAssertEqual(eventIDs(events), Array((1...18).reversed()))
    XCTAssertEqual(
      Set(events.compactMap { $0["actor"] as? String }.filter { $0.hasPrefix("p") }), Set((0..<12).map { "p\($0)" }))
  }

  /// A prune rewrites the file as `.audit.next`, commits the vault, then renames. A crash
  /// before the vault commit leaves the old log; one after it, the new one; readers and the
  /// next writer pick the right file (FORMAT.md, "Rewriting the log").
  func testAnInterruptedPruneLeavesTheOldOrTheNewLog() throws {
    let t1 = now + Self.day
    try enrol("alice")  // #1, #2 at now
    assertExit(try run(["code", "alice"], at: t1), 0)  // #3
    assertExit(try run(["code", "alice"], at: t1), 0)  // #4
    let journal = vault + ".journal"
    let (oldVault, oldLog, oldJournal) = (vaultState() ?? Data(), bytes(auditFile) ?? Data(), bytes(journal))
    assertExit(try run(["audit", "prune", "--before", String(t1)], at: t1 + 10), 0)  // keeps #3, #4; adds #5
    let (newVault, newLog) = (vaultState() ?? Data(), bytes(auditFile) ?? Data())
    XCTAssertNotEqual(oldLog, newLog)
    let next = auditFile + ".next"
    func restoreJournal() throws {
      if let j = oldJournal { try writeBytes(journal, j) } else if exists(journal) { try writeBytes(journal, Data()) }
    }

    // Crash before the vault commit: old vault, old log, the new one waiting as .next.
    try writeBytes(vault, oldVault)
    try restoreJournal()
    try writeBytes(auditFile, oldLog)
    try writeBytes(next, newLog)
    XCTAssertEqual(eventIDs(try auditListed()), [4, 3, 2, 1], "the old log is the committed one")
    assertExit(try run(["users", "disable", "alice"], at: t1 + 20), 0)
    XCTAssertFalse(exists(next), "the next writer removes a rewrite that was never committed")
    XCTAssertEqual(eventIDs(try auditListed()), [5, 4, 3, 2, 1])
    XCTAssertEqual(try auditImage().anchorSeq, 0)

    // Crash after the vault commit, before the rename: new vault, old .audit, new .next.
    try writeBytes(vault, newVault)
    try restoreJournal()
    try writeBytes(auditFile, oldLog)
    try writeBytes(next, newLog)
    let j = try auditVerified()
    XCTAssertEqual(j["events"] as? Int, 3, "readers use .audit.next, which matches the head")
    XCTAssertEqual(eventIDs(try auditListed()), [5, 4, 3])
    assertExit(try run(["users", "disable", "alice"], at: t1 + 20), 0)
    XCTAssertFalse(exists(next), "the next writer completes the rename")
    XCTAssertEqual(eventIDs(try auditListed()), [6, 5, 4, 3])
    XCTAssertEqual(try auditImage().anchorSeq, 2)
    XCTAssertEqual(try auditCount(), 4)
  }

  // MARK: audit list

  func testListIsNewestFirstAndFilters() throws {
    let t1 = now, t2 = now + 100, t3 = now + 200
    let a = try enrol("alice")  // #1 user.created, #2 enrol.started (t1)
    try enrol("bob")  // #3, #4 (t1)
    assertExit(try run(["verify", "alice", try totp(a.secret, at: t2)], at: t2), 0)  // #5 verify.success (t2)
    assertExit(try run(["verify", "bob", "000000"], at: t2), 1)  // #6 verify.failure bob (t2)
    assertExit(try run(["verify", "alice", try wrongSixDigits(secret: a.secret, at: t3)], at: t3), 1)  // #7 (t3)
    assertExit(try run(["code", "alice"], at: t3), 0)  // #8 code.shown (t3)

    let all = try auditListed()
    XCTAssertEqual(eventIDs(all), [8, 7, 6, 5, 4, 3, 2, 1], "newest first")
    XCTAssertEqual(
      eventNames(all),
      [
        "code.shown", "verify.failure", "verify.failure", "verify.success", "enrol.started", "user.created",
        "enrol.started", "user.created",
      ])
    // Text: one line per event, the same order.
    let text = try run(["audit", "list"])
    XCTAssertEqual(text.lines.count, 8, text.description)
    XCTAssertTrue(text.lines.first?.contains("#8") ?? false, text.stdout)
    XCTAssertTrue(text.lines.last?.contains("#1") ?? false, text.stdout)

    // --user
    XCTAssertEqual(eventIDs(try auditListed(["--user", "alice"])), [8, 7, 5, 2, 1])
    XCTAssertEqual(eventIDs(try auditListed(["--user", "bob"])), [6, 4, 3])
    assertError(try run(["audit", "list", "--user", "nobody"]), 67, contains: ["nobody"])
    assertError(try run(["audit", "list", "--user", "bad name!"]), 64)
    // --event: exact, and a prefix
    XCTAssertEqual(eventIDs(try auditListed(["--event", "verify.failure"])), [7, 6])
    XCTAssertEqual(eventIDs(try auditListed(["--event", "verify.*"])), [7, 6, 5])
    XCTAssertEqual(eventIDs(try auditListed(["--event", "verify."])), [7, 6, 5])
    XCTAssertEqual(eventIDs(try auditListed(["--event", "enrol.started"])), [4, 2])
    XCTAssertEqual(eventIDs(try auditListed(["--event", "no.such.event"])), [])
    // --since / --until: RFC 3339 (Z or an offset) and Unix seconds, inclusive.
    XCTAssertEqual(eventIDs(try auditListed(["--since", rfc3339UTC(t2)])), [8, 7, 6, 5])
    XCTAssertEqual(eventIDs(try auditListed(["--since", String(t2)])), [8, 7, 6, 5])
    XCTAssertEqual(eventIDs(try auditListed(["--since", String(t2 + 1)])), [8, 7])
    XCTAssertEqual(eventIDs(try auditListed(["--until", rfc3339UTC(t2)])), [6, 5, 4, 3, 2, 1])
    XCTAssertEqual(eventIDs(try auditListed(["--until", String(t1)])), [4, 3, 2, 1])
    XCTAssertEqual(eventIDs(try auditListed(["--since", String(t2), "--until", String(t2)])), [6, 5])
    let plusOne = rfc3339UTC(t2 + 3600).replacingOccurrences(of: "Z", with: "+01:00")  // the same instant as t2
    XCTAssertEqual(eventIDs(try auditListed(["--since", plusOne, "--until", plusOne])), [6, 5])
    for bad in ["yesterday", "2023-13-01T00:00:00Z", ""] {
      assertError(try run(["audit", "list", "--since", bad]), 64)
    }
    // --failures
    let failures = try auditListed(["--failures"])
    XCTAssertEqual(eventIDs(failures), [7, 6])
    XCTAssertTrue(failures.allSatisfy { $0["outcome"] as? String == "failure" })
    // --limit: the newest N.
    XCTAssertEqual(eventIDs(try auditListed(["--limit", "3"])), [8, 7, 6])
    XCTAssertEqual(eventIDs(try auditListed(["--limit", "100"])).count, 8)
    assertError(try run(["audit", "list", "--limit", "0"]), 64)
    XCTAssertEqual(try run(["audit", "list", "--limit", "2"]).lines.count, 2)
    // Combined.
    XCTAssertEqual(eventIDs(try auditListed(["--user", "alice", "--failures"])), [7])
    XCTAssertEqual(eventIDs(try auditListed(["--user", "alice", "--event", "verify.*", "--limit", "1"])), [7])
    XCTAssertEqual(eventIDs(try auditListed(["--user", "bob", "--since", String(t3)])), [])
    // Nothing matches: JSON prints nothing, text says so, both exit 0.
    let none = try run(["audit", "list", "--format", "json", "--event", "no.such.event"])
    assertExit(none, 0)
    XCTAssertEqual(none.stdout, "")
    let noneText = try run(["audit", "list", "--event", "no.such.event"])
    assertExit(noneText, 0)
    XCTAssertEqual(noneText.lines.count, 1, noneText.description)
    // Listing reads only: the vault and the log are unchanged.
    let (v, l) = (vaultState(), bytes(auditFile))
    _ = try auditListed()
    XCTAssertEqual(vaultState(), v)
    XCTAssertEqual(bytes(auditFile), l)
  }

  func testEmptyLogListsAndVerifies() throws {
    let r = try run(["audit", "verify"])
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("0 events"), r.description)
    XCTAssertEqual(try auditListed().count, 0)
    XCTAssertEqual(try auditExported().count, 0)
    let csv = try run(["audit", "export", "--format", "csv"])
    assertExit(csv, 0)
    XCTAssertEqual(csv.lines.count, 1, "only the header row\n\(csv)")
  }

  // MARK: audit verify

  func testVerifyReportsCountAndHeadOfAnIntactLog() throws {
    try sixEventLog()
    let img = try auditImage()
    let r = try run(["audit", "verify"])
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("6 events"), r.description)
    XCTAssertTrue(r.stdout.contains("#6"), r.description)
    let j = try auditVerified()
    XCTAssertEqual(j["events"] as? Int, 6)
    XCTAssertEqual(j["head_id"] as? String, "6")
    XCTAssertEqual(j["uncommitted"] as? Int, 0)
    // The head is the last record's tag (its last 16 bytes, FORMAT.md).
    XCTAssertEqual(j["head"] as? String, img.lastTagHex)
    XCTAssertTrue(r.stdout.contains(img.lastTagHex ?? "-"), r.description)
    // The file: magic, version 1, a zero anchor; mode 0600.
    XCTAssertEqual(Array(img.header[0..<8]), Array("MFAAUDIT".utf8))
    XCTAssertEqual(img.header[8], 1)
    XCTAssertEqual(img.header[9], 0)
    XCTAssertEqual(img.anchorSeq, 0)
    XCTAssertEqual(mode(auditFile), 0o600)
    // Verifying changes nothing.
    XCTAssertEqual(bytes(auditFile), img.data)
  }

  func testAnEditedByteIsDetectedAndLocated() throws {
    try sixEventLog()
    let original = try auditImage()
    let vaultBefore = vaultState()

    // A byte of record 3's ciphertext.
    var img = original
    img.records[2][12 + 24 + 3] ^= 0x01
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "edited ciphertext")
    assertError(try run(["audit", "list"]), 65, contains: ["record 3"])
    assertError(try run(["audit", "export"]), 65, contains: ["record 3"])
    assertError(try run(["audit", "export", "--format", "csv"]), 65, contains: ["record 3"])
    // A prune reads the chain first, so it refuses too, and changes nothing.
    assertError(try run(["audit", "prune", "--before", String(now + 10)]), 65, contains: ["record 3"])
    XCTAssertEqual(vaultState(), vaultBefore)

    // Record 3's tag (its last byte).
    img = original
    img.records[2][img.records[2].count - 1] ^= 0x80
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "edited tag")

    // Record 3's sequence number.
    img = original
    AuditFileImage.setSeq(&img.records[2], 9)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "renumbered record")

    // Record 3's length.
    img = original
    img.records[2][0] = 5
    img.records[2][1] = 0
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "edited length")

    // Record 1, and the last record.
    img = original
    img.records[0][20] ^= 0xFF
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 1, "edited first record")
    img = original
    img.records[5][30] ^= 0xFF
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 6, "edited last record")

    // The header's vault id: another vault's log.
    img = original
    img.header[14] ^= 0x01
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 1, "edited vault id")

    // Put back as it was: intact again.
    try writeBytes(auditFile, original.data)
    XCTAssertEqual(try auditCount(), 6)

    // Damage inside the committed part does not stop writers (FORMAT.md, "Refusing to
    // append"), and verify keeps naming it after later appends.
    img = original
    img.records[2][12 + 24 + 3] ^= 0x01
    try writeBytes(auditFile, img.data)
    assertExit(try run(["code", "alice"]), 0)
    try assertAuditTampered(at: 3, "edited, then appended to")
    let after = try auditImage()
    XCTAssertEqual(after.records.count, 7)
    XCTAssertEqual(Array(after.records.prefix(6)), img.records, "an append never rewrites earlier records")
  }

  func testAnEditedLastRecordStopsWriters() throws {
    let secret = try sixEventLog()
    var img = try auditImage()
    img.records[5][img.records[5].count - 2] ^= 0x10  // the tag the vault's head names
    try writeBytes(auditFile, img.data)
    let (v, l) = (vaultState(), bytes(auditFile))
    try assertAuditTampered(at: 6, "edited last tag")
    // Writers refuse (65), print no secret, and change nothing.
    let code = try run(["code", "alice"])
    assertError(code, 65, contains: ["record 6"])
    XCTAssertEqual(code.stdout, "", "code must not be shown when its read cannot be audited\n\(code)")
    let verify = try run(["verify", "alice", try totp(secret, at: now)])
    assertError(verify, 65)
    XCTAssertEqual(vaultState(), v)
    XCTAssertEqual(bytes(auditFile), l)
  }

  func testADeletedRecordIsDetectedAndLocated() throws {
    try sixEventLog()
    let original = try auditImage()
    let vaultBefore = vaultState()
    for k in [3, 1, 5] {
      var img = original
      img.records.remove(at: k - 1)
      try writeBytes(auditFile, img.data)
      try assertAuditTampered(at: k, "record \(k) deleted")
    }
    // Record 3 deleted: the file no longer ends where the head says, so writers refuse,
    // naming the damage.
    var img = original
    img.records.remove(at: 2)
    try writeBytes(auditFile, img.data)
    assertError(try run(["enrol", "bob"]), 65, contains: ["record 3"])
    assertError(try run(["users", "disable", "alice"]), 65)
    XCTAssertEqual(vaultState(), vaultBefore, "a refused write leaves the vault as it was")
    XCTAssertEqual(bytes(auditFile), img.data, "a refused write leaves the log as it was")
    let show = try run(["users", "show", "bob"])
    assertExit(show, 67, "bob was never created")
  }

  func testSwappedRecordsAreDetectedAndLocated() throws {
    try sixEventLog()
    let original = try auditImage()
    var img = original
    img.records.swapAt(2, 3)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "records 3 and 4 swapped")
    img = original
    img.records.swapAt(0, 1)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 1, "records 1 and 2 swapped")
    // Swapped with their numbers put back in order: they no longer authenticate.
    img = original
    img.records.swapAt(3, 4)
    AuditFileImage.setSeq(&img.records[3], 4)
    AuditFileImage.setSeq(&img.records[4], 5)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 4, "records 4 and 5 swapped and renumbered")
  }

  func testADuplicatedRecordIsDetectedAndLocated() throws {
    try sixEventLog()
    let original = try auditImage()
    // A copy of record 2 inserted after it.
    var img = original
    img.records.insert(original.records[1], at: 2)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "record 2 duplicated")
    // A copy of record 5 inserted before record 3.
    img = original
    img.records.insert(original.records[4], at: 2)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "record 5 copied before record 3")
    // A copy of record 2 renumbered as 3 and inserted: does not authenticate.
    img = original
    var copy = original.records[1]
    AuditFileImage.setSeq(&copy, 3)
    img.records.insert(copy, at: 2)
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 3, "record 2 copied as record 3")
  }

  func testATruncatedTailIsDetectedWritersRefuseAndResetRecovers() throws {
    try sixEventLog()
    let original = try auditImage()
    // The last record cut off whole.
    var img = original
    img.records.removeLast()
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 6, "last record cut off")
    // Cut in the middle of the last record.
    img = original
    let cut = img.records.removeLast()
    img.trailing = Array(cut.prefix(cut.count / 2))
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 6, "last record cut in half")
    // Only the header left.
    img = original
    img.records.removeAll()
    try writeBytes(auditFile, img.data)
    try assertAuditTampered(at: 1, "every record cut off")

    // Back to "last record cut off": every writing command refuses, naming record 6.
    img = original
    img.records.removeLast()
    try writeBytes(auditFile, img.data)
    let (v, l) = (vaultState(), bytes(auditFile))
    for args in [["enrol", "bob"], ["users", "disable", "alice"], ["code", "alice"], ["verify", "alice", "123456"]] {
      let r = try run(args)
      assertError(r, 65, contains: ["record 6"])
      if args[0] == "code" { XCTAssertEqual(r.stdout, "", "no code without its audit event\n\(r)") }
    }
    XCTAssertEqual(vaultState(), v)
    XCTAssertEqual(bytes(auditFile), l)

    // audit reset needs --force (64), then starts a new log anchored at the head.
    let noForce = try run(["audit", "reset"])
    assertError(noForce, 64, contains: ["--force"])
    XCTAssertEqual(bytes(auditFile), l)
    let reset = try run(["audit", "reset", "--force", "--actor", "ops"])
    assertExit(reset, 0)
    let j = try auditVerified()
    XCTAssertEqual(j["events"] as? Int, 1)
    XCTAssertEqual(j["head_id"] as? String, "7", "the new log continues the numbering from the vault's head")
    let events = try auditListed()
    XCTAssertEqual(eventNames(events), ["audit.reset"])
    XCTAssertEqual(eventID(events.first), 7)
    XCTAssertEqual(events.first?["actor"] as? String, "ops")
    XCTAssertEqual(try auditImage().anchorSeq, 6)
    // Writers work again, and the log keeps verifying.
    assertExit(try run(["code", "alice"]), 0)
    assertExit(try run(["enrol", "bob"]), 0)
    XCTAssertEqual(eventIDs(try auditListed()), [10, 9, 8, 7])
    XCTAssertEqual(try auditCount(), 4)
    XCTAssertFalse(exists(auditFile + ".next"))
  }

  func testADeletedLogIsDetectedAndResetRecovers() throws {
    try sixEventLog()
    let v = vaultState()
    try FileManager.default.removeItem(atPath: auditFile)
    try assertAuditTampered(at: 1, "log deleted", also: ["missing"])
    assertError(try run(["audit", "list"]), 65, contains: ["missing"])
    assertError(try run(["enrol", "bob"]), 65, contains: ["missing"])
    XCTAssertEqual(vaultState(), v)
    XCTAssertFalse(exists(auditFile), "a refused write does not start a new log by itself")
    // An empty file in its place is no better.
    try writeBytes(auditFile, Data())
    try assertAuditTampered(at: 1, "log emptied")
    try FileManager.default.removeItem(atPath: auditFile)

    assertError(try run(["audit", "reset"]), 64)
    assertExit(try run(["audit", "reset", "--force"]), 0)
    XCTAssertEqual(eventNames(try auditListed()), ["audit.reset"])
    assertExit(try run(["enrol", "bob"]), 0)
    XCTAssertEqual(try auditCount(), 3)
    XCTAssertEqual(mode(auditFile), 0o600)
  }

  func testAnotherVaultsLogIsDetected() throws {
    try sixEventLog()
    // A second vault with the same key file would still have its own vault id.
    let otherVault = dir + "/other/vault.mfa"
    assertExit(
      try run(
        ["init", "--generate-key-file", dir + "/other.key", "--no-passphrase"],
        env: ["MFACTL_VAULT": otherVault, "MFACTL_KEY_FILE": nil]), 0)
    let otherEnv: [String: String?] = ["MFACTL_VAULT": otherVault, "MFACTL_KEY_FILE": dir + "/other.key"]
    assertExit(try run(["enrol", "alice", "--activate"], env: otherEnv), 0)
    for _ in 0..<4 { assertExit(try run(["code", "alice"], env: otherEnv), 0) }
    try writeBytes(auditFile, bytes(otherVault + ".audit") ?? Data())
    try assertAuditTampered(at: 1, "another vault's log", also: ["another vault"])
  }

  // MARK: The uncommitted tail

  /// A crash between the audit append and the vault commit: the events are after the
  /// head. verify reports them (exit 0), and the next write drops them.
  func testAnUncommittedTailIsNotedThenDropped() throws {
    try sixEventLog()
    let vaultBefore = vaultState() ?? Data()
    let journal = vault + ".journal"
    let journalBefore = bytes(journal)
    // Two commands whose vault commits we then undo.
    assertExit(try run(["code", "alice"]), 0)
    assertExit(try run(["users", "disable", "alice"]), 0)
    try writeBytes(vault, vaultBefore)
    if let j = journalBefore { try writeBytes(journal, j) } else if exists(journal) { try writeBytes(journal, Data()) }
    // A crash before the vault commit never writes the commit mark after the records
    // (with it, this would be a rollback: RollbackAndRestoreTests).
    var tail = try auditImage()
    XCTAssertEqual(tail.records.count, 8, "both commands appended to the log")
    XCTAssertEqual(tail.mark.count, 44, "the last commit marked its head")
    tail.mark = []
    try writeBytes(auditFile, tail.data)

    let r = try run(["audit", "verify"])
    assertExit(r, 0, "an interrupted write is not tampering")
    XCTAssertTrue(r.stdout.contains("6 events"), r.description)
    XCTAssertTrue(
      (r.stdout + r.stderr).contains("2 events after the head"), "the note names the uncommitted events\n\(r)")
    let j = try auditVerified()
    XCTAssertEqual(j["events"] as? Int, 6)
    XCTAssertEqual(j["uncommitted"] as? Int, 2)
    XCTAssertEqual(j["head_id"] as? String, "6")
    // They are not listed or exported.
    XCTAssertEqual(eventIDs(try auditListed()), [6, 5, 4, 3, 2, 1])
    XCTAssertEqual(try auditExported().count, 6)
    XCTAssertEqual(try show("alice")["state"] as? String, "active", "the vault is the old one")

    // The next write drops the tail: its event is #7, and the log holds exactly 7 records.
    assertExit(try run(["users", "set", "alice", "--role", "dev"]), 0)
    let after = try auditVerified()
    XCTAssertEqual(after["events"] as? Int, 7)
    XCTAssertEqual(after["uncommitted"] as? Int, 0)
    XCTAssertEqual(after["head_id"] as? String, "7")
    let listed = try auditListed()
    XCTAssertEqual(eventIDs(listed), [7, 6, 5, 4, 3, 2, 1])
    XCTAssertEqual(listed.first?["event"] as? String, "user.policy")
    let img = try auditImage()
    XCTAssertEqual(img.records.map(AuditFileImage.seq), [1, 2, 3, 4, 5, 6, 7])
    XCTAssertTrue(img.trailing.isEmpty)
    let text = try run(["audit", "verify"])
    XCTAssertFalse(text.stdout.contains("interrupted"), text.description)
  }

  // MARK: audit export

  func testExportJSONLinesAndCSVOldestFirst() throws {
    let ua = "Mozilla/5.0 (X11, Linux) \"quoted\""
    let a = try enrol("alice", ["--user-agent", ua, "--ip", "198.51.100.4"])
    try enrol("bob")
    assertExit(try run(["verify", "alice", try totp(a.secret, at: now + 30), "--user-agent", ua], at: now + 30), 0)
    assertExit(try run(["devices", "trust", "alice", "--name", "phone, personal"]), 0)
    assertExit(try run(["verify", "bob", "000000"]), 1)

    let jsonl = try auditExported()
    XCTAssertEqual(eventIDs(jsonl), [1, 2, 3, 4, 5, 6, 7], "oldest first")
    XCTAssertEqual(try auditExported(["--format", "jsonl"]).count, 7)
    // The same events as the listing, in the other order.
    let listed = try auditListed()
    XCTAssertEqual(eventIDs(listed.reversed()), eventIDs(jsonl))
    XCTAssertEqual(eventNames(listed.reversed()), eventNames(jsonl))
    for (x, y) in zip(listed.reversed(), jsonl) {
      XCTAssertEqual(NSDictionary(dictionary: x), NSDictionary(dictionary: y), "list and export agree on every field")
    }
    XCTAssertEqual(jsonl[0]["user_agent"] as? String, ua)
    // Filters work on export too.
    XCTAssertEqual(eventIDs(try auditExported(["--user", "bob"])), [3, 4, 7])
    XCTAssertEqual(eventIDs(try auditExported(["--failures"])), [7])

    // CSV, read back with Python's csv module.
    let csvFile = dir + "/audit.csv"
    let w = try run(["audit", "export", "--format", "csv", "--output", csvFile])
    assertExit(w, 0)
    XCTAssertEqual(mode(csvFile), 0o600)
    let direct = try run(["audit", "export", "--format", "csv"])
    XCTAssertEqual(direct.stdoutData, bytes(csvFile), "stdout and --output hold the same bytes")
    let parsed = try python(
      "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
      [csvFile])
    XCTAssertEqual(parsed.code, 0, parsed.description)
    guard let rows = try? JSONSerialization.jsonObject(with: parsed.stdoutData) as? [[String]], rows.count == 8 else {
      return XCTFail("csv did not parse into a header and 7 rows\n\(parsed)\n\(direct.stdout)")
    }
    let header = rows[0]
    for col in [
      "id", "time", "event", "outcome", "user", "user_id", "actor", "ip", "user_agent", "clock_overridden", "detail",
    ] {
      XCTAssertTrue(header.contains(col), "csv header lacks \(col): \(header)")
    }
    XCTAssertTrue(rows.allSatisfy { $0.count == header.count }, "every row has every column: \(rows)")
    func col(_ row: [String], _ name: String) -> String { header.firstIndex(of: name).map { row[$0] } ?? "?" }
    for (row, e) in zip(rows.dropFirst(), jsonl) {
      XCTAssertEqual(col(row, "id"), e["id"] as? String)
      XCTAssertEqual(col(row, "time"), e["time"] as? String)
      XCTAssertEqual(col(row, "event"), e["event"] as? String)
      XCTAssertEqual(col(row, "outcome"), e["outcome"] as? String)
      XCTAssertEqual(col(row, "user"), e["user"] as? String ?? "")
      XCTAssertEqual(col(row, "actor"), e["actor"] as? String)
      XCTAssertEqual(col(row, "ip"), e["ip"] as? String ?? "")
      XCTAssertEqual(
        col(row, "user_agent"), e["user_agent"] as? String ?? "", "a field with a comma and quotes survives")
    }
    XCTAssertEqual(col(rows[1], "user_agent"), ua)
    XCTAssertTrue(
      rows.contains { col($0, "detail").contains("phone, personal") }, "the device name with its comma: \(rows)")
    // The raw text quotes the fields with commas.
    XCTAssertTrue(direct.stdout.contains("\"Mozilla/5.0 (X11, Linux) \"\"quoted\"\"\""), direct.stdout)

    // --output never overwrites (73) and leaves the file as it was.
    let before = bytes(csvFile)
    let again = try run(["audit", "export", "--output", csvFile])
    assertError(again, 73, contains: [csvFile])
    XCTAssertEqual(bytes(csvFile), before)
    let jsonFile = dir + "/audit.jsonl"
    assertExit(try run(["audit", "export", "--output", jsonFile]), 0)
    XCTAssertEqual(mode(jsonFile), 0o600)
    XCTAssertEqual(String(decoding: bytes(jsonFile) ?? Data(), as: UTF8.self).split(separator: "\n").count, 7)
    // Exporting is reading: no event, no change.
    XCTAssertEqual(try auditCount(), 7)
  }

  // MARK: audit prune

  func testPruneDropsOlderEventsAndKeepsTheChainVerifiable() throws {
    let day = Self.day
    let t0 = now, t1 = now + day, t2 = now + 2 * day
    try enrol("alice")  // #1, #2 at t0
    assertExit(try run(["code", "alice"], at: t1), 0)  // #3
    assertExit(try run(["code", "alice"], at: t1), 0)  // #4
    assertExit(try run(["users", "disable", "alice"], at: t2), 0)  // #5
    XCTAssertEqual(try auditCount(), 5)

    // Nothing older than t0: nothing pruned, exit 0.
    let nothing = try run(["audit", "prune", "--before", String(t0)], at: t2)
    assertExit(nothing, 0)
    XCTAssertEqual(try auditCount(), 5)
    assertError(try run(["audit", "prune", "--before", "last week"]), 64)
    assertError(try run(["audit", "prune"]), 64)

    let r = try run(["audit", "prune", "--before", rfc3339UTC(t1), "--actor", "retention"], at: t2 + 10)
    assertExit(r, 0)
    let events = try auditListed()
    XCTAssertEqual(eventIDs(events), [6, 5, 4, 3], "events before the cut-off are gone, numbers kept")
    XCTAssertEqual(events.first?["event"] as? String, "audit.pruned")
    XCTAssertEqual(events.first?["actor"] as? String, "retention")
    XCTAssertEqual((events.first?["detail"] as? [String: Any])?["records"] as? String, "2")
    XCTAssertEqual(try auditListed(["--until", String(t1 - 1)]).count, 0, "nothing older than the cut-off is left")
    let j = try auditVerified()
    XCTAssertEqual(j["events"] as? Int, 4)
    XCTAssertEqual(j["head_id"] as? String, "6")
    let img = try auditImage()
    XCTAssertEqual(img.anchorSeq, 2, "the header is anchored at the last pruned record")
    XCTAssertEqual(img.records.map(AuditFileImage.seq), [3, 4, 5, 6])
    XCTAssertFalse(exists(auditFile + ".next"))
    XCTAssertFalse(vaultDirListing().contains { $0.contains(".tmp-") }, "\(vaultDirListing())")

    // Later appends still verify.
    assertExit(try run(["users", "enable", "alice"], at: t2 + 20), 0)
    XCTAssertEqual(try auditCount(), 5)
    // And tampering with a kept record is still located.
    var bad = try auditImage()
    bad.records.remove(at: 0)
    let good = try auditImage()
    try writeBytes(auditFile, bad.data)
    try assertAuditTampered(at: 3, "first kept record deleted")
    // The kept records cannot be re-anchored by editing the header: the vault holds the anchor.
    var reanchored = good
    reanchored.records.remove(at: 0)
    for i in 0..<8 { reanchored.header[26 + i] = UInt8((UInt64(3) >> (8 * UInt64(i))) & 0xFF) }
    for i in 0..<16 { reanchored.header[34 + i] = good.records[0][good.records[0].count - 16 + i] }
    try writeBytes(auditFile, reanchored.data)
    try assertAuditTampered(at: 3, "front cut off and the header re-anchored")
    try writeBytes(auditFile, good.data)
    XCTAssertEqual(try auditCount(), 5)

    // Pruning everything before now keeps only the new checkpoint.
    assertExit(try run(["audit", "prune", "--before", String(t2 + 100)], at: t2 + 100), 0)
    let rest = try auditListed()
    XCTAssertEqual(eventNames(rest), ["audit.pruned"])
    XCTAssertEqual(eventID(rest.first), 8)
    XCTAssertEqual(try auditCount(), 1)
    assertExit(try run(["code", "alice"], at: t2 + 200), 0)
    XCTAssertEqual(try auditCount(), 2)
  }
}
