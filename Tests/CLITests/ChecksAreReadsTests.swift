import Foundation
import XCTest

/// Issue 9, item 8 (docs/guide.md, "Sessions"): a successful `sessions check` or `devices
/// check` is a read. It is not audited and writes the vault at most once a minute per
/// session or device (to move the stored last use); idle deadlines count from the stored
/// time, so a session dies early, never late; rejections are audited as before. Fast path
/// (FastPath.swift) and ArgumentParser behave alike.
final class ChecksAreReadsTests: CLITestCase {
  let minute = CLITestCase.minute
  /// Both ways in: the fast path, and ArgumentParser.
  let paths: [(name: String, env: [String: String?])] = [
    ("fast path", [:]), ("slow path", ["MFACTL_NO_FAST_PATH": "1"]),
  ]

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    try enrol("alice")
  }

  var audit: String { vault + ".audit" }

  /// What a write would change: both files' bytes, the vault's inode, the directory.
  struct Snapshot: Equatable {
    var vault: Data?
    var audit: Data?
    var inode: Int?
    var listing: [String]
  }

  func snapshot() -> Snapshot {
    let inode = (try? FileManager.default.attributesOfItem(atPath: vault))?[.systemFileNumber] as? Int
    return Snapshot(vault: vaultState(), audit: bytes(audit), inode: inode, listing: vaultDirListing())
  }

  func eventNames() throws -> [String] {
    let r = try run(["audit", "list", "--format", "json"])
    assertExit(r, 0)
    return (r.jsonLines ?? []).compactMap { $0["event"] as? String }
  }

  func sessionItem(_ id: String, at t: Int64) throws -> [String: Any]? {
    let r = try run(["sessions", "list", "alice", "--format", "json"], at: t)
    assertExit(r, 0)
    return (r.jsonLines ?? []).first { $0["id"] as? String == id }
  }

  func deviceItem(_ id: String, at t: Int64) throws -> [String: Any]? {
    let r = try run(["devices", "list", "alice", "--format", "json"], at: t)
    assertExit(r, 0)
    return (r.jsonLines ?? []).first { $0["id"] as? String == id }
  }

  func testASuccessfulSessionCheckWithinTheMinuteChangesNoFile() throws {
    let s = try newSession("alice")
    let before = snapshot()
    let events = try eventNames()
    for p in paths {
      for dt: Int64 in [0, 1, 30, 59] {
        let r = try run(["sessions", "check", s.token], env: p.env, at: now + dt)
        assertExit(r, 0, "\(p.name), +\(dt) s")
        XCTAssertEqual(r.stdout, "alice\n")
        XCTAssertEqual(snapshot(), before, "\(p.name), +\(dt) s: a check within the minute writes nothing")
      }
      assertExit(try run(["sessions", "check"], stdin: s.token + "\n", env: p.env, at: now + 59), 0)
      assertExit(try run(["sessions", "check", s.token, "--format", "json"], env: p.env, at: now + 59), 0)
      XCTAssertEqual(snapshot(), before, "\(p.name): stdin and JSON forms write nothing either")
    }
    XCTAssertEqual(try eventNames(), events, "no audit event for a successful check")
  }

  func testAfterAMinuteOneCheckWritesOnceInPlaceAndTheIdleDeadlineMoves() throws {
    try requireFileVault()  // file modes / bytes of the vault file
    for p in paths {
      let t0 = now + (p.env.isEmpty ? 0 : 10_000)
      let s = try newSession("alice", at: t0)
      let before = snapshot()
      let events = try eventNames()
      assertExit(try run(["sessions", "check", s.token], env: p.env, at: t0 + 61), 0, p.name)
      let refreshed = snapshot()
      XCTAssertNotEqual(refreshed.vault, before.vault, "\(p.name): 61 s after the stored time, the check writes")
      XCTAssertEqual(refreshed.audit, before.audit, "\(p.name): the refresh logs nothing")
      XCTAssertEqual(refreshed.inode, before.inode, "\(p.name): only a time changed: written in place")
      XCTAssertEqual(refreshed.listing.filter { $0.contains("tmp") }, [], "\(p.name): no temp file")
      // Format 3: the journal keeps the entry, applied (OneDurableWriteTests.swift).
      try assertJournalSettled("\(p.name): the in-place journal is settled")
      XCTAssertEqual(try sessionItem(s.id, at: t0 + 61)?["last_seen"] as? String, rfc3339UTC(t0 + 61), p.name)

      // Within the next minute: nothing more.
      assertExit(try run(["sessions", "check", s.token], env: p.env, at: t0 + 62), 0, p.name)
      assertExit(try run(["sessions", "check", s.token], env: p.env, at: t0 + 61 + 59), 0, p.name)
      XCTAssertEqual(snapshot(), refreshed, "\(p.name): one write per minute")
      XCTAssertEqual(try eventNames(), events, p.name)

      // The idle deadline moved with the stored time: alive after the creation's 30 min.
      assertExit(
        try run(["sessions", "check", s.token], env: p.env, at: t0 + 30 * minute + 30), 0, "\(p.name): deadline moved")
      let last = t0 + 30 * minute + 30
      XCTAssertEqual(try sessionItem(s.id, at: last)?["last_seen"] as? String, rfc3339UTC(last), p.name)
      assertExit(try run(["sessions", "check", s.token], env: p.env, at: last + 30 * minute - 1), 0, p.name)
      // ... and that check (29 min 59 s later) moved it again.
      assertExit(try run(["sessions", "check", s.token], env: p.env, at: last + 60 * minute - 2), 0, p.name)
      assertExit(
        try run(["sessions", "check", s.token], env: p.env, at: last + 60 * minute - 1 + 30 * minute), 1, p.name)
    }
  }

  /// The stored time lags the last check by less than a minute; the deadline counts from
  /// it, so expiry comes up to a minute early, never late.
  func testIdleExpiryIsNeverLate() throws {
    let s = try newSession("alice")
    assertExit(try run(["sessions", "check", s.token], at: now + 59), 0)
    // Idle 30 min after the stored time (29 min 1 s after the last check): dead.
    let r = try run(["sessions", "check", s.token], at: now + 30 * minute)
    assertExit(r, 1, "dead at the stored time + idle timeout")
    XCTAssertEqual(try eventNames().filter { $0 == "session.rejected" }.count, 1, "the rejection is audited")

    // A session whose last check was written dies exactly at that time + idle timeout.
    let u = try newSession("alice", at: now + 100)
    assertExit(try run(["sessions", "check", u.token], at: now + 100 + 30 * minute - 1), 0)
    assertExit(
      try run(["sessions", "check", u.token], at: now + 100 + 30 * minute - 1 + 30 * minute), 1,
      "idle since the last write")
  }

  /// An idle timeout under two minutes still slides: the stored time is refreshed after
  /// half of it (so the session dies at most half its idle timeout early).
  func testAShortIdleTimeoutStillSlides() throws {
    let s = try newSession("alice", ["--idle", "30s"])
    let before = snapshot()
    assertExit(try run(["sessions", "check", s.token], at: now + 10), 0)
    XCTAssertEqual(snapshot(), before, "10 s < 15 s: no write")
    assertExit(try run(["sessions", "check", s.token], at: now + 20), 0)
    XCTAssertEqual(try sessionItem(s.id, at: now + 20)?["last_seen"] as? String, rfc3339UTC(now + 20))
    assertExit(try run(["sessions", "check", s.token], at: now + 45), 0, "20 + 30 > 45: alive")
    assertExit(try run(["sessions", "check", s.token], at: now + 45 + 30), 1, "idle 30 s since the stored 45")
  }

  func testFailedSessionChecksAreStillAudited() throws {
    let s = try newSession("alice", ["--ttl", "1h", "--idle", "2h"])
    assertExit(try run(["sessions", "check", s.token], at: now + 59 * minute), 0)
    let before = try eventNames().filter { $0 == "session.rejected" }.count
    assertExit(try run(["sessions", "check", s.token], at: now + 61 * minute), 1, "expired")
    for p in paths {
      let expired = try newSession("alice", ["--ttl", "1h", "--idle", "2h"])
      let r = try run(["sessions", "check", expired.token], env: p.env, at: now + 61 * minute)
      assertExit(r, 1, "\(p.name): expired")
      XCTAssertEqual(r.stderr, "mfactl: unknown or expired session\n", p.name)
    }
    XCTAssertEqual(try eventNames().filter { $0 == "session.rejected" }.count, before + 3, "each rejection is audited")
    // Pruned by those writes: the tokens are now unknown, refused without an event (as before).
    assertExit(try run(["sessions", "check", s.token], at: now + 62 * minute), 1)
    XCTAssertEqual(try eventNames().filter { $0 == "session.rejected" }.count, before + 3)
    assertExit(try run(["audit", "verify"]), 0)
  }

  func testDeviceChecksAreReadsToo() throws {
    for p in paths {
      let t0 = now + (p.env.isEmpty ? 0 : 10_000)
      let d = try newDevice("alice", at: t0)
      let events = try eventNames()
      let rejected = events.filter { $0 == "device.rejected" }.count
      // Never used: the first check records the use.
      var before = snapshot()
      assertExit(try run(["devices", "check", "alice", d.token], env: p.env, at: t0 + 5), 0, p.name)
      var after = snapshot()
      XCTAssertNotEqual(after.vault, before.vault, "\(p.name): first use recorded")
      XCTAssertEqual(after.audit, before.audit, p.name)
      XCTAssertEqual(after.inode, before.inode, "\(p.name): written in place")
      XCTAssertEqual(try deviceItem(d.id, at: t0 + 5)?["last_used"] as? String, rfc3339UTC(t0 + 5), p.name)

      before = after
      for dt: Int64 in [5, 30, 64] {
        let r = try run(["devices", "check", "alice", d.token], env: p.env, at: t0 + dt)
        assertExit(r, 0, "\(p.name), +\(dt)")
        XCTAssertEqual(snapshot(), before, "\(p.name), +\(dt) s: within the minute of the last use, nothing written")
      }
      assertExit(try run(["devices", "check", "alice", d.token], env: p.env, at: t0 + 66), 0, p.name)
      after = snapshot()
      XCTAssertNotEqual(after.vault, before.vault, "\(p.name): a minute later, the use is recorded")
      XCTAssertEqual(after.audit, before.audit, p.name)
      XCTAssertEqual(try deviceItem(d.id, at: t0 + 66)?["last_used"] as? String, rfc3339UTC(t0 + 66), p.name)
      XCTAssertEqual(try eventNames(), events, "\(p.name): no event for a successful check")

      // Rejections: a wrong, a malformed and an expired token, each audited.
      assertExit(
        try run(["devices", "check", "alice", "mfad_" + String(repeating: "A", count: 43)], env: p.env, at: t0 + 70), 1)
      assertExit(try run(["devices", "check", "alice", "nonsense"], env: p.env, at: t0 + 70), 1)
      assertExit(try run(["devices", "check", "alice", d.token], env: p.env, at: t0 + 31 * CLITestCase.day), 1)
      let now = try eventNames()
      XCTAssertEqual(now.count, events.count + 3, p.name)
      XCTAssertEqual(now.filter { $0 == "device.rejected" }.count, rejected + 3, p.name)
    }
    assertExit(try run(["audit", "verify"]), 0)
  }

  /// Many checkers at once at the minute's end: every one accepted, nothing logged.
  func testParallelChecksAtTheRefreshAgreeAndLogNothing() throws {
    let s = try newSession("alice")
    let before = snapshot()
    let running = try (0..<8).map { i in
      try start(["sessions", "check", s.token], env: i % 2 == 0 ? [:] : ["MFACTL_NO_FAST_PATH": "1"], at: now + 61)
    }
    for r in running.map({ $0.wait() }) {
      assertExit(r, 0)
      XCTAssertEqual(r.stdout, "alice\n")
    }
    XCTAssertEqual(bytes(audit), before.audit, "nothing logged")
    XCTAssertEqual(try sessionItem(s.id, at: now + 61)?["last_seen"] as? String, rfc3339UTC(now + 61))
    assertExit(try run(["audit", "verify"]), 0)
    assertExit(try run(["vault", "check"]), 0)
  }

  func testFastAndSlowPathsGiveTheSameAnswers() throws {
    let s = try newSession("alice")
    let d = try newDevice("alice")
    let calls: [[String]] = [
      ["sessions", "check", s.token], ["sessions", "check", s.token, "--format", "json"],
      ["devices", "check", "alice", d.token], ["devices", "check", "alice", d.token, "--format", "json"],
      ["devices", "check", "alice", "mfad_" + String(repeating: "B", count: 43)],
    ]
    for (i, args) in calls.enumerated() {
      let t = now + 120 * Int64(i + 1)  // each pair of runs: the first one may refresh, the second must not
      let fast = try run(args, at: t)
      let afterFast = snapshot()
      let slow = try run(args, env: ["MFACTL_NO_FAST_PATH": "1"], at: t)
      XCTAssertEqual(fast.code, slow.code, "\(args): exit differs\nfast: \(fast)\nslow: \(slow)")
      XCTAssertEqual(fast.stdout, slow.stdout, "\(args)")
      XCTAssertEqual(fast.stderr, slow.stderr, "\(args)")
      if fast.code == 0 {
        XCTAssertEqual(snapshot(), afterFast, "\(args): the second check in the same second writes nothing")
      }
    }
  }
}
