import Foundation
import XCTest

/// `mfactl vault info | passwd | add-key-file | remove-key-file | rekey | check`.
final class VaultCommandTests: CLITestCase {
  let pass: [String: String?] = ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "old pass"]

  func slots(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
    let r = try run(["vault", "info", "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0, file: file, line: line)
    return try XCTUnwrap(r.json?["slots"] as? [[String: Any]], r.description, file: file, line: line)
  }

  // MARK: info

  func testInfoNeedsNoKey() throws {
    try requireFileVault()  // file modes / bytes of the vault file
    try initKeyFileVault()
    try enrol("alice")
    let before = vaultState()
    let r = try run(["vault", "info", "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    let j = try XCTUnwrap(r.json, r.description)
    XCTAssertEqual(j["format_version"] as? Int, 4)
    let slots = try XCTUnwrap(j["slots"] as? [[String: Any]])
    XCTAssertEqual(slots.count, 1)
    XCTAssertEqual(slots[0]["kind"] as? String, "key-file")
    XCTAssertEqual(j["size"] as? Int, vaultState()?.count)
    let t = try run(["vault", "info"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(t, 0)
    XCTAssertTrue(t.stdout.contains("format"), t.description)
    XCTAssertEqual(vaultState(), before)
    // Even a wrong key is no obstacle: info never unlocks.
    assertExit(try run(["vault", "info"], env: ["MFACTL_KEY_FILE": dir + "/missing.key"]), 0)
  }

  func testInfoShowsPassphraseKDFParameters() throws {
    try initPassphraseVault()
    let s = try slots()
    XCTAssertEqual(s.count, 1)
    XCTAssertEqual(s[0]["kind"] as? String, "passphrase")
    XCTAssertNotNil(s[0]["opslimit"] as? Int)
    XCTAssertNotNil(s[0]["memlimit"] as? Int)
  }

  func testInfoOnMissingVaultIs66() throws {
    assertError(try run(["vault", "info"]), 66, contains: ["mfactl init"])
  }

  // MARK: passwd

  func testPasswdWithNewPassphraseFile() throws {
    try initPassphraseVault("old pass")
    let e = try enrol("alice", env: pass)
    let np = dir + "/new-pass"
    try write(np, "new pass\n")
    let r = try run(["vault", "passwd", "--new-passphrase-file", np], env: pass)
    assertExit(r, 0)
    assertError(try run(["users", "list"], env: pass), 77)
    let newEnv: [String: String?] = ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "new pass"]
    assertExit(try run(["users", "list"], env: newEnv), 0)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)], env: newEnv), 0, "records survive")
  }

  func testPasswdFromStdinLine() throws {
    try initPassphraseVault("old pass")
    assertExit(try run(["vault", "passwd"], stdin: "stdin pass\n", env: pass), 0)
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "stdin pass"]), 0)
    assertError(try run(["users", "list"], env: pass), 77)
  }

  func testPasswdWithWrongOldPassphraseIs77AndUnchanged() throws {
    try initPassphraseVault("old pass")
    let np = dir + "/new-pass"
    try write(np, "new pass\n")
    let before = vaultState()
    let r = try run(
      ["vault", "passwd", "--new-passphrase-file", np], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "nope"])
    assertError(r, 77)
    XCTAssertEqual(vaultState(), before)
  }

  func testPasswdAddsPassphraseToKeyFileVault() throws {
    try initKeyFileVault()
    let np = dir + "/new-pass"
    try write(np, "added pass\n")
    assertExit(try run(["vault", "passwd", "--new-passphrase-file", np]), 0)
    XCTAssertEqual(Set(try slots().compactMap { $0["kind"] as? String }), ["key-file", "passphrase"])
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "added pass"]), 0)
    assertExit(try run(["users", "list"]), 0)
  }

  // MARK: add-key-file / remove-key-file

  func testAddKeyFileCreatesANewOne() throws {
    try initPassphraseVault("old pass")
    let kf = dir + "/added.key"
    let r = try run(["vault", "add-key-file", kf, "--format", "json"], env: pass)
    assertExit(r, 0)
    XCTAssertEqual(r.json?["key_file_created"] as? Bool, true, r.description)
    XCTAssertEqual(bytes(kf)?.count, 32)
    XCTAssertEqual(mode(kf), 0o600)
    XCTAssertEqual(try slots().count, 2)
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": kf]), 0)
    assertExit(try run(["users", "list"], env: pass), 0)
  }

  func testAddKeyFileEnrolsAnExistingOne() throws {
    try initKeyFileVault()
    let kf = dir + "/existing.key"
    let key = Data((0..<32).map { UInt8(255 - $0) })
    try writeBytes(kf, key)
    let r = try run(["vault", "add-key-file", kf, "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["key_file_created"] as? Bool, false, r.description)
    XCTAssertEqual(bytes(kf), key, "an existing key file is not rewritten")
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": kf]), 0)
    assertExit(try run(["users", "list"]), 0)
  }

  func testAddKeyFileOfWrongSizeIsRefusedWithoutBlamingTheVault() throws {
    try initKeyFileVault()
    let kf = dir + "/short.key"
    try writeBytes(kf, Data(count: 31))
    let before = vaultState()
    let r = try run(["vault", "add-key-file", kf])
    assertError(r, 65, contains: [kf])
    XCTAssertFalse(r.stderr.contains("vault is corrupt"), "the key file is bad, not the vault\n\(r)")
    XCTAssertFalse(r.stderr.contains("restore the vault"), "no advice to restore an intact vault\n\(r)")
    XCTAssertEqual(vaultState(), before)
  }

  func testRemoveKeyFileRefusesTheLastSlot() throws {
    try initKeyFileVault()
    let before = vaultState()
    let r = try run(["vault", "remove-key-file"])
    assertError(r, 64)
    XCTAssertEqual(vaultState(), before)
    assertExit(try run(["users", "list"]), 0)
  }

  func testRemoveKeyFileLeavesThePassphrase() throws {
    try initKeyFileVault()
    let np = dir + "/pass"
    try write(np, "pass\n")
    assertExit(try run(["vault", "passwd", "--new-passphrase-file", np]), 0)
    let r = try run(["vault", "remove-key-file"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "pass"])
    assertExit(r, 0)
    XCTAssertEqual(try slots().compactMap { $0["kind"] as? String }, ["passphrase"])
    assertError(try run(["users", "list"]), 77, contains: ["the key file from $MFACTL_KEY_FILE", "opens no key slot"])
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "pass"]), 0)
    // No key-file slot is left (and the passphrase slot is the last one): refused, unchanged.
    let before = vaultState()
    let again = try run(["vault", "remove-key-file"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "pass"])
    XCTAssertTrue([64, 66].contains(again.code), again.description)
    assertError(again, again.code)
    XCTAssertEqual(vaultState(), before)
  }

  func testRemoveKeyFileByPath() throws {
    try initKeyFileVault()
    let second = dir + "/second.key"
    assertExit(try run(["vault", "add-key-file", second]), 0)
    assertExit(try run(["vault", "remove-key-file", second]), 0)
    XCTAssertEqual(try slots().count, 1)
    assertError(try run(["users", "list"], env: ["MFACTL_KEY_FILE": second]), 77)
    assertExit(try run(["users", "list"]), 0)
  }

  func testRemoveKeyFileNotInTheVaultIs66WithASensibleMessage() throws {
    try initKeyFileVault()
    assertExit(try run(["vault", "add-key-file", dir + "/second.key"]), 0)
    let stranger = dir + "/stranger.key"
    try writeBytes(stranger, Data((0..<32).map { UInt8($0 ^ 0x5A) }))
    let before = vaultState()
    let r = try run(["vault", "remove-key-file", stranger])
    assertError(r, 66)
    XCTAssertFalse(r.stderr.contains("no vault at"), "the vault exists; the slot is what is missing\n\(r)")
    XCTAssertEqual(vaultState(), before)
  }

  // MARK: rekey

  func testRekeyKeepsEverythingOpenable() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let h = try enrol("bob", ["--type", "hotp"])
    let before = try XCTUnwrap(vaultState())
    let r = try run(["vault", "rekey"])
    assertExit(r, 0)
    let after = try XCTUnwrap(vaultState())
    XCTAssertNotEqual(after, before)
    // Every record was re-encrypted: no 16-byte window of the old record area survives.
    let tail = before.suffix(64)
    XCTAssertNil(after.range(of: tail.prefix(16)), "old ciphertext still present after rekey")
    assertExit(try run(["vault", "check"]), 0)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
    assertExit(try run(["verify", "bob", try hotp(h.secret, counter: 0)]), 0)
    XCTAssertEqual(try slots().count, 1)
  }

  func testRekeyRefusesToDropSlotsSilently() throws {
    try initKeyFileVault()
    let second = dir + "/second.key"
    assertExit(try run(["vault", "add-key-file", second]), 0)
    let before = vaultState()
    assertError(try run(["vault", "rekey"]), 64)
    XCTAssertEqual(vaultState(), before)
    assertExit(try run(["vault", "rekey", "--also-key-file", second]), 0)
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": second]), 0)
    assertExit(try run(["users", "list"]), 0)
    assertExit(try run(["vault", "rekey", "--drop-other-slots"]), 0)
    assertError(try run(["users", "list"], env: ["MFACTL_KEY_FILE": second]), 77)
    assertExit(try run(["users", "list"]), 0)
  }

  func testRekeyPassphraseVault() throws {
    try initPassphraseVault("old pass")
    let e = try enrol("alice", env: pass)
    assertExit(try run(["vault", "rekey"], env: pass), 0)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)], env: pass), 0)
  }

  // MARK: check

  func testCheckReadsEveryRecord() throws {
    try requireFileVault()  // file modes / bytes of the vault file
    try initKeyFileVault()
    try enrol("alice")
    try enrol("bob")
    let r = try run(["vault", "check", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["ok"] as? Bool, true, r.description)
    XCTAssertEqual(r.json?["users"] as? Int, 2, r.description)
    // Damage the last byte of the last record: check finds it.
    var data = try XCTUnwrap(vaultState())
    data[data.count - 1] ^= 0x01
    try writeBytes(vault, data)
    let bad = try run(["vault", "check"])
    assertError(bad, 65, contains: ["corrupt or has been tampered with"])
  }

  func testTruncatedKeyFileIsAnUnlockFailureNotACorruptVault() throws {
    try initKeyFileVault()
    try enrol("alice")
    let before = vaultState()
    let short = dir + "/short.key"
    try writeBytes(short, try XCTUnwrap(bytes(keyFile)).prefix(31))
    let r = try run(["verify", "alice", "123456"], env: ["MFACTL_KEY_FILE": short])
    assertError(r, 77, contains: [short])
    XCTAssertFalse(r.stderr.contains("vault is corrupt"), "a bad key file is not a corrupt vault\n\(r)")
    XCTAssertEqual(vaultState(), before)
  }
}
