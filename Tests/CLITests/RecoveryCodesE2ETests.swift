import Foundation
import XCTest

/// Issue 3, recovery codes: `recovery-codes generate | status | use`, `verify
/// --allow-recovery` (docs/guide.md, "Recovery codes", "Users").
final class RecoveryCodesE2ETests: CLITestCase {
  var secret = ""

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    secret = try enrol("alice").secret
  }

  func use(_ code: String, _ extra: [String] = [], stdin: String? = nil, at t: Int64? = nil) throws -> RunResult {
    try run(["recovery-codes", "use", "alice", code] + extra, stdin: stdin, at: t)
  }

  /// Recovery-shaped codes that are (all but certainly) none of the user's.
  let wrongCodes = ["00000-00000", "11111-11111", "22222-22222", "33333-33333", "44444-44444", "55555-55555"]

  // MARK: generate and status

  func testGenerateGivesTenUpperCaseCrockfordCodesOnce() throws {
    let r = try run(["recovery-codes", "generate", "alice"])
    assertExit(r, 0)
    let codes = r.lines.filter { matches($0, crockfordCodePattern) }
    XCTAssertEqual(codes.count, 10, "10 codes by default, each on its own line as XXXXX-XXXXX\n\(r)")
    XCTAssertEqual(Set(codes).count, codes.count, "codes are distinct")
    XCTAssertEqual(try recoveryRemaining("alice"), 10)

    let j = try run(["recovery-codes", "generate", "alice", "--format", "json"])
    assertExit(j, 0)
    let jcodes = j.json?["codes"] as? [String] ?? []
    XCTAssertEqual(jcodes.count, 10, j.description)
    for c in jcodes { XCTAssertTrue(matches(c, crockfordCodePattern), "\(c) is not XXXXX-XXXXX upper-case") }
    XCTAssertTrue(Set(jcodes).isDisjoint(with: codes), "a new set has new codes")

    let status = try run(["recovery-codes", "status", "alice"])
    assertExit(status, 0)
    XCTAssertTrue(status.stdout.contains("10"), status.description)
    assertNotOnStdout(jcodes, status)
    assertNotOnDisk(jcodes + jcodes.map { $0.replacingOccurrences(of: "-", with: "") })
  }

  func testCountOption() throws {
    let codes = try generateRecoveryCodes("alice", count: 3)
    XCTAssertEqual(codes.count, 3)
    XCTAssertEqual(try recoveryRemaining("alice"), 3)
    let before = vaultState()
    for bad in ["0", "101", "-1", "x"] {
      assertError(try run(["recovery-codes", "generate", "alice", "--count", bad]), 64)
    }
    XCTAssertEqual(vaultState(), before, "a usage error changes nothing")
    XCTAssertEqual(try recoveryRemaining("alice"), 3)
  }

  func testStatusOfAUserWithoutCodesAndUnknownUser() throws {
    XCTAssertEqual(try recoveryRemaining("alice"), 0)
    assertError(try run(["recovery-codes", "status", "nobody"]), 67)
    assertError(try run(["recovery-codes", "generate", "nobody"]), 67)
    assertError(try run(["recovery-codes", "use", "nobody", "ABCDE-FGHJK"]), 67)
  }

  // MARK: use

  func testUseReportsRemainingAndEachCodeWorksOnce() throws {
    let codes = try generateRecoveryCodes("alice", count: 4)
    let r1 = try use(codes[0])
    assertExit(r1, 0)
    XCTAssertTrue(r1.stdout.contains("3"), "use says how many remain\n\(r1)")
    XCTAssertFalse(r1.stderr.lowercased().contains("warning"), "no warning with 3 left\n\(r1)")
    XCTAssertEqual(try recoveryRemaining("alice"), 3)

    let again = try use(codes[0])
    assertExit(again, 1, "a used code is rejected")
    assertNotOnStderr(codes, again)
    XCTAssertEqual(try failures("alice"), 1, "a reused code is a failure")

    let r2 = try use(codes[1], ["--format", "json"])
    assertExit(r2, 0)
    XCTAssertEqual(r2.json?["remaining"] as? Int, 2, r2.description)
    XCTAssertEqual(try failures("alice"), 0, "success resets the failure count")
    XCTAssertTrue(r2.stderr.lowercased().contains("warning"), "a prominent warning at 2 left\n\(r2)")
    XCTAssertTrue(r2.stderr.contains("2"), r2.description)
    assertNotOnStderr(codes, r2)

    let r3 = try use(codes[2])
    assertExit(r3, 0)
    XCTAssertTrue(r3.stderr.lowercased().contains("warning"), r3.description)
    let r4 = try use(codes[3], ["--format", "json"])
    assertExit(r4, 0)
    XCTAssertEqual(r4.json?["remaining"] as? Int, 0, r4.description)
    XCTAssertTrue(r4.stderr.lowercased().contains("warning"), r4.description)
    XCTAssertEqual(try recoveryRemaining("alice"), 0)
    for c in codes { assertExit(try use(c), 1) }
  }

  func testCodeFromStdin() throws {
    let codes = try generateRecoveryCodes("alice", count: 3)
    assertExit(try run(["recovery-codes", "use", "alice"], stdin: codes[0] + "\n"), 0)
    assertExit(try run(["recovery-codes", "use", "alice", "-"], stdin: codes[1].lowercased() + "\n"), 0)
    XCTAssertEqual(try recoveryRemaining("alice"), 1)
  }

  func testInputIgnoresCaseSpacesAndHyphens() throws {
    let codes = try generateRecoveryCodes("alice", count: 6)
    let c = codes.map { $0.replacingOccurrences(of: "-", with: "") }
    let spaced = { (s: String) in s.map(String.init).joined(separator: " ") }
    let inputs = [
      codes[0].lowercased(),
      c[1],
      spaced(c[2]),
      " " + String(c[3].prefix(3)) + "-" + String(c[3].dropFirst(3)).lowercased() + " ",
      String(c[4].prefix(2)) + "--" + String(c[4].dropFirst(2)),
    ]
    for (i, input) in inputs.enumerated() {
      let r = try use(input)
      assertExit(r, 0, "input form \(i) '\(input)' should be accepted")
    }
    XCTAssertEqual(try recoveryRemaining("alice"), 1)
    XCTAssertEqual(try failures("alice"), 0)
  }

  func testCrockfordLookalikesOIAndL() throws {
    // A set holding codes with 0 and 1 in them (each code has 10 characters of 32; a
    // set of 20 without either is a ~1e-6 event, so this loop ends at once).
    var codes: [String] = []
    for _ in 0..<5 {
      codes = try generateRecoveryCodes("alice", count: 20)
      if codes.filter({ $0.contains("0") }).count >= 1 && codes.filter({ $0.contains("1") }).count >= 2 { break }
    }
    let zeros = codes.filter { $0.contains("0") }
    let ones = codes.filter { $0.contains("1") && $0 != zeros.first }
    guard let z = zeros.first, ones.count >= 2 else { return XCTFail("no codes with 0 and 1 after five sets") }
    assertExit(try use(z.replacingOccurrences(of: "0", with: "o")), 0, "o reads as 0 (\(z))")
    assertExit(try use(ones[0].replacingOccurrences(of: "1", with: "I")), 0, "I reads as 1 (\(ones[0]))")
    assertExit(try use(ones[1].replacingOccurrences(of: "1", with: "l")), 0, "l reads as 1 (\(ones[1]))")
    XCTAssertEqual(try recoveryRemaining("alice"), 17)
  }

  func testMalformedCodeIsAWrongCodeAndCounted() throws {
    let codes = try generateRecoveryCodes("alice", count: 3)
    let bad = [
      String(codes[0].dropLast()),  // 9 characters
      codes[0] + "A",  // 11 characters
      "ABCDE-FGHJU",  // U is not Crockford
      "ABCDE_FGHJK", "ABCDE.FGHJK", "12345-6789!", "ÄBCDE-FGHJK",
    ]
    var expected = 0
    for b in bad {
      if expected == 4 {
        assertExit(try run(["users", "unlock", "alice"]), 0)
        expected = 0
      }
      let r = try use(b)
      assertExit(r, 1, "a malformed recovery code is a wrong code")
      XCTAssertTrue(r.stderr.contains("malformed"), r.description)
      assertNotOnStderr(codes, r)
      expected += 1
      XCTAssertEqual(try failures("alice"), expected, "counted as a failure: \(b)")
    }
    XCTAssertEqual(try recoveryRemaining("alice"), 3, "no code was used up")
  }

  func testNewSetVoidsTheOldOne() throws {
    let old = try generateRecoveryCodes("alice", count: 2)
    let new = try generateRecoveryCodes("alice", count: 2)
    let r = try run(["recovery-codes", "generate", "alice"])
    assertExit(r, 0)
    let newest = r.lines.filter { matches($0, crockfordCodePattern) }
    XCTAssertEqual(newest.count, 10)
    for c in old + new { assertExit(try use(c), 1, "a code of a replaced set no longer works") }
    try run(["users", "unlock", "alice"])
    assertExit(try use(newest[0]), 0)
  }

  func testUseWithNoCodesLeftIsARejectedAttempt() throws {
    // No set at all: a recovery code is rejected, and like every rejection it counts.
    let r = try use("ABCDE-FGHJK")
    assertExit(r, 1)
    XCTAssertEqual(try failures("alice"), 1, "a rejected recovery code counts towards the lockout\n\(r)")
    // All used up: the same.
    let codes = try generateRecoveryCodes("alice", count: 1)
    assertExit(try use(codes[0]), 0)
    assertExit(try use(codes[0]), 1)
    XCTAssertEqual(try failures("alice"), 1, "a rejected recovery code counts towards the lockout")
  }

  // MARK: --output

  func testOutputWritesAPrivateSheet() throws {
    let sheet = dir + "/codes.txt"
    let r = try run(["recovery-codes", "generate", "alice", "--output", sheet])
    assertExit(r, 0)
    XCTAssertEqual(mode(sheet), 0o600)
    let text = String(decoding: bytes(sheet) ?? Data(), as: UTF8.self)
    XCTAssertTrue(text.contains("alice"), "the sheet names the user\n\(text)")
    let codes = text.components(separatedBy: .whitespacesAndNewlines).filter { matches($0, crockfordCodePattern) }
    XCTAssertEqual(codes.count, 10, "the sheet holds the 10 codes\n\(text)")
    assertNotOnStdout(codes, r)
    assertNotOnStderr(codes, r)
    assertExit(try use(codes[9]), 0, "a code from the sheet works")
    XCTAssertEqual(try recoveryRemaining("alice"), 9)
  }

  func testOutputRefusesAnExistingFileAndMakesNoNewSet() throws {
    let old = try generateRecoveryCodes("alice", count: 3)
    let sheet = dir + "/codes.txt"
    try write(sheet, "keep me\n")
    let before = vaultState()
    let r = try run(["recovery-codes", "generate", "alice", "--output", sheet])
    assertError(r, 73)
    XCTAssertEqual(bytes(sheet), Data("keep me\n".utf8), "the existing file is untouched")
    XCTAssertEqual(vaultState(), before, "no new set was made")
    XCTAssertEqual(try recoveryRemaining("alice"), 3)
    assertExit(try use(old[0]), 0, "the old codes still work")

    // A sheet written before is not overwritten either.
    let second = dir + "/second.txt"
    assertExit(try run(["recovery-codes", "generate", "alice", "--output", second]), 0)
    let content = bytes(second)
    assertError(try run(["recovery-codes", "generate", "alice", "--output", second]), 73)
    XCTAssertEqual(bytes(second), content)
  }

  // MARK: verify --allow-recovery

  func testVerifyAllowRecovery() throws {
    let codes = try generateRecoveryCodes("alice", count: 4)
    let r = try run(["verify", "alice", codes[0].lowercased(), "--allow-recovery", "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["result"] as? String, "accepted", r.description)
    XCTAssertEqual(r.json?["method"] as? String, "recovery", r.description)
    XCTAssertEqual(r.json?["remaining"] as? Int, 3, r.description)
    XCTAssertEqual(try recoveryRemaining("alice"), 3)

    // Without the flag a recovery-shaped input is malformed: a wrong code, counted,
    // and the recovery code is not used up.
    let w = try run(["verify", "alice", codes[1]])
    assertExit(w, 1)
    assertNotOnStderr(codes, w)
    XCTAssertEqual(try failures("alice"), 1)
    XCTAssertEqual(try recoveryRemaining("alice"), 3)

    // Reuse through verify is rejected and counts.
    let again = try run(["verify", "alice", codes[0], "--allow-recovery"])
    assertExit(again, 1)
    assertNotOnStderr(codes, again)
    XCTAssertEqual(try failures("alice"), 2)

    // Authenticator codes still work with the flag, from stdin too.
    assertExit(try run(["verify", "alice", "--allow-recovery"], stdin: try totp(secret, at: now) + "\n"), 0)
    XCTAssertEqual(try failures("alice"), 0)

    // At 2 left verify warns too; a recovery code from stdin.
    let low = try run(["verify", "alice", "--allow-recovery"], stdin: codes[1] + "\n")
    assertExit(low, 0)
    XCTAssertTrue(low.stderr.lowercased().contains("warning"), low.description)
    XCTAssertEqual(try recoveryRemaining("alice"), 2)
  }

  // MARK: Lockout

  func testWrongRecoveryCodesLockTheUserOut() throws {
    let codes = try generateRecoveryCodes("alice", count: 3)
    for (i, w) in wrongCodes.prefix(5).enumerated() {
      let r = try use(w)
      assertExit(r, 1, "wrong code \(i + 1) is rejected")
      XCTAssertEqual(try failures("alice"), i + 1)
    }
    XCTAssertEqual(try show("alice")["state"] as? String, "locked")
    let locked = try use(codes[0])
    assertError(locked, 2, contains: ["until", rfc3339UTC(now + 120)])
    assertNotOnStderr(codes, locked)
    XCTAssertEqual(try failures("alice"), 6, "a try while locked counts")
    XCTAssertEqual(try recoveryRemaining("alice"), 3, "the code was not checked, so not used up")
    // verify --allow-recovery is locked out too.
    assertExit(try run(["verify", "alice", codes[0], "--allow-recovery"]), 2)
    assertExit(try run(["users", "unlock", "alice"]), 0)
    assertExit(try use(codes[0]), 0)
  }
}
