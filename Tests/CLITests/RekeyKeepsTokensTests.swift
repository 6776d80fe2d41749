import Foundation
import Sodium
import Vault
import XCTest

/// Issue 8, item 10: `vault rekey` rotates the data key and keeps everything working
/// (docs/security.md, "State that can be rolled back or torn"): live sessions, trusted
/// devices, recovery codes, pending challenges and the audit chain stay valid, through
/// any number of rekeys, and for vaults written in format 1 too (docs/FORMAT.md, "Hashing
/// keys").
final class RekeyKeepsTokensTests: CLITestCase {
  /// A token of the right shape that was never issued: the check must still reject it.
  func forged(_ token: String) -> String {
    let last = token.last == "A" ? "B" : "A"
    return String(token.dropLast()) + last
  }

  func rekey(_ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
    assertExit(try run(["vault", "rekey"] + extra), 0, "vault rekey failed", file: file, line: line)
  }

  func useRecoveryCode(_ user: String, _ code: String) throws -> RunResult {
    try run(["recovery-codes", "use", user, code])
  }

  func assertChallengeAccepted(_ user: String, _ code: String, file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let r = try run(["verify", user, code, "--format", "json"])
    assertExit(r, 0, "the challenge code sent before the rekey is rejected", file: file, line: line)
    XCTAssertEqual(r.json?["method"] as? String, "challenge", r.description, file: file, line: line)
  }

  func assertAuditIntact(file: StaticString = #filePath, line: UInt = #line) throws {
    let r = try run(["audit", "verify"])
    assertExit(r, 0, "the audit chain does not verify", file: file, line: line)
    XCTAssertTrue(r.stdout.contains("chain intact"), r.description, file: file, line: line)
  }

  func formatVersion(file: StaticString = #filePath, line: UInt = #line) throws -> Int {
    let r = try run(["vault", "info", "--format", "json"])
    assertExit(r, 0, file: file, line: line)
    return (r.json?["format_version"] as? Int) ?? -1
  }

  // MARK: A vault made by this build

  func testRekeyKeepsSessionsDevicesRecoveryCodesAndChallenges() throws {
    try initKeyFileVault()
    let secret = try enrol("alice").secret
    let session = try newSession("alice")
    let device = try newDevice("alice")
    let codes = try generateRecoveryCodes("alice", count: 4)
    let challenge1 = try sendChallenge("alice")
    let challenge2 = try sendChallenge("alice")
    let eventsBefore = try run(["audit", "list", "--format", "json"]).lines.count

    try rekey()
    try checkSession(session.token, 0, "the session created before the rekey is rejected")
    try checkDevice("alice", device.token, 0, "the device trusted before the rekey is rejected")
    assertExit(try useRecoveryCode("alice", codes[0]), 0, "a recovery code made before the rekey is rejected")
    try assertChallengeAccepted("alice", challenge1)
    // Still real checks: what was never issued, or is used up, is refused.
    try checkSession(forged(session.token), 1)
    try checkDevice("alice", forged(device.token), 1)
    assertExit(try useRecoveryCode("alice", codes[0]), 1, "a used recovery code works once")
    assertExit(try run(["verify", "alice", challenge1]), 1, "a challenge code works once")
    try assertAuditIntact()
    XCTAssertGreaterThan(try run(["audit", "list", "--format", "json"]).lines.count, eventsBefore)

    // What is issued between two rekeys survives the second, and so does the rest.
    let session2 = try newSession("alice")
    try rekey()
    try checkSession(session.token, 0)
    try checkSession(session2.token, 0)
    try checkDevice("alice", device.token, 0)
    assertExit(try useRecoveryCode("alice", codes[1]), 0)
    try assertChallengeAccepted("alice", challenge2)
    assertExit(try run(["verify", "alice", try totp(secret, at: now)]), 0)
    try assertAuditIntact()
    assertExit(try run(["vault", "check"]), 0)

    // Revoking still works on tokens that crossed a rekey.
    assertExit(try run(["sessions", "revoke", session.id]), 0)
    try checkSession(session.token, 1)
    try checkSession(session2.token, 0)
    XCTAssertEqual(try recoveryRemaining("alice"), 2)
  }

  /// Tokens and codes issued after a rekey work, and are hashed with the same keys as
  /// those issued before (one more rekey, with a different key file, keeps all of them).
  func testRekeyToAnotherKeyFileKeepsEverythingAndDropsTheOldKey() throws {
    try initKeyFileVault()
    try enrol("alice")
    let before = try newSession("alice")
    let oldKey = bytes(keyFile)!
    let second = dir + "/second.key"
    assertExit(try run(["vault", "add-key-file", second]), 0)
    // Rekey for the second key file only: the first one opens nothing any more.
    assertExit(try run(["vault", "rekey", "--drop-other-slots"], env: ["MFACTL_KEY_FILE": second]), 0)
    try writeBytes(keyFile, oldKey)
    assertError(try run(["sessions", "check", before.token]), 77)
    assertError(try run(["users", "list"]), 77)
    extraEnv["MFACTL_KEY_FILE"] = second
    try checkSession(before.token, 0)
    let after = try newSession("alice")
    let device = try newDevice("alice")
    let codes = try generateRecoveryCodes("alice", count: 2)
    let challenge = try sendChallenge("alice")
    try rekey()
    try checkSession(before.token, 0)
    try checkSession(after.token, 0)
    try checkDevice("alice", device.token, 0)
    assertExit(try useRecoveryCode("alice", codes[1]), 0)
    try assertChallengeAccepted("alice", challenge)
    try assertAuditIntact()
  }

  /// A backup made after a rekey holds what keeps the tokens valid: restored, they check.
  func testBackupAfterRekeyKeepsTokens() throws {
    try initKeyFileVault()
    try enrol("alice")
    let session = try newSession("alice")
    let codes = try generateRecoveryCodes("alice", count: 2)
    try rekey()
    let backup = dir + "/after-rekey.mfab"
    assertExit(try run(["backup", "create", backup]), 0)
    let fresh = dir + "/restored/vault.mfa"
    assertExit(try run(["backup", "restore", backup, "--vault", fresh]), 0)
    extraEnv["MFACTL_VAULT"] = fresh
    try checkSession(session.token, 0)
    assertExit(try useRecoveryCode("alice", codes[0]), 0)
    XCTAssertEqual(try formatVersion(), 4)
  }

  /// The stored keys are used or the vault is corrupt: a damaged `keys/hashing` (only
  /// a faulty writer holding the key could make one) is 65 wherever a hash is checked
  /// or made, never a silent fall back to keys that would accept or issue other hashes.
  func testADamagedHashingKeysRecordIsCorrupt() throws {
    try initKeyFileVault()
    try enrol("alice")
    let session = try newSession("alice")
    let device = try newDevice("alice")
    try rekey()
    let key = try SecureBytes(copying: Array(try XCTUnwrap(bytes(keyFile))))
    let v = try VaultFile(path: vault, key: .keyFile(key), mode: .exclusive, lockTimeout: 5)
    v.put("keys/hashing", [1] + [UInt8](repeating: 0, count: 95))
    try v.commit()
    let before = vaultState()
    for args in [
      ["vault", "check"], ["sessions", "check", session.token], ["devices", "check", "alice", device.token],
      ["sessions", "create", "alice"], ["recovery-codes", "generate", "alice"], ["challenge", "send", "alice"],
      ["vault", "rekey"],
    ] {
      assertError(try run(args), 65, contains: ["corrupt"])
    }
    XCTAssertEqual(vaultState(), before, "a failed command changes nothing")
  }

  // MARK: A vault written in format 1

  func installVersion1Vault() throws {
    try FileManager.default.createDirectory(
      atPath: (vault as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try writeBytes(vault, Version1Vault.vault)
    try writeBytes(vault + ".audit", Version1Vault.auditLog)
    try writeBytes(keyFile, Version1Vault.keyFile)
    chmod(keyFile, 0o600)
    now = Version1Vault.now + 60
  }

  func testVersion1VaultUpgradesOnItsFirstWriteAndKeepsItsTokensThroughRekeys() throws {
    try installVersion1Vault()
    let v = Version1Vault.self
    assertExit(try run(["--version"]), 0)
    XCTAssertTrue(try run(["--version"]).stdout.contains("vault format 4"))
    XCTAssertEqual(try formatVersion(), 1)
    // Reading does not upgrade: the file is untouched.
    assertExit(try run(["users", "list"]), 0)
    assertExit(try run(["audit", "verify"]), 0)
    XCTAssertEqual(vaultState(), v.vault)
    XCTAssertEqual(try formatVersion(), 1)
    // `status` shows the file's version, not the one this build writes.
    let status = try run(["status", "--format", "json"])
    XCTAssertEqual(status.json?["format_version"] as? Int, 1, status.description)
    // The first write does, and the token it checks still works.
    try checkSession(v.sessionToken, 0)
    XCTAssertEqual(try formatVersion(), 4)
    try checkDevice("alice", v.deviceToken, 0)

    try rekey()
    XCTAssertEqual(try formatVersion(), 4)
    try checkSession(v.sessionToken, 0)
    try checkDevice("alice", v.deviceToken, 0)
    assertExit(try useRecoveryCode("alice", v.recoveryCodes[0]), 0)
    try assertChallengeAccepted("alice", v.challengeCodes[0])
    try assertAuditIntact()

    try rekey()
    try checkSession(v.sessionToken, 0)
    try checkDevice("alice", v.deviceToken, 0)
    assertExit(try useRecoveryCode("alice", v.recoveryCodes[1]), 0)
    try assertChallengeAccepted("alice", v.challengeCodes[1])
    assertExit(try run(["verify", "alice", try totp(v.totpSecret, at: now)]), 0)
    try assertAuditIntact()
    assertExit(try run(["vault", "check"]), 0)
  }

  /// `vault rekey` killed (SIGKILL) at random points, half the time on a format 1 vault
  /// (the rekey that upgrades it and writes `keys/hashing`): the next command finds the
  /// old vault or the new one, both whole, and the tokens and codes issued before work.
  func testRekeyKilledAnywhereKeepsTokensValid() throws {
    let v = Version1Vault.self
    var rng = SystemRandomNumberGenerator()
    func reinstall() throws {
      let d = (vault as NSString).deletingLastPathComponent
      try? FileManager.default.removeItem(atPath: d)
      try installVersion1Vault()
    }
    try reinstall()
    var best = Double.infinity
    for _ in 0..<2 {
      try reinstall()
      let r = try run(["vault", "rekey"])
      assertExit(r, 0)
      best = min(best, r.seconds)
    }
    let kills = 24
    var killedWhileRunning = 0
    var sawOld = 0
    var sawNew = 0
    for i in 0..<kills {
      if i % 2 == 0 { try reinstall() }
      let before = vaultState()
      let p = try start(["vault", "rekey"])
      // `best` includes the harness's 2 ms wait polling, which matters with the release
      // binary (a rekey of this vault takes a few ms): aim well inside it.
      usleep(UInt32(Double.random(in: 0.05...0.8, using: &rng) * best * 1_000_000))
      if p.process.isRunning { killedWhileRunning += 1 }
      p.kill(SIGKILL)
      _ = p.wait()
      assertExit(try run(["vault", "check"]), 0, "the vault opens after kill \(i)")
      assertExit(try run(["audit", "verify"]), 0, "the audit chain verifies after kill \(i)")
      if vaultState() == before { sawOld += 1 } else { sawNew += 1 }
      try checkSession(v.sessionToken, 0, "kill \(i)")
      try checkDevice("alice", v.deviceToken, 0, "kill \(i)")
      // A fresh copy, then the same vault once more: the other challenge, and the
      // recovery code just used is refused.
      let r = try run(["verify", "alice", v.challengeCodes[i % 2], "--format", "json"])
      assertExit(r, 0, "kill \(i)")
      XCTAssertEqual(r.json?["method"] as? String, "challenge", r.description)
      let code = v.recoveryCodes[(i / 2) % 3]
      assertExit(try run(["recovery-codes", "use", "alice", code]), i % 2 == 0 ? 0 : 1, "kill \(i)")
      XCTAssertEqual(try formatVersion(), 4)
    }
    XCTAssertGreaterThan(killedWhileRunning, kills / 4, "most kills should land while the rekey runs")
    print("rekey killed \(kills) times (\(killedWhileRunning) while running): old vault \(sawOld), new vault \(sawNew)")
  }

  /// A format 1 vault rekeyed straight away (its first write is the rekey).
  func testVersion1VaultRekeyedAsItsFirstWrite() throws {
    try installVersion1Vault()
    let v = Version1Vault.self
    try rekey()
    XCTAssertEqual(try formatVersion(), 4)
    try checkSession(v.sessionToken, 0)
    try checkSession(forged(v.sessionToken), 1)
    try checkDevice("alice", v.deviceToken, 0)
    assertExit(try useRecoveryCode("alice", v.recoveryCodes[2]), 0)
    try assertChallengeAccepted("alice", v.challengeCodes[1])
    try assertAuditIntact()
  }
}
