import Foundation
import XCTest

final class InitTests: CLITestCase {
  func testKeyFileVaultCreatesPrivateFiles() throws {
    try requireFileVault()  // file modes / bytes of the vault file
    let r = try run(["init", "--generate-key-file", keyFile, "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    XCTAssertTrue(r.stderr.isEmpty, r.description)
    XCTAssertEqual(mode(vault), 0o600, "vault mode")
    XCTAssertEqual(mode((vault as NSString).deletingLastPathComponent), 0o700, "a created parent directory is 0700")
    XCTAssertEqual(mode(keyFile), 0o600, "key file mode")
    XCTAssertEqual(bytes(keyFile)?.count, 32, "a key file is 32 random bytes")
    XCTAssertNotEqual(bytes(keyFile), Data(count: 32))
    // The vault opens with that key file, and only with it.
    assertExit(try run(["users", "list"]), 0)
    let info = try run(["vault", "info", "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(info, 0)
    let slots = info.json?["slots"] as? [[String: Any]]
    XCTAssertEqual(slots?.count, 1, info.description)
    XCTAssertEqual(slots?.first?["kind"] as? String, "key-file", info.description)
  }

  func testTwoKeyFilesDiffer() throws {
    try initKeyFileVault()
    let other = dir + "/other.key"
    let r = try run(
      ["init", "--generate-key-file", other, "--no-passphrase"],
      env: ["MFACTL_KEY_FILE": nil, "MFACTL_VAULT": dir + "/b.mfa"])
    assertExit(r, 0)
    XCTAssertNotEqual(bytes(keyFile), bytes(other))
    // A key file of one vault does not open another: 77.
    assertError(try run(["users", "list"], env: ["MFACTL_VAULT": dir + "/b.mfa"]), 77)
  }

  func testPassphraseFromFile() throws {
    try requireFileVault()  // file modes / bytes of the vault file
    let pf = dir + "/pass"
    try write(pf, "file passphrase\n")
    let r = try run(["init", "--passphrase-file", pf], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    XCTAssertEqual(mode(vault), 0o600)
    // The trailing newline is not part of the passphrase.
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "file passphrase"]), 0)
    assertExit(try run(["users", "list", "--passphrase-file", pf], env: ["MFACTL_KEY_FILE": nil]), 0)
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE_FILE": pf]), 0)
    assertError(
      try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "file passphrase\n"]), 77)
    assertError(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "wrong"]), 77)
  }

  func testPassphraseFromEnvironment() throws {
    let r = try run(["init"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "env passphrase"])
    assertExit(r, 0)
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "env passphrase"]), 0)
    let info = try run(["vault", "info", "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    let slots = info.json?["slots"] as? [[String: Any]]
    XCTAssertEqual(slots?.count, 1, info.description)
    XCTAssertEqual(slots?.first?["kind"] as? String, "passphrase", info.description)
  }

  func testPassphraseFromStdinLine() throws {
    let r = try run(["init"], stdin: "stdin passphrase\n", env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    assertExit(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "stdin passphrase"]), 0)
    assertError(try run(["users", "list"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "stdin"]), 77)
  }

  func testNoPassphraseOnStdinIsAUsageErrorAndCreatesNothing() throws {
    let r = try run(["init"], stdin: "", env: ["MFACTL_KEY_FILE": nil])
    assertError(r, 64)
    XCTAssertFalse(exists(vault))
  }

  func testNoPassphraseWithoutKeyFileIsUsageError() throws {
    let r = try run(["init", "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil])
    assertError(r, 64, contains: ["--no-passphrase"])
    XCTAssertFalse(exists(vault))
  }

  func testExistingVaultIs73AndUnchanged() throws {
    try initKeyFileVault()
    try enrol("alice")
    let before = vaultState()
    let otherKey = dir + "/second.key"
    let r = try run(["init", "--generate-key-file", otherKey, "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil])
    assertError(r, 73, contains: ["exists"])
    XCTAssertEqual(vaultState(), before)
    XCTAssertFalse(exists(otherKey), "a failed init leaves no key file behind")
    let r2 = try run(["init"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": "x"])
    assertError(r2, 73)
    XCTAssertEqual(vaultState(), before)
  }

  func testExistingKeyFileTargetIs73AndNoVault() throws {
    try write(keyFile, "not to be overwritten")
    let r = try run(["init", "--generate-key-file", keyFile, "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil])
    assertError(r, 73)
    XCTAssertFalse(exists(vault), "no vault after a failed init")
    XCTAssertEqual(bytes(keyFile), Data("not to be overwritten".utf8))
  }

  func testExistingKeyFileEnrolledWithKeyFileOption() throws {
    // --key-file PATH with --no-passphrase enrols an existing 32-byte key file.
    let key = Data((0..<32).map { UInt8($0 * 7 & 0xFF) })
    try writeBytes(keyFile, key)
    let r = try run(["init", "--no-passphrase", "--key-file", keyFile], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    XCTAssertEqual(bytes(keyFile), key)
    assertExit(try run(["users", "list"]), 0)
  }

  func testDefaultVaultLocationUnderXDGDataHome() throws {
    let r = try run(
      ["init", "--generate-key-file", keyFile, "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_VAULT": nil])
    assertExit(r, 0)
    let expected = dir + "/xdg/mfactl/vault.mfa"
    XCTAssertTrue(exists(expected), "vault at $XDG_DATA_HOME/mfactl/vault.mfa\n\(r)")
    XCTAssertEqual(mode(dir + "/xdg/mfactl"), 0o700)
    XCTAssertEqual(mode(expected), 0o600)
  }

  func testInitJSON() throws {
    let r = try run(
      ["init", "--generate-key-file", keyFile, "--no-passphrase", "--format", "json"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
    let j = try XCTUnwrap(r.json, r.description)
    XCTAssertEqual(j["format_version"] as? Int, 4)
    XCTAssertEqual(j["vault"] as? String, vault)
  }
}
