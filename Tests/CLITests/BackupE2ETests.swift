import Foundation
import XCTest

/// `mfactl backup create | verify | restore | list` end to end (docs/guide.md, "Backups").
final class BackupE2ETests: CLITestCase {
  var audit: String { vault + ".audit" }
  var backupDir: String { dir + "/backups" }

  /// A vault with two users (and the audit log their enrolment wrote, once commands
  /// log events: the comparisons of `<vault>.audit` below hold either way).
  func setUpVault(file: StaticString = #filePath, line: UInt = #line) throws {
    try initKeyFileVault(file: file, line: line)
    try enrol("alice", file: file, line: line)
    try enrol("bob", file: file, line: line)
  }

  func create(
    _ args: [String], at time: Int64? = nil, env: [String: String?] = [:], file: StaticString = #filePath,
    line: UInt = #line
  )
    throws -> [String: Any]
  {
    let r = try run(["backup", "create", "--format", "json"] + args, env: env, at: time)
    assertExit(r, 0, "backup create failed", file: file, line: line)
    return try XCTUnwrap(r.json, r.description, file: file, line: line)
  }

  func flip(_ path: String, at offset: Int) throws {
    var d = try XCTUnwrap(bytes(path))
    d[offset] ^= 0x08
    try writeBytes(path, d)
  }

  func listing(_ d: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).sorted() }

  /// `audit list --format json` of a vault: event names, newest first.
  func events(_ vaultPath: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    let r = try run(["audit", "list", "--vault", vaultPath, "--format", "json"])
    assertExit(r, 0, file: file, line: line)
    return (r.jsonLines ?? []).compactMap { $0["event"] as? String }
  }

  /// `users list --format json` of a vault, one line per user.
  func usersJSON(_ vaultPath: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    let r = try run(["users", "list", "--vault", vaultPath, "--format", "json"])
    assertExit(r, 0, file: file, line: line)
    return r.lines
  }

  // MARK: create and restore

  func testRoundTripRestoresTheSameVaultAndLog() throws {
    try setUpVault()
    let (vaultBefore, auditBefore) = (try XCTUnwrap(vaultState()), try XCTUnwrap(bytes(audit)))
    let usersBefore = try usersJSON(vault)
    let eventsBefore = try events(vault)
    let b = dir + "/one.mfab"
    let made = try create([b])
    XCTAssertEqual(made["path"] as? String, b)
    XCTAssertEqual(made["users"] as? Int, 2)
    XCTAssertEqual(made["protection"] as? String, "vault-keys")
    XCTAssertEqual(made["size"] as? Int, bytes(b)?.count)
    XCTAssertEqual(made["vault_size"] as? Int, vaultBefore.count)
    // The committed log: without the commit mark after it (FORMAT.md, "Commit mark").
    XCTAssertEqual(made["audit_size"] as? Int, auditBefore.count - 44)
    XCTAssertEqual(mode(b), 0o600)
    // The backup is recorded in the live log (after the backup was made).
    XCTAssertEqual(try events(vault), ["backup.created"] + eventsBefore)
    // Text output: the path on its own line, even with --quiet.
    let t = try run(["backup", "create", dir + "/two.mfab", "--quiet"])
    assertExit(t, 0)
    XCTAssertEqual(t.lines, [dir + "/two.mfab"])

    let fresh = dir + "/restored/vault.mfa"
    let r = try run(["backup", "restore", b, "--vault", fresh, "--format", "json"])
    assertExit(r, 0)
    let j = try XCTUnwrap(r.json, r.description)
    XCTAssertEqual(j["previous"] as? String, "missing")
    XCTAssertEqual(j["users"] as? Int, 2)
    XCTAssertTrue(j["replaced_vault"] is NSNull, r.description)
    XCTAssertEqual(j["vault_size"] as? Int, vaultBefore.count)
    XCTAssertEqual(j["audit_size"] as? Int, auditBefore.count - 44)
    XCTAssertEqual(mode(fresh), 0o600)
    XCTAssertEqual(mode(dir + "/restored"), 0o700)
    // The same users and events, and the restore recorded: the restored log is the
    // backed-up one byte for byte plus the backup.restored record.
    XCTAssertEqual(try usersJSON(fresh), usersBefore)
    XCTAssertEqual(try events(fresh), ["backup.restored"] + eventsBefore)
    let restoredAudit = try XCTUnwrap(bytes(fresh + ".audit"))
    XCTAssertEqual(restoredAudit.prefix(auditBefore.count - 44), auditBefore.prefix(auditBefore.count - 44))
    assertExit(try run(["audit", "verify", "--vault", fresh]), 0)
    assertExit(try run(["vault", "check", "--vault", fresh]), 0)
  }

  func testCreateNeverOverwrites() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    try write(b, "precious")
    assertError(try run(["backup", "create", b]), 73, contains: [b])
    XCTAssertEqual(bytes(b), Data("precious".utf8))
    // --dir names files by the second, and a second backup in the same second gets the
    // next free name (_002): neither overwritten nor refused.
    _ = try create(["--dir", backupDir])
    assertExit(try run(["backup", "create", "--dir", backupDir]), 0)
    XCTAssertEqual(listing(backupDir).count, 2)
    XCTAssertFalse(listing(dir).contains { $0.contains(".tmp-") })
  }

  func testCreateUsageErrorsAndMissingVault() throws {
    assertError(try run(["backup", "create", "a.mfab", "--dir", backupDir]), 64)
    assertError(try run(["backup", "create", "a.mfab", "--keep", "3"]), 64)
    assertError(try run(["backup", "create", "--dir", backupDir, "--keep", "0"]), 64)
    assertError(try run(["backup", "create", "a.mfab"]), 66, contains: ["no vault"])
    try setUpVault()
    assertError(try run(["backup", "create", dir + "/a.mfab"], env: ["MFACTL_KEY_FILE": nil]), 77)
    XCTAssertFalse(exists(dir + "/a.mfab"))
    // With neither FILE nor --dir: the time-named file in the current directory.
    let r = try run(["backup", "create"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines, ["mfactl-backup-20231114T221345Z.mfab"])
    XCTAssertTrue(exists(dir + "/mfactl-backup-20231114T221345Z.mfab"))
  }

  // MARK: verify

  func testVerifyDetectsAnyFlippedByteWithoutTouchingTheVault() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    _ = try create([b])
    let good = try XCTUnwrap(bytes(b))
    let before = (vaultState(), bytes(audit), vaultDirListing())

    let ok = try run(["backup", "verify", b, "--format", "json"])
    assertExit(ok, 0)
    XCTAssertEqual(ok.json?["verified"] as? Bool, true)
    XCTAssertEqual(ok.json?["users"] as? Int, 2)
    // Magic, version, created, header length, a key slot, the checksum, the nonce, the
    // middle and the tag at the end.
    for offset in [0, 9, 12, 19, 40, 70, 130, good.count / 2, good.count - 20, good.count - 1] {
      try writeBytes(b, good)
      try flip(b, at: offset)
      // (A flipped high byte of the version reads as a newer format: still 65.)
      assertError(try run(["backup", "verify", b]), 65, contains: [offset == 9 ? "version" : "corrupt"])
    }
    try writeBytes(b, good.prefix(good.count - 1))
    assertError(try run(["backup", "verify", b]), 65)
    try writeBytes(b, good)
    assertExit(try run(["backup", "verify", b]), 0)
    XCTAssertEqual(vaultState(), before.0)
    XCTAssertEqual(bytes(audit), before.1)
    XCTAssertEqual(vaultDirListing(), before.2)
  }

  func testVerifyWithAWrongOrMissingKey() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    _ = try create([b])
    let otherKey = dir + "/other.key"
    try writeBytes(otherKey, Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
    assertError(
      try run(["backup", "verify", b], env: ["MFACTL_KEY_FILE": otherKey]), 77,
      contains: ["the key file from $MFACTL_KEY_FILE (\(otherKey)) opens no key slot of backup"])
    assertError(
      try run(["backup", "verify", b], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "guess"]), 77)
    assertError(try run(["backup", "verify", b], env: ["MFACTL_KEY_FILE": nil]), 77)
    assertError(try run(["backup", "verify", dir + "/nothing.mfab"]), 66)
    // Not a backup at all: corrupt, before any key is asked for.
    assertError(try run(["backup", "verify", keyFile], env: ["MFACTL_KEY_FILE": nil]), 65)
    // verify needs no vault.
    try FileManager.default.removeItem(atPath: vault)
    assertExit(try run(["backup", "verify", b]), 0)
  }

  // MARK: restore

  func testRestoreRefusesOverAGoodVaultWithoutForce() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    _ = try create([b])
    try enrol("carol")
    let before = (vaultState(), bytes(audit), vaultDirListing())
    let r = try run(["backup", "restore", b])
    assertError(r, 64, contains: ["--force", "recovery codes", "replay"])
    XCTAssertEqual(vaultState(), before.0)
    XCTAssertEqual(bytes(audit), before.1)
    XCTAssertEqual(vaultDirListing(), before.2)

    let f = try run(["backup", "restore", b, "--force"])
    assertExit(f, 0)
    XCTAssertTrue(f.stdout.contains("intact"), f.description)
    let kept = vault + ".replaced-20231114T221345Z"
    XCTAssertEqual(bytes(kept), before.0)
    XCTAssertEqual(bytes(audit + ".replaced-20231114T221345Z"), before.1)
    XCTAssertTrue(f.stdout.contains(kept), f.description)
    // carol came after the backup; the kept vault still has her.
    assertError(try run(["users", "show", "carol"]), 67)
    assertExit(try run(["users", "show", "carol", "--vault", kept]), 0)
  }

  func testRestoreOverAMissingOrCorruptVaultNeedsNoForce() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    _ = try create([b])
    let good = try XCTUnwrap(vaultState())
    let usersBefore = try usersJSON(vault)

    // Corrupt: a flipped byte in the last record. `backup create` logged its event with
    // a write in place, whose journal entry is still pending (format 3): an open replays
    // it over the bytes it patched, which would mend a flip there (the last record is
    // often `audit/head`). Its writes are in the file already (no power cut here), so
    // the journal goes first and the flip stays.
    try? FileManager.default.removeItem(atPath: vault + ".journal")
    try flip(vault, at: good.count - 2)
    let corrupt = try XCTUnwrap(vaultState())
    let r = try run(["backup", "restore", b, "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["previous"] as? String, "corrupt", r.description)
    let kept = try XCTUnwrap(r.json?["replaced_vault"] as? String, r.description)
    XCTAssertEqual(bytes(kept), corrupt)
    XCTAssertEqual(r.json?["replaced_audit"] is String, exists(audit + ".replaced-20231114T221345Z"))
    XCTAssertEqual(try usersJSON(vault), usersBefore)
    XCTAssertEqual(try events(vault).first, "backup.restored")
    assertExit(try run(["vault", "check"]), 0)

    // Missing.
    try FileManager.default.removeItem(atPath: vault)
    let m = try run(["backup", "restore", b], at: now + 60)
    assertExit(m, 0)
    XCTAssertTrue(m.stdout.contains("no vault"), m.description)
    XCTAssertEqual(try usersJSON(vault), usersBefore)
    assertExit(try run(["audit", "verify"]), 0)
    XCTAssertFalse(vaultDirListing().contains { $0.contains(".tmp-") }, "\(vaultDirListing())")
  }

  func testRestoreKeepsTheReplacedVaultsReplayState() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let b = dir + "/before.mfab"
    _ = try create([b])
    let code = try totp(e.secret, at: now)
    assertExit(try run(["verify", "alice", code]), 0)
    assertExit(try run(["verify", "alice", code]), 1)  // replay
    // The replay floor is raised from the replaced vault (docs/security.md, "State that
    // can be rolled back or torn").
    assertExit(try run(["backup", "restore", b, "--force"]), 0)
    assertExit(try run(["verify", "alice", code]), 1)
    // With no replaced vault to learn from, nothing can be raised: what --force warns of.
    try FileManager.default.removeItem(atPath: vault)
    assertExit(try run(["backup", "restore", b]), 0)
    assertExit(try run(["verify", "alice", code]), 0)
  }

  func testRestoreWithACorruptBackupChangesNothing() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    _ = try create([b])
    try flip(b, at: (bytes(b)?.count ?? 0) - 30)
    try FileManager.default.removeItem(atPath: vault)
    let listingBefore = vaultDirListing()
    assertError(try run(["backup", "restore", b]), 65)
    XCTAssertFalse(exists(vault))
    XCTAssertEqual(vaultDirListing(), listingBefore)
  }

  // MARK: --dir, --keep, list

  func testDirKeepRotatesToTheNewestN() throws {
    try setUpVault()
    try FileManager.default.createDirectory(atPath: backupDir, withIntermediateDirectories: true)
    try write(backupDir + "/notes.txt", "keep me")
    try write(backupDir + "/mfactl-backup-notes.txt", "keep me too")
    // Another vault's backup, older than all of ours, in the same directory.
    let otherVault = dir + "/other/vault.mfa"
    let otherKey = dir + "/other.key"
    assertExit(
      try run(
        ["init", "--vault", otherVault, "--generate-key-file", otherKey, "--no-passphrase"],
        env: ["MFACTL_KEY_FILE": nil]), 0)
    let o = try create(
      ["--vault", otherVault, "--key-file", otherKey, "--dir", backupDir, "--keep", "1"], at: now - 86_400)
    let otherName = ((o["path"] as? String ?? "") as NSString).lastPathComponent
    var names: [String] = []
    for i in 0..<5 {
      let t = now + Int64(i) * 86_400
      let j = try create(["--dir", backupDir, "--keep", "3"], at: t)
      let path = try XCTUnwrap(j["path"] as? String)
      XCTAssertEqual(
        path,
        backupDir + "/mfactl-backup-\(["20231114", "20231115", "20231116", "20231117", "20231118"][i])T221345Z.mfab")
      names.append((path as NSString).lastPathComponent)
      XCTAssertEqual((j["deleted"] as? [String])?.count, i >= 3 ? 1 : 0, "\(j)")
    }
    XCTAssertEqual(
      listing(backupDir), (Array(names.suffix(3)) + [otherName, "mfactl-backup-notes.txt", "notes.txt"]).sorted())
    XCTAssertEqual(mode(backupDir + "/" + names[4]), 0o600)

    let l = try run(["backup", "list", backupDir, "--format", "json"])
    assertExit(l, 0)
    let rows = try XCTUnwrap(l.jsonLines, l.description)
    XCTAssertEqual(rows.compactMap { $0["id"] as? String }, names.suffix(3).reversed() + [otherName])
    // Our key does not open the other vault's backup.
    XCTAssertEqual(rows.compactMap { $0["verified"] as? Bool }, [true, true, true, false])
    XCTAssertEqual(rows.compactMap { $0["users"] as? Int }, [2, 2, 2])
    XCTAssertEqual(rows.first?["created"] as? String, "2023-11-18T22:13:45Z")
    XCTAssertEqual(rows.first?["path"] as? String, backupDir + "/" + names[4])
    XCTAssertEqual(rows.first?["size"] as? Int, bytes(backupDir + "/" + names[4])?.count)
  }

  func testListShowsVerifiedYesNoOrUnknown() throws {
    try setUpVault()
    for i in 0..<3 { _ = try create(["--dir", backupDir], at: now + Int64(i)) }
    let names = listing(backupDir)
    try flip(backupDir + "/" + names[0], at: 200)

    let t = try run(["backup", "list", backupDir])
    assertExit(t, 0)
    XCTAssertEqual(t.lines.count, 3, t.description)
    XCTAssertTrue(t.lines[0].hasPrefix(names[2]) && t.lines[0].hasSuffix("verified yes"), t.description)
    XCTAssertTrue(t.lines[2].hasPrefix(names[0]) && t.lines[2].contains("verified no"), t.description)

    let k = try run(["backup", "list", backupDir, "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(k, 0)
    let rows = try XCTUnwrap(k.jsonLines, k.description)
    XCTAssertEqual(rows.count, 3)
    XCTAssertTrue(rows.allSatisfy { $0["verified"] is NSNull }, k.description)
    let u = try run(["backup", "list", backupDir], env: ["MFACTL_KEY_FILE": nil])
    XCTAssertTrue(u.lines.allSatisfy { $0.hasSuffix("verified unknown") }, u.description)

    assertError(try run(["backup", "list", dir + "/nowhere"]), 66)
    let empty = dir + "/empty"
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    let e = try run(["backup", "list", empty, "--format", "json"])
    assertExit(e, 0)
    XCTAssertEqual(e.stdout, "")
  }

  // MARK: separate backup passphrase

  func testSeparateBackupPassphraseOpensOnlyWithIt() throws {
    try setUpVault()
    let pf = dir + "/backup-pass"
    try write(pf, "backup secret\n")
    let b = dir + "/own.mfab"
    let made = try create([b, "--backup-passphrase-file", pf])
    XCTAssertEqual(made["protection"] as? String, "backup-passphrase")

    assertError(try run(["backup", "verify", b]), 77, contains: ["passphrase"])
    assertError(try run(["backup", "verify", b], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "wrong"]), 77)
    let ok = try run(
      ["backup", "verify", b, "--passphrase-file", pf, "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(ok, 0)
    XCTAssertEqual(ok.json?["protection"] as? String, "backup-passphrase")

    // Restored, the vault opens with its own key file again (not the backup passphrase).
    let fresh = dir + "/r/vault.mfa"
    assertExit(
      try run(["backup", "restore", b, "--vault", fresh, "--passphrase-file", pf], env: ["MFACTL_KEY_FILE": nil]), 0)
    assertExit(try run(["vault", "check", "--vault", fresh]), 0)
    assertExit(try run(["audit", "verify", "--vault", fresh]), 0)
    XCTAssertEqual(try events(fresh).first, "backup.restored")
    assertError(
      try run(["vault", "check", "--vault", fresh, "--passphrase-file", pf], env: ["MFACTL_KEY_FILE": nil]), 77)
  }

  // MARK: the vault lock

  /// Holds `<vault>.lock` with util-linux flock(1) (as DurabilityTests does) until killed.
  func holdVaultLock(shared: Bool, file: StaticString = #filePath, line: UInt = #line) throws -> Running {
    guard Binary.tool("flock") != nil, let sh = Binary.tool("sh") else {
      XCTFail("flock (util-linux) is not installed", file: file, line: line)
      throw Binary.Failure(description: "flock missing")
    }
    let lockPath = vault + ".lock"
    let holder = try Running(
      executable: sh,
      args: ["-c", "exec 9>>\"$1\" && flock \(shared ? "-s" : "-x") 9 && exec sleep 20", "sh", lockPath],
      stdin: nil, env: ProcessInfo.processInfo.environment, cwd: dir, captureOutput: false)
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      if try tool("flock", ["-n", "-x", lockPath, "true"]).code != 0 { return holder }
      usleep(10_000)
    }
    holder.kill(SIGKILL)
    _ = holder.wait()
    XCTFail("flock did not take the lock", file: file, line: line)
    throw Binary.Failure(description: "no lock")
  }

  func testCreateSharesTheLockAndRestoreTakesItExclusively() throws {
    try setUpVault()
    let b = dir + "/one.mfab"
    // A writer holds the lock: create waits, then gives up (75) and writes nothing.
    var holder = try holdVaultLock(shared: false)
    assertError(try run(["backup", "create", b], env: ["MFACTL_LOCK_TIMEOUT": "0.3"]), 75)
    XCTAssertFalse(exists(b))
    holder.kill(SIGKILL)
    _ = holder.wait()

    // A reader holds it: create reads alongside it (shared lock) but cannot record
    // backup.created (exclusive): no event, no backup.
    holder = try holdVaultLock(shared: true)
    defer {
      holder.kill(SIGKILL)
      _ = holder.wait()
    }
    let before = (vaultState(), vaultDirListing())
    assertError(try run(["backup", "create", b], env: ["MFACTL_LOCK_TIMEOUT": "0.3"]), 75)
    XCTAssertFalse(exists(b))
    XCTAssertEqual(listing(dir).filter { $0.contains("one.mfab") }, [])
    XCTAssertEqual(vaultState(), before.0)
    // verify needs no lock at all; restore needs the exclusive one.
    holder.kill(SIGKILL)
    _ = holder.wait()
    _ = try create([b])
    holder = try holdVaultLock(shared: true)
    assertExit(try run(["backup", "verify", b], env: ["MFACTL_LOCK_TIMEOUT": "0.3"]), 0)
    let beforeRestore = (vaultState(), vaultDirListing())
    assertError(try run(["backup", "restore", b, "--force"], env: ["MFACTL_LOCK_TIMEOUT": "0.3"]), 75)
    XCTAssertEqual(vaultState(), beforeRestore.0)
    XCTAssertEqual(vaultDirListing(), beforeRestore.1)
  }
}
