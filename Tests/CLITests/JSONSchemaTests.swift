// Every command's `--format json` output, validated against docs/json/ (JSON Schema
// 2020-12, closed: a field added, renamed or retyped fails) by scripts/validate-json.py
// with Debian's python3-jsonschema. Also: one object kind has one shape in every command,
// rejections print nothing on stdout, times in event details are RFC 3339, and a
// `--format` value a command does not have is a usage error (docs/json/README.md,
// "Conventions").
import Foundation
import XCTest

final class JSONSchemaTests: CLITestCase {
  /// The repository: this file is Tests/CLITests/JSONSchemaTests.swift.
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static var schemaDir: String { repo + "/docs/json" }

  /// A python3 that has the jsonschema module (the Debian one first).
  static let python: String? = {
    for p in ["/usr/bin/python3", Binary.tool("python3")].compactMap({ $0 }) {
      let proc = Process()
      proc.executableURL = URL(fileURLWithPath: p)
      proc.arguments = ["-c", "import jsonschema"]
      proc.standardOutput = FileHandle.nullDevice
      proc.standardError = FileHandle.nullDevice
      guard (try? proc.run()) != nil else { continue }
      proc.waitUntilExit()
      if proc.terminationStatus == 0 { return p }
    }
    return nil
  }()

  /// The command schemas a test validated against (each must be used by some test).
  var used: Set<String> = []

  /// Validates `r`'s stdout against docs/json/commands/<schema>.schema.json.
  func validate(
    _ r: RunResult, _ schema: String, code: Int32 = 0, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    assertExit(r, code, file: file, line: line)
    XCTAssertFalse(r.stdout.isEmpty, "no JSON output to validate\n\(r)", file: file, line: line)
    let v = try validatorRun(Self.schemaDir + "/commands/\(schema).schema.json", r.stdoutData, file: file, line: line)
    XCTAssertEqual(v.code, 0, "\(schema).schema.json rejects the output:\n\(v.stderr)\n\(r)", file: file, line: line)
    used.insert(schema)
  }

  func validatorRun(_ schemaPath: String, _ data: Data, file: StaticString = #filePath, line: UInt = #line) throws
    -> RunResult
  {
    guard let py = Self.python else {
      XCTFail(
        "python3 with the jsonschema module is missing (scripts/deps.sh installs python3-jsonschema)", file: file,
        line: line)
      throw Binary.Failure(description: "no jsonschema")
    }
    let input = dir + "/validate-input-\(UUID().uuidString.prefix(8)).json"
    try writeBytes(input, data)
    return try Running(
      executable: py, args: [Self.repo + "/scripts/validate-json.py", schemaPath, input], stdin: nil,
      env: ProcessInfo.processInfo.environment, cwd: dir
    ).wait()
  }

  func json(_ r: RunResult, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
    guard let j = r.json else {
      XCTFail("not one JSON object\n\(r)", file: file, line: line)
      return [:]
    }
    return j
  }

  func keys(_ o: Any?) -> [String] { ((o as? [String: Any]) ?? [:]).keys.sorted() }

  /// The field names of one object kind, from its schema (docs/json/<kind>.schema.json).
  func schemaFields(_ kind: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: Self.schemaDir + "/\(kind).schema.json"))
    let s = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let fields = (s?["$defs"] as? [String: Any])?["fields"] as? [String: Any]
    return ((fields?["properties"] as? [String: Any]) ?? [:]).keys.sorted()
  }

  func secret(of uri: String) -> String { queryItems(uri)["secret"] ?? "" }

  // MARK: Every command

  func testEveryCommandsJSONMatchesItsSchema() throws {
    let J = ["--format", "json"]
    try validate(
      try run(["init", "--generate-key-file", keyFile, "--no-passphrase"] + J, env: ["MFACTL_KEY_FILE": nil]), "init")

    // Authenticators, sign-in results.
    let enrolled = try run(["enrol", "alice"] + J)
    try validate(enrolled, "enrol")
    let alice = secret(of: json(enrolled)["uri"] as? String ?? "")
    let confirmRejected = try run(["enrol", "alice", "--confirm", wrongCode(not: [try totp(alice, at: now)])] + J)
    assertExit(confirmRejected, 1)
    XCTAssertEqual(confirmRejected.stdout, "", "a rejection prints nothing on stdout\n\(confirmRejected)")
    try validate(try run(["enrol", "alice", "--confirm", try totp(alice, at: now)] + J), "enrol-confirm")
    let bobEnrolled = try run(["enrol", "bob", "--type", "hotp", "--activate", "--label", "Bob B"] + J)
    try validate(bobEnrolled, "enrol")
    let bob = secret(of: json(bobEnrolled)["uri"] as? String ?? "")
    let t2 = now + 30
    try validate(
      try run(["verify", "alice", try totp(alice, at: t2), "--session", "--trust-device", "laptop"] + J, at: t2),
      "verify")
    try validate(try run(["verify", "bob", try hotp(bob, counter: 0)] + J), "verify")
    try validate(try run(["code", "alice"] + J), "code")
    try validate(try run(["code", "--secret", "JBSWY3DPEHPK3PXP", "--counter", "3"] + J), "code")

    // Recovery codes.
    let generated = try run(["recovery-codes", "generate", "alice", "--count", "3"] + J)
    try validate(generated, "recovery-codes-generate")
    let codes = json(generated)["codes"] as? [String] ?? []
    try validate(
      try run(["recovery-codes", "generate", "bob", "--output", dir + "/sheet.txt"] + J), "recovery-codes-generate")
    try validate(try run(["recovery-codes", "status", "alice"] + J), "recovery-codes-status")
    try validate(try run(["recovery-codes", "use", "alice", codes.first ?? ""] + J), "recovery-codes-use")
    try validate(try run(["verify", "alice", codes.last ?? "", "--allow-recovery"] + J), "verify")

    // Devices and sessions.
    let trusted = try run(["devices", "trust", "alice", "--name", "phone", "--ttl", "7d"] + J)
    try validate(trusted, "devices-trust")
    try validate(try run(["devices", "check", "alice", json(trusted)["token"] as? String ?? ""] + J), "devices-check")
    try validate(try run(["devices", "list"] + J), "devices-list")
    try validate(try run(["devices", "revoke", "alice", json(trusted)["id"] as? String ?? ""] + J), "devices-revoke")
    let created = try run(["sessions", "create", "alice", "--ip", "192.0.2.1", "--user-agent", "curl"] + J)
    try validate(created, "sessions-create")
    try validate(try run(["sessions", "create", "alice", "--remember"] + J), "sessions-create")
    try validate(try run(["sessions", "check", json(created)["token"] as? String ?? ""] + J), "sessions-check")
    try validate(try run(["sessions", "list"] + J), "sessions-list")
    try validate(try run(["sessions", "revoke", json(created)["id"] as? String ?? ""] + J), "sessions-revoke")
    try validate(try run(["sessions", "revoke", "--user", "alice", "--all"] + J), "sessions-revoke")

    // Users.
    try validate(try run(["users", "list"] + J), "users-list")
    try validate(try run(["users", "show", "alice"] + J), "users-show")
    try validate(try run(["users", "set", "alice", "--role", "admin", "--require-mfa"] + J), "users-set")
    try validate(try run(["users", "disable", "bob"] + J), "users-disable")
    try validate(try run(["users", "enable", "bob"] + J), "users-enable")
    try validate(try run(["users", "unlock", "alice"] + J), "users-unlock")
    let t3 = now + 90
    try validate(try run(["users", "diagnose", "alice", try totp(alice, at: t3 + 120)] + J, at: t3), "users-diagnose")
    try validate(
      try run(["users", "resync", "bob", try hotp(bob, counter: 40), try hotp(bob, counter: 41)] + J), "users-resync")
    try validate(try run(["users", "export-uri", "alice", "--yes"] + J), "users-export-uri")
    try validate(try run(["users", "export", "alice"] + J), "users-export")
    try write(dir + "/uris", "otpauth://totp/X:carol?secret=JBSWY3DPEHPK3PXP&issuer=X\n")
    try validate(try run(["users", "import", "uris", dir + "/uris"] + J), "users-import-uris")
    try write(dir + "/ga", "JBSWY3DPEHPK3PXP\n\" RATE_LIMIT 3 30\n\" WINDOW_SIZE 17\n\" TOTP_AUTH\n12345678\n")
    let ga = try run(["users", "import", "google-authenticator", dir + "/ga", "--user", "dave"] + J)
    try validate(ga, "users-import-google-authenticator")
    try validate(
      try run(["users", "remove", "dave", "--authenticator", json(ga)["id"] as? String ?? ""] + J), "users-remove")
    try validate(try run(["users", "remove", "dave"] + J), "users-remove")
    try validate(try run(["users", "erase", "dave"] + J), "users-erase")
    try validate(try run(["users", "erase", "carol"] + J), "users-erase")

    // Challenges.
    try validate(try run(["challenge", "send", "alice"] + J), "challenge-send")
    try validate(try run(["challenge", "send", "alice", "--deliver", "/bin/cat"] + J), "challenge-send")

    // Backups.
    let backup = dir + "/b1.mfab"
    try validate(try run(["backup", "create", backup] + J), "backup-create")
    try validate(try run(["backup", "create", "--dir", dir + "/bk", "--keep", "1"] + J), "backup-create")
    try validate(try run(["backup", "create", "--dir", dir + "/bk", "--keep", "1"] + J, at: now + 5), "backup-create")
    try validate(try run(["backup", "verify", backup] + J), "backup-verify")
    try validate(try run(["backup", "list", dir + "/bk"] + J), "backup-list")
    try validate(try run(["backup", "list", dir + "/bk"] + J, env: ["MFACTL_KEY_FILE": nil]), "backup-list")
    try validate(try run(["backup", "restore", backup, "--force"] + J), "backup-restore")

    // Audit, status, vault.
    try validate(try run(["audit", "list"] + J), "audit-list")
    try validate(try run(["audit", "export"]), "audit-export")
    try validate(try run(["audit", "export", "--format", "jsonl"]), "audit-export")
    try validate(try run(["audit", "verify"] + J), "audit-verify")
    try validate(try run(["status"] + J), "status")
    try validate(try run(["status", "--check"] + J, at: now + 3 * 86400), "status", code: 1)  // the backup is old
    try validate(try run(["vault", "info"] + J), "vault-info")
    try validate(try run(["vault", "check"] + J), "vault-check")
    try validate(try run(["vault", "add-key-file", dir + "/k2.key"] + J), "vault-add-key-file")
    try validate(try run(["vault", "remove-key-file", dir + "/k2.key"] + J), "vault-remove-key-file")
    try validate(try run(["vault", "rekey"] + J), "vault-rekey")
    try write(dir + "/pass", "new passphrase\n")
    try validate(try run(["vault", "passwd", "--new-passphrase-file", dir + "/pass"] + J), "vault-passwd")
    try validate(try run(["vault", "info"] + J), "vault-info")
    try validate(try run(["audit", "prune", "--before", String(now - 100)] + J), "audit-prune")
    try validate(try run(["audit", "prune", "--before", String(now + 1)] + J), "audit-prune")
    try validate(try run(["audit", "reset", "--force"] + J), "audit-reset")

    // Every command schema in docs/json/commands/ was exercised.
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemaDir + "/commands")
      .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }
    XCTAssertEqual(Set(files).subtracting(used).sorted(), [], "command schemas no test validated against")
  }

  // MARK: One shape per object kind

  func testAnObjectKindHasTheSameFieldsInEveryCommand() throws {
    try initKeyFileVault()
    let J = ["--format", "json"]
    let e = try enrol("alice")
    let user = try schemaFields("user")
    let shown = json(try run(["users", "show", "alice"] + J))
    XCTAssertEqual(keys(shown), user)
    XCTAssertEqual(
      keys(try run(["users", "list"] + J).jsonLines?.first), user, "users list prints the users show object")
    let export = json(try run(["users", "export", "alice"] + J))
    XCTAssertEqual(export["user"] as? String, nil, "users export: `user` is no longer an object")
    XCTAssertEqual(export["name"] as? String, "alice")
    XCTAssertTrue(Set(user).isSubset(of: Set(keys(export))), "users export is the user object plus more")

    let authenticator = try schemaFields("authenticator")
    XCTAssertEqual(keys((shown["authenticators"] as? [Any])?.first), authenticator)
    XCTAssertTrue(Set(authenticator).isSubset(of: Set(e.json.keys)), "enrol prints the authenticator object plus more")
    XCTAssertEqual(e.json["period_s"] as? Int, 30)

    let session = try schemaFields("session")
    let created = json(try run(["sessions", "create", "alice"] + J))
    XCTAssertEqual(keys(created), (session + ["token"]).sorted(), "sessions create: the session object and its token")
    let token = created["token"] as? String ?? ""
    XCTAssertEqual(keys(try run(["sessions", "list"] + J).jsonLines?.first), session)
    let checked = json(try run(["sessions", "check", token] + J))
    XCTAssertEqual(keys(checked), session, "sessions check prints the session object")
    XCTAssertEqual(checked["id"] as? String, created["id"] as? String, "the session's own id is `id`")
    let exported = json(try run(["users", "export", "alice"] + J))
    XCTAssertEqual(keys((exported["sessions"] as? [Any])?.first), session)

    let device = try schemaFields("device")
    let trusted = json(try run(["devices", "trust", "alice", "--name", "phone"] + J))
    XCTAssertEqual(keys(trusted), (device + ["token"]).sorted())
    XCTAssertEqual(keys(try run(["devices", "list"] + J).jsonLines?.first), device)
    XCTAssertEqual(keys(try run(["devices", "check", "alice", trusted["token"] as? String ?? ""] + J).json), device)
    XCTAssertEqual(keys((json(try run(["users", "export", "alice"] + J))["devices"] as? [Any])?.first), device)

    // verify: `device` is the device's id; the session it made names the device in `device_name`.
    let t = now + 30
    let v = json(
      try run(["verify", "alice", try totp(e.secret, at: t), "--session", "--trust-device", "laptop"] + J, at: t))
    let devices = try run(["devices", "list", "alice"] + J, at: t).jsonLines ?? []
    XCTAssertTrue(
      devices.contains { $0["id"] as? String == v["device"] as? String && $0["name"] as? String == "laptop" })
    let sessions = try run(["sessions", "list", "alice"] + J, at: t).jsonLines ?? []
    let made = sessions.first { $0["id"] as? String == v["session"] as? String }
    XCTAssertEqual(made?["device_name"] as? String, "laptop")
    XCTAssertEqual(made?["idle_timeout_s"] as? Int, 1800)

    // Key slots: `id` (a string) in vault info and in every command that changes them.
    let info = json(try run(["vault", "info"] + J))
    XCTAssertEqual(keys((info["slots"] as? [Any])?.first), try schemaFields("key-slot"))
    XCTAssertEqual(((info["slots"] as? [[String: Any]])?.first)?["id"] as? String, "0")

    // Audit event ids are strings, like every other id.
    let events = try run(["audit", "list", "--limit", "1"] + J).jsonLines ?? []
    XCTAssertNotNil(events.first?["id"] as? String, "\(events)")
    XCTAssertEqual(keys(events.first), try schemaFields("event"))
  }

  // MARK: Rejections

  func testRejectionsPrintNothingOnStdoutInAnyFormat() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let h = try enrol("bob", ["--type", "hotp"])
    let code = try totp(e.secret, at: now)
    _ = try run(["recovery-codes", "generate", "alice", "--count", "2"])
    try enrol("carol", activate: false)
    for fastPath in [true, false] {
      let env: [String: String?] = fastPath ? [:] : ["MFACTL_NO_FAST_PATH": "1"]
      for format in ["text", "json"] {
        let cases: [([String], Int32)] = [
          (
            [
              "verify", "alice",
              wrongCode(not: [code, try totp(e.secret, at: now - 30), try totp(e.secret, at: now + 30)]),
            ], 1
          ),
          (["sessions", "check", "mfas_" + String(repeating: "A", count: 43)], 1),
          (["devices", "check", "alice", "mfad_" + String(repeating: "A", count: 43)], 1),
          (["recovery-codes", "use", "alice", "AAAAA-AAAAA"], 1),
          (["users", "resync", "bob", "111111", "222222"], 1),
          (["enrol", "carol", "--confirm", "123456"], 1),
        ]
        for (args, exit) in cases {
          let r = try run(args + ["--format", format], env: env)
          assertExit(r, exit, "fast path \(fastPath)")
          XCTAssertEqual(r.stdout, "", "a rejection prints nothing on stdout (fast path \(fastPath))\n\(r)")
          XCTAssertFalse(r.stderr.isEmpty, "the reason goes to stderr\n\(r)")
        }
        for u in ["alice", "bob", "carol"] { _ = try run(["users", "unlock", u]) }
      }
    }
    // Locked out (2) and disabled (1) print nothing either.
    for _ in 0..<5 { _ = try run(["verify", "alice", "000000"]) }
    let locked = try run(["verify", "alice", code, "--format", "json"])
    assertExit(locked, 2)
    XCTAssertEqual(locked.stdout, "")
    _ = try run(["users", "disable", "bob"])
    let disabled = try run(["verify", "bob", try hotp(h.secret, counter: 0), "--format", "json"])
    assertExit(disabled, 1)
    XCTAssertEqual(disabled.stdout, "")
  }

  /// The fast path (FastPath.swift) and ArgumentParser print the same objects.
  func testFastAndSlowPathPrintTheSameJSON() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let session = json(try run(["sessions", "create", "alice", "--format", "json"]))["token"] as? String ?? ""
    let device =
      json(try run(["devices", "trust", "alice", "--name", "phone", "--format", "json"]))["token"] as? String ?? ""
    for args in [["sessions", "check", session], ["devices", "check", "alice", device]] {
      let fast = try run(args + ["--format", "json"])
      let slow = try run(args + ["--format", "json"], env: ["MFACTL_NO_FAST_PATH": "1"])
      try validate(fast, args[0] + "-check")
      try validate(slow, args[0] + "-check")
      XCTAssertEqual(fast.stdout, slow.stdout, "same output on both paths")
    }
    var shapes: [[String]] = []
    for (i, env) in [[:], ["MFACTL_NO_FAST_PATH": "1"]].enumerated() {
      let t = now + 30 * Int64(i + 1)
      let r = try run(["verify", "alice", try totp(e.secret, at: t), "--session", "--format", "json"], env: env, at: t)
      try validate(r, "verify")
      shapes.append(keys(r.json))
    }
    XCTAssertEqual(shapes[0], shapes[1])
  }

  // MARK: Times in event details

  func testTimesInEventDetailsAreRFC3339InEveryFormat() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    for _ in 0..<5 { _ = try run(["verify", "alice", "000000"]) }
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 2)
    let backup = dir + "/b.mfab"
    assertExit(try run(["backup", "create", backup]), 0)
    assertExit(try run(["backup", "restore", backup, "--force"]), 0)

    let locked = try run(["audit", "list", "--event", "verify.locked", "--format", "json"]).jsonLines ?? []
    XCTAssertEqual(locked.count, 1)
    let until = (locked.first?["detail"] as? [String: String])?["until"] ?? ""
    XCTAssertTrue(
      matches(until, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"),
      "verify.locked until is RFC 3339: \(until)")
    XCTAssertGreaterThan(until, rfc3339UTC(now))
    let restored = try run(["audit", "list", "--event", "backup.restored", "--format", "json"]).jsonLines ?? []
    XCTAssertEqual((restored.first?["detail"] as? [String: String])?["backup_created"], rfc3339UTC(now))
    try validate(try run(["audit", "export"]), "audit-export")

    let text = try run(["audit", "list", "--event", "verify.locked"])
    XCTAssertTrue(text.stdout.contains("until=\(until)"), "\(text)")
    let csv = try run(["audit", "export", "--format", "csv", "--event", "verify.locked"])
    XCTAssertTrue(csv.stdout.contains("until=\(until)"), "\(csv)")
    // The stored event is unchanged: the chain still verifies.
    assertExit(try run(["audit", "verify"]), 0)
  }

  // MARK: --format values per command

  func testAFormatACommandDoesNotHaveIsAUsageError() throws {
    try initKeyFileVault()
    try enrol("alice")
    let refused: [[String]] = [
      ["audit", "export", "--format", "text"], ["audit", "export", "--format", "json"],
      ["users", "export", "alice", "--format", "text"], ["users", "list", "--format", "jsonl"],
      ["users", "list", "--format", "csv"], ["status", "--format", "csv"],
      ["verify", "alice", "123456", "--format", "yaml"],
      ["sessions", "check", "x", "--format", "prometheus"],
    ]
    for args in refused {
      let r = try run(args)
      assertError(r, 64, contains: ["--format"])
      XCTAssertEqual(r.stdout, "", "nothing on stdout\n\(r)")
    }
    // The values each command has are accepted.
    assertExit(try run(["audit", "export", "--format", "csv"]), 0)
    try validate(try run(["audit", "export", "--format", "jsonl"]), "audit-export")
    try validate(try run(["users", "export", "alice", "--format", "json"]), "users-export")
    try validate(try run(["users", "export", "alice"]), "users-export")
    assertExit(try run(["status", "--format", "prometheus"]), 0)
    // Help shows each command's values.
    for (args, values) in [
      (["audit", "export"], "values: jsonl, csv"), (["users", "export"], "values: json;"),
      (["status"], "values: text, json, prometheus"), (["users", "list"], "values: text, json"),
    ] {
      let h = try run(args + ["--help"])
      assertExit(h, 0)
      let words = h.stdout.components(separatedBy: .whitespacesAndNewlines).filter { !$0.isEmpty }.joined(
        separator: " ")
      XCTAssertTrue(words.contains(values), "\(args) help lists \(values)\n\(h)")
    }
  }

  // MARK: The schemas catch drift

  func testTheSchemasRejectARenamedOrExtraField() throws {
    try initKeyFileVault()
    try enrol("alice")
    let r = try run(["users", "show", "alice", "--format", "json"])
    try validate(r, "users-show")
    let schema = Self.schemaDir + "/commands/users-show.schema.json"
    let renamed = r.stdout.replacingOccurrences(of: "\"period_s\":", with: "\"period\":")
    XCTAssertEqual(try validatorRun(schema, Data(renamed.utf8)).code, 1, "a renamed field fails")
    let extra = r.stdout.replacingOccurrences(of: "{\"id\":", with: "{\"extra\":1,\"id\":")
    XCTAssertEqual(try validatorRun(schema, Data(extra.utf8)).code, 1, "an extra field fails")
    let retyped = r.stdout.replacingOccurrences(of: "\"failures\":0", with: "\"failures\":\"0\"")
    XCTAssertNotEqual(retyped, r.stdout)
    XCTAssertEqual(try validatorRun(schema, Data(retyped.utf8)).code, 1, "a retyped field fails")
    let unixTime = r.stdout.replacingOccurrences(of: "\"created\":\"\(rfc3339UTC(now))\"", with: "\"created\":\(now)")
    XCTAssertNotEqual(unixTime, r.stdout)
    XCTAssertEqual(try validatorRun(schema, Data(unixTime.utf8)).code, 1, "a Unix-seconds time fails")
  }
}
