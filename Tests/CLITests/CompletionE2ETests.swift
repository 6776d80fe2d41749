import Foundation
import XCTest

/// The committed bash completion offers user names from the vault the environment
/// points at, and offers nothing (quickly, without prompting) when it cannot unlock.
final class CompletionE2ETests: CLITestCase {
  func complete(_ words: [String], env: [String: String?] = [:]) throws -> (names: [String], seconds: Double) {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let script = repo + "/completions/mfactl.bash"
    XCTAssertTrue(exists(script), "completions/mfactl.bash is committed")
    let binDir = URL(fileURLWithPath: try binary()).deletingLastPathComponent().path
    var e = environment(env)
    e["PATH"] = binDir + ":" + (e["PATH"] ?? "/usr/bin:/bin")
    let bash = try XCTUnwrap(Binary.tool("bash"))
    let r = try Running(
      executable: bash,
      args: [
        "--norc", "--noprofile", "-c",
        """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
        _mfactl "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """,
        "_", script,
      ] + words, stdin: nil, env: e, cwd: dir
    ).wait()
    return (r.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }, r.seconds)
  }

  func testUserNamesComeFromTheVault() throws {
    try initKeyFileVault()
    try enrol("alice")
    try enrol("albert")
    try enrol("bob")
    XCTAssertEqual(Set(try complete(["mfactl", "verify", "al"]).names), ["alice", "albert"])
    XCTAssertEqual(Set(try complete(["mfactl", "users", "show", ""]).names), ["alice", "albert", "bob"])
    XCTAssertEqual(Set(try complete(["mfactl", "recovery-codes", "generate", "b"]).names), ["bob"])
  }

  func testALockedVaultOffersNothingQuickly() throws {
    try initPassphraseVault()
    try enrol("alice", env: ["MFACTL_PASSPHRASE": "correct horse", "MFACTL_KEY_FILE": nil])
    let r = try complete(["mfactl", "verify", ""], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": nil])
    XCTAssertEqual(r.names, [], "no key: no names, and no prompt")
    XCTAssertLessThan(r.seconds, 5)
  }
}
