// End-to-end tests for issue 4's `status`: text, JSON and Prometheus textfile output
// (parsed with the real `prometheus_client` parser), and `--check` for monitoring.
import Foundation
import XCTest

final class StatusE2ETests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  /// When `status` runs in `populate()`.
  var statusTime: Int64 { now + 2 * Self.day + 30 }

  /// Users in every state, live and expired sessions and devices, failures inside and
  /// outside the last 24 hours. Returns what `status` at `statusTime` must count.
  func populate() throws -> (users: [String: Int], authenticators: Int, sessions: Int, devices: Int, failures: Int) {
    let base = now + 2 * Self.day
    // Long ago: eve, and a failure outside the 24-hour window.
    let eve = try enrol("eve", at: now)
    assertExit(try run(["verify", "eve", try wrongSixDigits(secret: eve.secret, at: now)], at: now), 1)
    assertExit(try run(["users", "unlock", "eve"], at: now), 0)
    try enrol("alice", at: base - 300)
    try enrol("bob", activate: false, at: base - 300)  // pending
    try enrol("carol", at: base - 300)
    assertExit(try run(["users", "disable", "carol"], at: base - 300), 0)
    let dave = try enrol("dave", at: base - 300)
    // Sessions and devices: made 200 s before; the 90 s ones are dead by then.
    _ = try newSession("alice", at: base - 200)
    _ = try newSession("alice", ["--ttl", "90s"], at: base - 200)
    _ = try newSession("eve", at: base - 200)
    _ = try newDevice("alice", at: base - 200)
    _ = try newDevice("eve", ["--ttl", "90s"], at: base - 200)
    // dave: five failures, locked for a minute.
    let wrong = try wrongSixDigits(secret: dave.secret, at: base)
    for _ in 0..<5 { _ = try run(["verify", "dave", wrong], at: base) }
    XCTAssertNotNil(try show("dave", at: statusTime)["locked_until"] as? String, "dave should be locked out")
    return (["active": 2, "pending": 1, "disabled": 1, "locked": 1], 5, 2, 1, 5)
  }

  @discardableResult
  func enrol(_ user: String, activate: Bool = true, at t: Int64) throws -> Enrolled {
    try enrol(user, activate: activate, env: ["MFACTL_NOW": String(t)])
  }

  func status(_ extra: [String] = [], at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line) throws
    -> RunResult
  {
    try run(["status"] + extra, at: t ?? statusTime)
  }

  // MARK: Text and JSON

  func testTextAndJSONCountEverything() throws {
    let want = try populate()
    let (v, l) = (vaultState(), bytes(auditFile))
    let events = try auditCount()
    // failures_24h agrees with the log itself.
    let fromLog = try auditExported().filter {
      $0["outcome"] as? String == "failure" && ($0["time"] as? String ?? "") >= rfc3339UTC(statusTime - Self.day)
    }.count
    XCTAssertEqual(fromLog, want.failures, "the test's own count")

    let r = try status(["--format", "json"])
    assertExit(r, 0)
    guard let j = r.json else { return XCTFail("status --format json is not one object\n\(r)") }
    let users = j["users_by_state"] as? [String: Any] ?? [:]
    for (state, n) in want.users { XCTAssertEqual(users[state] as? Int, n, "users \(state): \(j)") }
    XCTAssertEqual(j["authenticators_count"] as? Int, want.authenticators, "\(j)")
    XCTAssertEqual(j["sessions_live"] as? Int, want.sessions, "\(j)")
    XCTAssertEqual(j["devices_live"] as? Int, want.devices, "\(j)")
    XCTAssertEqual(j["failures_24h"] as? Int, want.failures, "failures in the last 24 h, from the audit log: \(j)")
    XCTAssertEqual(j["audit_events_count"] as? Int, events, "\(j)")
    XCTAssertEqual(j["audit_chain_ok"] as? Bool, true, "\(j)")
    XCTAssertEqual(j["format_version"] as? Int, 4, "\(j)")
    XCTAssertEqual(j["vault_size"] as? Int, bytes(vault)?.count, "\(j)")
    XCTAssertTrue(j["last_backup"] is NSNull, "no backup yet: \(j)")

    let text = try status()
    assertExit(text, 0)
    let out = text.stdout
    for needle in [
      "5 (", "2 active", "1 pending", "1 disabled", "1 locked", "\(events) events", "intact", "none recorded",
    ] {
      XCTAssertTrue(out.contains(needle), "status text lacks '\(needle)'\n\(out)")
    }
    XCTAssertTrue(text.lines.contains { $0.contains("authenticators") && $0.contains("5") }, out)
    XCTAssertTrue(
      text.lines.contains { $0.contains("sessions") && $0.contains("2 live") && $0.contains("1 live") }, out)
    XCTAssertTrue(text.lines.contains { $0.contains("failures") && $0.contains("5") }, out)
    // Without --check, problems do not change the exit code.
    XCTAssertEqual(text.code, 0)
    // status reads only: no event, no change.
    XCTAssertEqual(vaultState(), v)
    XCTAssertEqual(bytes(auditFile), l)
  }

  func testAnEmptyVault() throws {
    let r = try status(["--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["audit_events_count"] as? Int, 0, r.description)
    XCTAssertEqual(r.json?["audit_chain_ok"] as? Bool, true, r.description)
    XCTAssertEqual(r.json?["failures_24h"] as? Int, 0, r.description)
    assertExit(try status(), 0)
    assertExit(try status(["--format", "prometheus"]), 0)
  }

  // MARK: Prometheus

  /// Where `prometheus_client` is importable from: nil when the system python3 has it,
  /// else a private directory it was installed into with pip (`--target`, which works
  /// on an "externally managed" Debian python too); skips when neither works.
  static var pythonPath: String?? = nil

  func prometheusParser() throws -> String? {
    if let known = Self.pythonPath { return known }
    guard let python = Binary.tool("python3") else { throw XCTSkip("python3 is not installed") }
    let cache = NSTemporaryDirectory() + "mfactl-test-pylib"
    for path in [nil, cache] as [String?] {
      if try runPython("import prometheus_client.parser", pythonPath: path).code == 0 {
        Self.pythonPath = .some(path)
        return path
      }
    }
    var notes = ""
    for args in [["--target", cache], []] {
      let install = try Running(
        executable: python,
        args: ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + args + ["prometheus-client"],
        stdin: nil, env: ProcessInfo.processInfo.environment, cwd: dir
      ).wait(timeout: 120)
      notes += String(install.stderr.suffix(300))
      let path: String? = args.isEmpty ? nil : cache
      if install.code == 0, try runPython("import prometheus_client.parser", pythonPath: path).code == 0 {
        Self.pythonPath = .some(path)
        return path
      }
    }
    throw XCTSkip(
      "prometheus-client is not installed and pip could not install it (python3 -m pip install prometheus-client): \(notes)"
    )
  }

  func runPython(_ script: String, _ args: [String] = [], pythonPath: String?) throws -> RunResult {
    guard let python = Binary.tool("python3") else { throw XCTSkip("python3 is not installed") }
    var env = ProcessInfo.processInfo.environment
    if let p = pythonPath { env["PYTHONPATH"] = p }
    return try Running(executable: python, args: ["-c", script] + args, stdin: nil, env: env, cwd: dir).wait()
  }

  /// The families of a Prometheus text exposition, as the real parser sees them.
  func parsePrometheus(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: [String:
    Any]]
  {
    let path = dir + "/metrics-\(UUID().uuidString.prefix(6)).prom"
    try write(path, text)
    let r = try runPython(
      """
      import json, sys
      from prometheus_client.parser import text_string_to_metric_families
      out = {}
      for f in text_string_to_metric_families(open(sys.argv[1]).read()):
          out[f.name] = {"type": f.type, "help": f.documentation,
                         "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
      print(json.dumps(out))
      """, [path], pythonPath: try prometheusParser())
    XCTAssertEqual(r.code, 0, "prometheus_client could not parse the output\n\(r)\n\(text)", file: file, line: line)
    return (try? JSONSerialization.jsonObject(with: r.stdoutData) as? [String: [String: Any]]) ?? [:]
  }

  func value(_ families: [String: [String: Any]], _ name: String, _ labels: [String: String] = [:]) -> Double? {
    let samples = families[name]?["samples"] as? [[String: Any]] ?? []
    return samples.first { ($0["labels"] as? [String: String] ?? [:]) == labels }?["value"] as? Double
  }

  func testPrometheusOutputParsesWithARealParser() throws {
    _ = try prometheusParser()
    let want = try populate()
    let events = try auditCount()
    let r = try status(["--format", "prometheus"])
    assertExit(r, 0)
    XCTAssertTrue(r.stderr.isEmpty, r.description)
    let families = try parsePrometheus(r.stdout)
    XCTAssertFalse(families.isEmpty, r.stdout)
    for (name, f) in families {
      XCTAssertTrue(name.hasPrefix("mfactl_"), "metric \(name) lacks the mfactl_ prefix")
      XCTAssertTrue(["gauge", "counter"].contains(f["type"] as? String ?? ""), "\(name) has no TYPE line: \(f)")
      XCTAssertFalse((f["help"] as? String ?? "").isEmpty, "\(name) has no HELP text")
      // Each family is announced by its HELP and TYPE lines.
      XCTAssertTrue(r.stdout.contains("# HELP \(name) "), "no HELP line for \(name)")
      XCTAssertTrue(r.stdout.contains("# TYPE \(name) "), "no TYPE line for \(name)")
    }
    for line in r.lines where !line.hasPrefix("#") {
      XCTAssertTrue(matches(line, "^mfactl_[a-z0-9_]+(\\{[^}]*\\})? -?[0-9.e+]+$"), "not a sample line: \(line)")
    }
    for (state, n) in want.users {
      XCTAssertEqual(value(families, "mfactl_users", ["state": state]), Double(n), "mfactl_users{state=\"\(state)\"}")
    }
    XCTAssertEqual(value(families, "mfactl_authenticators"), Double(want.authenticators))
    XCTAssertEqual(value(families, "mfactl_sessions_live"), Double(want.sessions))
    XCTAssertEqual(value(families, "mfactl_devices_live"), Double(want.devices))
    XCTAssertEqual(value(families, "mfactl_failures_24h"), Double(want.failures))
    XCTAssertEqual(value(families, "mfactl_audit_events"), Double(events))
    XCTAssertEqual(value(families, "mfactl_audit_chain_ok"), 1)
    XCTAssertEqual(value(families, "mfactl_vault_format_version"), 4)
    XCTAssertEqual(value(families, "mfactl_vault_size_bytes"), Double(bytes(vault)?.count ?? -1))

    // A broken chain reads 0 (and status still exits 0 without --check).
    var img = try auditImage()
    img.records[1][12 + 30] ^= 0x01
    try writeBytes(auditFile, img.data)
    let broken = try status(["--format", "prometheus"])
    assertExit(broken, 0)
    let bf = try parsePrometheus(broken.stdout)
    XCTAssertEqual(value(bf, "mfactl_audit_chain_ok"), 0, broken.stdout)
    // --check with prometheus: exit 1, and the problem count is a metric.
    let checked = try status(["--format", "prometheus", "--check"])
    assertExit(checked, 1)
    let cf = try parsePrometheus(checked.stdout)
    XCTAssertEqual(value(cf, "mfactl_problems"), 2, "a broken chain and no backup\n\(checked.stdout)")
  }

  // MARK: --check

  func testCheckPrintsOneLinePerProblem() throws {
    try enrol("alice")
    try enrol("bob")
    // Only "no backup recorded".
    var r = try status(["--check"], at: now)
    assertExit(r, 1)
    var all = r.lines + r.stderrLines
    XCTAssertEqual(all.filter { $0.contains("no backup") }.count, 1, r.description)
    XCTAssertFalse(all.contains { $0.contains("readable by others") }, r.description)
    XCTAssertFalse(all.contains { $0.contains("tampered") }, r.description)
    // Without --check: exit 0.
    assertExit(try status(at: now), 0)

    // A broken chain and a vault others can read: three problems, one line each.
    var img = try auditImage()
    img.records[2][12 + 30] ^= 0x01
    try writeBytes(auditFile, img.data)
    XCTAssertEqual(chmod(vault, 0o644), 0)
    r = try status(["--check"], at: now)
    assertExit(r, 1)
    all = r.lines + r.stderrLines
    XCTAssertEqual(all.filter { $0.contains("no backup") }.count, 1, r.description)
    XCTAssertEqual(all.filter { $0.contains("readable by others") }.count, 1, r.description)
    let chain = all.filter { $0.contains("record 3") }
    XCTAssertEqual(chain.count, 1, "the broken chain, naming the first bad record\n\(r)")
    XCTAssertFalse(all.contains { $0.contains("no backup") && $0.contains("readable") }, "one problem per line\n\(r)")
    XCTAssertTrue(r.stdout.contains("BROKEN") || r.stdout.lowercased().contains("broken"), r.description)

    let j = try status(["--check", "--format", "json"], at: now)
    assertExit(j, 1)
    let problems = j.json?["problems"] as? [String] ?? []
    XCTAssertEqual(problems.count, 3, j.description)
    XCTAssertEqual(j.json?["audit_chain_ok"] as? Bool, false, j.description)
    // The problems are the same in both shapes.
    for p in problems { XCTAssertTrue(all.contains(p), "'\(p)' is not a line of the text output\n\(r)") }

    // Each fixed: chmod back, log restored; only the backup is left.
    XCTAssertEqual(chmod(vault, 0o600), 0)
    img.records[2][12 + 30] ^= 0x01
    try writeBytes(auditFile, img.data)
    r = try status(["--check", "--format", "json"], at: now)
    assertExit(r, 1)
    XCTAssertEqual((r.json?["problems"] as? [String])?.count, 1, r.description)

    // A missing log is a broken chain too.
    try FileManager.default.removeItem(atPath: auditFile)
    r = try status(["--check"], at: now)
    assertExit(r, 1)
    XCTAssertTrue((r.lines + r.stderrLines).contains { $0.contains("missing") }, r.description)
    XCTAssertEqual(try status(["--format", "json"], at: now).json?["audit_chain_ok"] as? Bool, false)
  }

  func testCheckMaxBackupAge() throws {
    assertError(try status(["--max-backup-age", "1h"]), 64)
    assertError(try status(["--check", "--max-backup-age", "soon"]), 64)
    try enrol("alice")
    let backupAt = now + 100
    let b = try run(["backup", "create", dir + "/first.mfab"], at: backupAt)
    if b.code == 64 && (b.stderr.contains("nexpected argument") || b.stderr.lowercased().contains("unknown")) {
      throw XCTSkip("this build has no 'backup create' yet\n\(b)")
    }
    assertExit(b, 0, "backup create")
    XCTAssertEqual(try auditListed(["--event", "backup.created"]).count, 1, "the backup is audited")

    // Two hours later: too old for 1h, fine for 1d (and the default, 1d).
    let later = backupAt + 2 * Self.hour
    var r = try status(["--check", "--max-backup-age", "1h"], at: later)
    assertExit(r, 1)
    let all = r.lines + r.stderrLines
    XCTAssertEqual(
      all.filter { $0.lowercased().contains("backup") && !$0.hasPrefix("last backup:") }.count, 1, r.description)
    XCTAssertFalse(all.contains { $0.contains("no backup") }, r.description)
    r = try status(["--check", "--max-backup-age", "1d", "--format", "json"], at: later)
    assertExit(r, 0)
    XCTAssertEqual((r.json?["problems"] as? [String])?.count, 0, r.description)
    XCTAssertEqual(r.json?["last_backup"] as? String, rfc3339UTC(backupAt), r.description)
    assertExit(try status(["--check"], at: later), 0)
    assertExit(try status(["--check", "--max-backup-age", "90m"], at: later), 1)
    // The default is one day.
    assertExit(try status(["--check"], at: backupAt + Self.day + 60), 1)
    // Prometheus shows the age.
    _ = try prometheusParser()
    let p = try status(["--format", "prometheus"], at: later)
    assertExit(p, 0)
    XCTAssertEqual(value(try parsePrometheus(p.stdout), "mfactl_backup_age_seconds"), Double(2 * Self.hour))
  }
}
