import Foundation
import XCTest

/// The PostgreSQL backend against a real server (the one `make test` starts,
/// scripts/pg-server.sh): what only a shared database has to hold — races between
/// processes, one lockout for all of them, an audit chain in rows, row-lock timeouts, a
/// server going away, SCRAM and TLS, and libpq loaded only when needed.
final class PostgresE2ETests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try PostgresTestServer.require()
    if database == nil {
      let db = try PostgresTestServer.createDatabase()
      database = db
      vault = PostgresTestServer.uri(db)
    }
  }

  var env: [String: String] { ProcessInfo.processInfo.environment }

  /// Starts `count` runs of `args` at once (each with its own stdin) and returns their
  /// exit codes, sorted.
  func race(_ count: Int, _ args: [String], stdin: String? = nil, at time: Int64? = nil) throws -> [Int32] {
    let running = try (0..<count).map { _ in try start(args, stdin: stdin, at: time) }
    return try running.map { try $0.wait(timeout: 60) }.map {
      assertNoCrash($0)
      return $0.code
    }.sorted()
  }

  func sql(_ statement: String) throws -> String { try PostgresTestServer.psql(database!, statement) }

  // MARK: The vault in the database

  func testInitCreatesTheTablesOnceAndADumpHoldsNoSecret() throws {
    try initKeyFileVault()
    XCTAssertEqual(
      try sql(
        "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables"
          + " WHERE table_schema = 'mfactl'"),
      "audit,records,schema_version,vault\n")
    assertError(try run(["init", "--key-file", keyFile, "--no-passphrase"]), 73, contains: ["already exists"])
    let e = try enrol("alice")
    let r = try run(["recovery-codes", "generate", "alice"])
    assertExit(r, 0)
    let codes = r.lines
    let s = try run(["sessions", "create", "alice"])
    assertExit(s, 0)
    assertNotOnDisk([e.secret, "alice", s.stdout.trimmingCharacters(in: .whitespacesAndNewlines)] + codes)
    // Every row names the data key it is sealed under.
    XCTAssertEqual(try sql("SELECT DISTINCT key_id FROM mfactl.records"), "1\n")
    let info = try run(["vault", "info", "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(info, 0)
    XCTAssertEqual(info.json?["vault"] as? String, vault)
  }

  func testTwentyProcessesRacingOneTOTPCodeAcceptItOnce() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let code = try totp(e.secret, at: now)
    let codes = try race(20, ["verify", "alice"], stdin: code + "\n")
    XCTAssertEqual(codes.filter { $0 == 0 }.count, 1, "exactly one process accepts the code: \(codes)")
    XCTAssertTrue(codes.allSatisfy { [0, 1, 2].contains($0) }, "\(codes)")
    let list = try run(["audit", "list", "--event", "verify.success", "--format", "json"])
    XCTAssertEqual(list.lines.count, 1, "one verify.success in the log\n\(list)")
    assertExit(try run(["audit", "verify"]), 0)
  }

  func testTwentyProcessesRacingOneRecoveryCodeAcceptItOnce() throws {
    try initKeyFileVault()
    try enrol("alice")
    let g = try run(["recovery-codes", "generate", "alice", "--format", "json"])
    assertExit(g, 0)
    let code = try XCTUnwrap((g.json?["codes"] as? [String])?.first)
    let codes = try race(20, ["recovery-codes", "use", "alice"], stdin: code + "\n")
    XCTAssertEqual(codes.filter { $0 == 0 }.count, 1, "\(codes)")
    let status = try run(["recovery-codes", "status", "alice", "--format", "json"])
    XCTAssertEqual(status.json?["remaining"] as? Int, 9)
    assertExit(try run(["audit", "verify"]), 0)
  }

  func testTwentyProcessesRevokingOneSessionRevokeItOnce() throws {
    try initKeyFileVault()
    try enrol("alice")
    let (token, id) = try newSession("alice")
    let codes = try race(20, ["sessions", "revoke", id])
    XCTAssertEqual(codes.filter { $0 == 0 }.count, 1, "\(codes)")
    XCTAssertEqual(codes.filter { $0 == 66 }.count, 19, "the others find no such session: \(codes)")
    assertExit(try run(["sessions", "check"], stdin: token + "\n"), 1)
  }

  func testWrongCodesFromManyProcessesAreEvaluatedFiveTimesThenLocked() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let wrong = try totp(e.secret, at: now) == "000000" ? "111111" : "000000"
    let codes = try race(20, ["verify", "alice"], stdin: wrong + "\n")
    XCTAssertEqual(codes.filter { $0 == 1 }.count, 5, "five codes are checked: \(codes)")
    XCTAssertEqual(codes.filter { $0 == 2 }.count, 15, "the rest meet the lockout: \(codes)")
    let failures = try run(["audit", "list", "--event", "verify.failure", "--format", "json"])
    XCTAssertEqual(failures.lines.count, 5)
    let locked = try run(["audit", "list", "--event", "verify.locked", "--format", "json"])
    XCTAssertEqual(locked.lines.count, 15)
    // The lockout holds for the right code too, from any process.
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 2)
    assertExit(try run(["audit", "verify"]), 0)
  }

  func testConcurrentWritersOfSeveralUsersKeepOneChain() throws {
    try initKeyFileVault()
    for u in ["u1", "u2", "u3", "u4"] { try enrol(u) }
    var running: [Running] = []
    for i in 0..<24 {
      let u = "u\(i % 4 + 1)"
      running.append(try start(i % 2 == 0 ? ["verify", u] : ["sessions", "create", u], stdin: "000000\n"))
    }
    for r in running { assertNoCrash(try r.wait(timeout: 60)) }
    let v = try run(["audit", "verify", "--format", "json"])
    assertExit(v, 0)
    let events = try run(["audit", "list", "--format", "json"]).lines.count
    // 4 x (user.created, enrol.started), one event per writer, and the lockouts they caused.
    XCTAssertGreaterThanOrEqual(events, 8 + 24)
    XCTAssertEqual(try sql("SELECT count(*) FROM mfactl.audit"), "\(events)\n")
  }

  // MARK: Backups and moving between backends

  func testFileToPostgreSQLToFileKeepsEveryRecordAndEvent() throws {
    let database = vault
    vault = dir + "/a.mfa"
    try initKeyFileVault()
    let e = try enrol("alice")
    assertExit(try run(["recovery-codes", "generate", "alice"]), 0)
    _ = try newSession("alice")
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 0)
    let showA = try run(["users", "show", "alice", "--format", "json"])
    assertExit(showA, 0)
    let auditA = try run(["audit", "export"]).lines
    assertExit(try run(["backup", "create", dir + "/1.mfab"]), 0)

    vault = database
    let restored = try run(["backup", "restore", dir + "/1.mfab", "--format", "json"])
    assertExit(restored, 0)
    XCTAssertEqual(restored.json?["previous"] as? String, "missing")
    let auditPG = try run(["audit", "export"]).lines
    XCTAssertEqual(Array(auditPG.prefix(auditA.count)), auditA, "the same events, then backup.restored")
    XCTAssertEqual(auditPG.count, auditA.count + 1)
    XCTAssertEqual(try run(["users", "show", "alice", "--format", "json"]).stdout, showA.stdout, "the same user")
    // The used code stays used in the database.
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 1)
    let showPG = try run(["users", "show", "alice", "--format", "json"])
    assertExit(try run(["backup", "create", dir + "/2.mfab"]), 0)
    assertExit(try run(["backup", "verify", dir + "/2.mfab"]), 0)

    vault = dir + "/c.mfa"
    assertExit(try run(["backup", "restore", dir + "/2.mfab"]), 0)
    let auditC = try run(["audit", "export"]).lines
    XCTAssertEqual(Array(auditC.prefix(auditPG.count)), auditPG)
    XCTAssertEqual(try run(["users", "show", "alice", "--format", "json"]).stdout, showPG.stdout)
    assertExit(try run(["audit", "verify"]), 0)
    assertExit(try run(["vault", "check"]), 0)
  }

  func testRestoreOverAnOpeningDatabaseNeedsForceKeepsTheOldTablesAndReplayFloors() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    assertExit(try run(["backup", "create", dir + "/old.mfab"]), 0)
    let later = now + 90
    let code = try totp(e.secret, at: later)
    assertExit(try run(["verify", "alice"], stdin: code + "\n", at: later), 0)
    let before = vaultState()
    assertError(try run(["backup", "restore", dir + "/old.mfab"], at: later), 64, contains: ["--force"])
    XCTAssertEqual(vaultState(), before, "a refused restore changes nothing")
    let r = try run(["backup", "restore", dir + "/old.mfab", "--force", "--format", "json"], at: later)
    assertExit(r, 0)
    XCTAssertEqual(r.json?["floors_raised"] as? Int, 1)
    let kept = try XCTUnwrap(r.json?["replaced_vault"] as? String)
    XCTAssertTrue(kept.hasPrefix("schema mfactl_replaced_"), kept)
    XCTAssertEqual(
      try sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'mfactl_replaced_%'"), "1\n")
    // The code used after the backup was made is still refused.
    assertExit(try run(["verify", "alice"], stdin: code + "\n", at: later), 1)
    assertExit(try run(["audit", "verify"], at: later), 0)
  }

  func testPruneKeepsTheChainAndABackupOfAPrunedLogRestoresIntoAFile() throws {
    try initKeyFileVault()
    try enrol("alice")
    for i in 0..<4 {
      let t = now + Int64(100 * i)
      assertExit(try run(["verify", "alice"], stdin: "000000\n", at: t), 1)
      assertExit(try run(["users", "unlock", "alice"], at: t), 0)
    }
    let later = now + 1000
    let p = try run(["audit", "prune", "--before", String(now + 150)], at: later)
    assertExit(p, 0)
    XCTAssertEqual(try sql("SELECT min(seq) FROM mfactl.audit"), "7\n", "rows before the first kept event are gone")
    assertExit(try run(["audit", "verify"], at: later), 0)
    // A pruned log backs up and restores into a file, anchor and all.
    let backup = dir + "/pruned.mfab"
    assertExit(try run(["backup", "create", backup], at: later), 0)
    let database = vault
    vault = dir + "/file.mfa"
    assertExit(try run(["backup", "restore", backup], at: later), 0)
    assertExit(try run(["audit", "verify"], at: later), 0)
    // Deleting the first kept row is detected: the next no longer chains from the anchor.
    vault = database
    try sql("DELETE FROM mfactl.audit WHERE seq = 7")
    assertError(try run(["audit", "verify"], at: later), 65, contains: ["record 7"])
  }

  // MARK: Tampering with rows

  func testEditedDeletedAndReorderedAuditRowsAreDetected() throws {
    try initKeyFileVault()
    try enrol("alice")
    for _ in 0..<3 { assertExit(try run(["verify", "alice"], stdin: "000000\n"), 1) }
    assertExit(try run(["users", "unlock", "alice"]), 0)
    assertExit(try run(["audit", "verify"]), 0)
    let original = try sql("SELECT encode(record, 'hex') FROM mfactl.audit WHERE seq = 3")
      .trimmingCharacters(in: .whitespacesAndNewlines)

    // One flipped byte in record 3.
    try sql("UPDATE mfactl.audit SET record = set_byte(record, 30, get_byte(record, 30) # 1) WHERE seq = 3")
    assertError(try run(["audit", "verify"]), 65, contains: ["record 3"])
    try sql("UPDATE mfactl.audit SET record = decode('\(original)', 'hex') WHERE seq = 3")
    assertExit(try run(["audit", "verify"]), 0)

    // Records 2 and 3 swapped (their numbers too).
    try sql(
      "UPDATE mfactl.audit SET seq = CASE seq WHEN 2 THEN -3 ELSE -2 END WHERE seq IN (2, 3);"
        + " UPDATE mfactl.audit SET seq = -seq WHERE seq < 0")
    assertError(try run(["audit", "verify"]), 65, contains: ["record 2"])
    try sql(
      "UPDATE mfactl.audit SET seq = CASE seq WHEN 2 THEN -3 ELSE -2 END WHERE seq IN (2, 3);"
        + " UPDATE mfactl.audit SET seq = -seq WHERE seq < 0")
    assertExit(try run(["audit", "verify"]), 0)

    // Record 4 deleted; then the last one.
    try sql("DELETE FROM mfactl.audit WHERE seq = 4")
    assertError(try run(["audit", "verify"]), 65, contains: ["record 4"])
  }

  func testTheLastAuditRowDeletedIsATruncation() throws {
    try initKeyFileVault()
    try enrol("alice")
    let last = try sql("SELECT max(seq) FROM mfactl.audit").trimmingCharacters(in: .whitespacesAndNewlines)
    try sql("DELETE FROM mfactl.audit WHERE seq = \(last)")
    assertError(try run(["audit", "verify"]), 65, contains: ["truncated"])
  }

  func testRecordRowsSwappedBetweenIdsDoNotOpen() throws {
    try initKeyFileVault()
    try enrol("alice")
    try enrol("bob")
    // Bob's record under Alice's id: the associated data binds each row to its id.
    try sql(
      """
      WITH r AS (SELECT id, sealed, row_number() OVER (ORDER BY length(sealed) DESC, id) AS n FROM mfactl.records)
      UPDATE mfactl.records t SET sealed = (SELECT sealed FROM r WHERE n = CASE WHEN x.n = 1 THEN 2 ELSE 1 END)
      FROM r x WHERE t.id = x.id AND x.n IN (1, 2)
      """)
    let a = try run(["users", "show", "alice"])
    let b = try run(["users", "show", "bob"])
    XCTAssertTrue(a.code == 65 || b.code == 65, "a swapped row must not open\n\(a)\n\(b)")
    assertError(try run(["vault", "check"]), 65)
  }

  // MARK: Locks and a server that goes away

  func testARowLockHeldPastTheTimeoutIs75AndChangesNothing() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let holder = try Running(
      executable: try XCTUnwrap(Binary.tool("psql")),
      args: ["-X", "-q", "-d", database!, "-c", "BEGIN; SELECT 1 FROM mfactl.vault FOR UPDATE; SELECT pg_sleep(6);"],
      stdin: nil, env: env, cwd: dir)
    Thread.sleep(forTimeInterval: 0.8)
    let before = vaultState()
    let r = try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n", env: ["MFACTL_LOCK_TIMEOUT": "1"])
    assertError(r, 75, contains: ["busy"])
    XCTAssertLessThan(r.seconds, 5, "the wait is bounded by MFACTL_LOCK_TIMEOUT")
    _ = try holder.wait(timeout: 30)
    XCTAssertEqual(vaultState(), before)
    // Readers take no lock: a check is not held up by a writer.
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 0)
  }

  func testAServerStoppedMidRunIs69AndLeavesNoPartialState() throws {
    // A server of this test's own, stopped while a verify waits for a row lock.
    let own = "/tmp/mfapg.t" + String(UUID().uuidString.prefix(6)).lowercased()
    let script = try XCTUnwrap(Self.repoScript("pg-server.sh"))
    XCTAssertEqual(Self.spawnAndWait(["/bin/bash", script, "start", own]), 0, "pg-server.sh start")
    defer { _ = Self.spawnAndWait(["/bin/bash", script, "stop", own]) }
    let port = try String(contentsOfFile: own + "/port", encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    vault = "postgresql:///postgres?host=\(own)&port=\(port)"
    try initKeyFileVault()
    let e = try enrol("alice")
    let before = try run(["users", "show", "alice", "--format", "json"]).stdout
    let holder = try Running(
      executable: try XCTUnwrap(Binary.tool("psql")),
      args: ["-X", "-q", "-d", vault, "-c", "BEGIN; SELECT 1 FROM mfactl.vault FOR UPDATE; SELECT pg_sleep(30);"],
      stdin: nil, env: env, cwd: dir)
    Thread.sleep(forTimeInterval: 0.8)
    let waiting = try start(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n")
    Thread.sleep(forTimeInterval: 0.8)
    XCTAssertEqual(Self.spawnAndWait(["/bin/bash", script, "halt", own]), 0, "pg-server.sh halt")
    let r = try waiting.wait(timeout: 30)
    assertError(r, 69, contains: ["PostgreSQL"])
    _ = try? holder.wait(timeout: 30)
    // Unreachable now: 69 with a hint, never 0.
    assertError(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 69)
    // Back up: the state is the one before the interrupted verify.
    XCTAssertEqual(Self.spawnAndWait(["/bin/bash", script, "start", own]), 0, "pg-server.sh start again")
    XCTAssertEqual(try run(["users", "show", "alice", "--format", "json"]).stdout, before)
    assertExit(try run(["audit", "verify"]), 0)
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 0)
  }

  /// A key file, so a run gets as far as the database.
  func makeKeyFile() throws {
    try writeBytes(keyFile, Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
    chmod(keyFile, 0o600)
  }

  func testNoServerThereIs69WithAHint() throws {
    try makeKeyFile()
    vault = "postgresql://127.0.0.1:1/mfactl?connect_timeout=2"
    let r = try run(["verify", "alice"], stdin: "123456\n")
    assertError(r, 69, contains: ["cannot connect"])
    assertError(try run(["vault", "info"]), 69)
  }

  func testNoSchemaIs66NamingInit() throws {
    try makeKeyFile()
    assertError(try run(["users", "list"]), 66, contains: ["mfactl init"])
  }

  // MARK: Authentication, TLS, passwords in URIs

  /// A database owned by the SCRAM role, reached over TCP with a password.
  func scramURI(password: String, user: String? = nil, extra: String = "") throws -> String {
    let u = try XCTUnwrap(env["MFACTL_TEST_PG_SCRAM_USER"])
    try sql("ALTER DATABASE \(database!) OWNER TO \(u)")
    return "postgresql://\(user ?? u):\(password)@127.0.0.1:\(env["PGPORT"]!)/\(database!)\(extra)"
  }

  func testSCRAMPasswordAuthAndThePasswordIsNeverShown() throws {
    let password = try XCTUnwrap(env["MFACTL_TEST_PG_SCRAM_PASSWORD"])
    vault = try scramURI(password: password)
    try initKeyFileVault()
    let e = try enrol("alice")
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 0)
    for args in [
      ["vault", "info"], ["vault", "info", "--format", "json"], ["status", "--format", "json"],
      ["audit", "list"], ["users", "show", "nobody"],
    ] {
      let r = try run(args)
      XCTAssertFalse(r.stdout.contains(password) || r.stderr.contains(password), "password shown by \(args)\n\(r)")
    }
    XCTAssertFalse(try sql("SELECT string_agg(encode(record, 'escape'), '') FROM mfactl.audit").contains(password))
    // A wrong password: 69, and the wrong password is not echoed either.
    vault = try scramURI(password: "wrong-\(password)")
    let bad = try run(["verify", "alice"], stdin: "123456\n")
    assertError(bad, 69, contains: ["authentication"])
    XCTAssertFalse(bad.stderr.contains("wrong-\(password)"))
  }

  func testTLSWithVerifyFullAgainstTheTestCA() throws {
    let password = try XCTUnwrap(env["MFACTL_TEST_PG_SCRAM_PASSWORD"])
    let ca = try XCTUnwrap(env["MFACTL_TEST_PG_CA"])
    let tlsUser = try XCTUnwrap(env["MFACTL_TEST_PG_TLS_USER"])
    try sql("ALTER DATABASE \(database!) OWNER TO \(tlsUser)")
    vault =
      "postgresql://\(tlsUser):\(password)@localhost:\(env["PGPORT"]!)/\(database!)?sslmode=verify-full&sslrootcert=\(ca)"
    try initKeyFileVault()
    let e = try enrol("alice")
    assertExit(try run(["verify", "alice"], stdin: try totp(e.secret, at: now) + "\n"), 0)
    // Another CA: verify-full refuses the server's certificate (69), as does a host name
    // the certificate does not hold.
    let other = dir + "/other-ca.crt"
    let made = try tool(
      "openssl",
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/other-ca.key", "-out", other, "-days", "1",
        "-subj", "/CN=another CA",
      ])
    XCTAssertEqual(made.code, 0, made.stderr)
    let good = vault
    vault = good.replacingOccurrences(of: ca, with: other)
    assertError(try run(["users", "list"]), 69, contains: ["certificate"])
    vault = good.replacingOccurrences(of: "@localhost:", with: "@mfactl.invalid:") + "&hostaddr=127.0.0.1"
    assertError(try run(["users", "list"]), 69, contains: ["does not match host name"])
  }

  func testPGVariablesServiceFilesAndPgpassAreHonoured() throws {
    // The test's URI names only the database: host and port come from PGHOST/PGPORT.
    XCTAssertFalse(vault.contains("host="))
    try initKeyFileVault()
    // A service file and a password file, as libpq reads them.
    let u = try XCTUnwrap(env["MFACTL_TEST_PG_SCRAM_USER"])
    let password = try XCTUnwrap(env["MFACTL_TEST_PG_SCRAM_PASSWORD"])
    try sql(
      "ALTER DATABASE \(database!) OWNER TO \(u); ALTER SCHEMA mfactl OWNER TO \(u);"
        + " GRANT ALL ON ALL TABLES IN SCHEMA mfactl TO \(u)")
    try write(
      dir + "/pg_service.conf", "[mfa]\nhost=127.0.0.1\nport=\(env["PGPORT"]!)\nuser=\(u)\ndbname=\(database!)\n")
    try write(dir + "/pgpass", "127.0.0.1:\(env["PGPORT"]!):*:\(u):\(password)\n")
    chmod(dir + "/pgpass", 0o600)
    let r = try run(
      ["users", "list"],
      env: [
        "MFACTL_VAULT": "postgresql:///?service=mfa", "PGSERVICEFILE": dir + "/pg_service.conf",
        "PGPASSFILE": dir + "/pgpass", "PGHOST": nil, "PGPORT": nil, "PGUSER": nil,
      ])
    assertExit(r, 0)
  }

  func testWithoutLibpqAPostgreSQLVaultIs69AndAFileVaultStillWorks() throws {
    guard getuid() == 0, let unshare = Binary.tool("unshare") else {
      throw XCTSkip("hiding libpq needs root (a private mount namespace)")
    }
    let lib = try XCTUnwrap(
      ["/usr/lib/x86_64-linux-gnu/libpq.so.5", "/usr/lib/aarch64-linux-gnu/libpq.so.5", "/usr/lib/libpq.so.5"]
        .first { FileManager.default.fileExists(atPath: $0) })
    let target = URL(fileURLWithPath: lib).resolvingSymlinksInPath().path
    func hidden(_ args: [String], vault: String) throws -> RunResult {
      var e = environment([:])
      e["MFACTL_VAULT"] = vault
      let script = "mount --bind /dev/null \"$1\" && shift && exec \"$@\""
      return try Running(
        executable: unshare, args: ["-m", "/bin/sh", "-c", script, "sh", target, try binary()] + args,
        stdin: Data("123456\n".utf8), env: e, cwd: dir
      ).wait(timeout: 30)
    }
    try makeKeyFile()
    let r = try hidden(["verify", "alice"], vault: vault)
    assertError(r, 69, contains: ["libpq", "apt-get install libpq5"])
    // The file vault needs no libpq.
    let fileVault = dir + "/file.mfa"
    var e = environment([:])
    e["MFACTL_VAULT"] = fileVault
    let i = try hidden(["init", "--generate-key-file", dir + "/file.key", "--no-passphrase"], vault: fileVault)
    XCTAssertEqual(i.code, 0, "\(i)")
  }

  /// Runs a command that leaves daemons behind (the server script), output to /dev/null,
  /// and waits for it alone (Foundation's Process waits for the daemons' pipes too).
  static func spawnAndWait(_ argv: [String]) -> Int32 {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    var pid: pid_t = 0
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }

  static func repoScript(_ name: String) -> String? {
    var d = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    for _ in 0..<4 {
      let p = d.appendingPathComponent("scripts/" + name).path
      if FileManager.default.fileExists(atPath: p) { return p }
      d = d.deletingLastPathComponent()
    }
    return nil
  }
}
