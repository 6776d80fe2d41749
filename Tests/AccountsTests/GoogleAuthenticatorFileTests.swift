// The google-authenticator-libpam secret file parser: every option, the mapping onto
// mfactl's state, malformed lines (named by number) and limits.
import Accounts
import OTP
import Sodium
import Vault
import XCTest

final class GoogleAuthenticatorFileTests: XCTestCase {
  /// As `google-authenticator -t -d -r 3 -R 30 -w 3` writes it (16-byte secret).
  let totpFile = """
    J5ATURWC2C2Y73CEDDIHN4NARI
    " RATE_LIMIT 3 30
    " WINDOW_SIZE 3
    " DISALLOW_REUSE
    " TOTP_AUTH
    56188231
    38009766
    90319023

    """

  func parse(_ text: String) throws -> GoogleAuthenticatorFile {
    try GoogleAuthenticatorFile(parsing: Array(text.utf8))
  }

  func assertMalformed(_ text: String, line: Int, _ contains: String, file: StaticString = #filePath, l: UInt = #line) {
    XCTAssertThrowsError(try parse(text), file: file, line: l) { e in
      guard let p = e as? GoogleAuthenticatorFile.ParseError else { return XCTFail("\(e)", file: file, line: l) }
      XCTAssertEqual(p.line, line, "\(p)", file: file, line: l)
      XCTAssertTrue(p.description.contains(contains), "\(p)", file: file, line: l)
      if line > 0 { XCTAssertTrue(p.description.hasPrefix("line \(line): "), file: file, line: l) }
    }
  }

  func testTOTPFileAsTheToolWritesIt() throws {
    let f = try parse(totpFile)
    XCTAssertEqual(f.secret, try Base32.decode("J5ATURWC2C2Y73CEDDIHN4NARI"))
    XCTAssertEqual(f.secret.count, 16)
    XCTAssertEqual(f.type, .totp)
    XCTAssertEqual(f.period, 30)
    XCTAssertEqual(f.counter, 0)
    XCTAssertEqual(f.windowSize, 3)
    XCTAssertEqual(f.rateLimit, .init(attempts: 3, seconds: 30))
    XCTAssertTrue(f.disallowReuse)
    XCTAssertEqual(f.usedSteps, [])
    XCTAssertNil(f.lastStep)
    XCTAssertEqual(f.drift, 0)
    XCTAssertEqual(f.scratchCodes, ["56188231", "38009766", "90319023"])
    let d = f.auditDetail
    XCTAssertEqual(d["source"], "google-authenticator")
    XCTAssertEqual(d["window_size"], "3")
    XCTAssertEqual(d["rate_limit"], "3/30s")
    XCTAssertEqual(d["scratch_codes"], "3")
    XCTAssertFalse(
      d.values.contains { $0.contains("J5AT") || $0.contains("56188231") }, "no secret or code in the detail")
  }

  func testHOTPFileKeepsItsCounter() throws {
    let f = try parse(
      "LN5WJP4RP6TM5ACQI2E2MDIVQU\n\" RATE_LIMIT 3 30\n\" WINDOW_SIZE 5\n\" HOTP_COUNTER 17\n23781865\n")
    XCTAssertEqual(f.type, .hotp)
    XCTAssertEqual(f.counter, 17)
    XCTAssertNil(f.lastStep, "DISALLOW_REUSE only concerns TOTP")
    XCTAssertEqual(f.auditDetail["counter"], "17")
    XCTAssertEqual(f.scratchCodes, ["23781865"])
  }

  func testStepSizeTimeSkewAndUsedSteps() throws {
    let f = try parse(
      "D5II7E753PXIACIYBLXDWIFHC4\n\" STEP_SIZE 60\n\" TIME_SKEW -3\n\" DISALLOW_REUSE 28333334 28333336 28333335\n\" TOTP_AUTH\n"
    )
    XCTAssertEqual(f.period, 60)
    XCTAssertEqual(f.timeSkew, -3)
    XCTAssertEqual(f.drift, -3)
    XCTAssertEqual(f.usedSteps, [28_333_334, 28_333_336, 28_333_335])
    XCTAssertEqual(f.lastStep, 28_333_336, "the highest listed step")
    XCTAssertEqual(f.scratchCodes, [])
    XCTAssertEqual(try parse("D5II7E753PXIACIYBLXDWIFHC4\n\" TIME_SKEW +2\n\" TOTP_AUTH\n").drift, 2)
  }

  func testTimeSkewIsClampedToTheMaximumDrift() throws {
    XCTAssertEqual(try parse("D5II7E753PXIACIYBLXDWIFHC4\n\" TIME_SKEW 500\n\" TOTP_AUTH\n").drift, Verifier.maxDrift)
    XCTAssertEqual(try parse("D5II7E753PXIACIYBLXDWIFHC4\n\" TIME_SKEW -500\n\" TOTP_AUTH\n").drift, -Verifier.maxDrift)
  }

  func testLenientWhereTheModuleIs() throws {
    // CRLF, blank lines, options after scratch codes, RESETTING_TIME_SKEW, RATE_LIMIT
    // with login times, lower-case secret, duplicate scratch codes kept once.
    let f = try parse(
      "j5aturwc2c2y73ceddihn4nari\r\n\r\n12345678\r\n\" TOTP_AUTH\r\n\" RESETTING_TIME_SKEW 1700000+2 1700001+2\r\n"
        + "\" RATE_LIMIT 3 30 1700000000 1700000010\r\n12345678\r\n87654321")
    XCTAssertEqual(f.type, .totp)
    XCTAssertEqual(f.rateLimit, .init(attempts: 3, seconds: 30))
    XCTAssertEqual(f.scratchCodes, ["12345678", "87654321"])
  }

  func testMalformedLinesAreNamed() {
    assertMalformed("", line: 1, "secret")
    assertMalformed("\n\" TOTP_AUTH\n", line: 1, "secret")
    assertMalformed("NOT-BASE32!\n\" TOTP_AUTH\n", line: 1, "base32")
    assertMalformed("JBSWY3DP\n\" TOTP_AUTH\n", line: 1, "at least 10")
    let s = "J5ATURWC2C2Y73CEDDIHN4NARI\n"
    assertMalformed(s + "\" TOTP_AUTH\n\" FOO 1\n", line: 3, "unknown option FOO")
    assertMalformed(s + "\" TOTP_AUTH\n\"\n", line: 3, "empty option")
    assertMalformed(s + "\" TOTP_AUTH yes\n", line: 2, "no value")
    assertMalformed(s + "\" TOTP_AUTH\n\" TOTP_AUTH\n", line: 3, "twice")
    assertMalformed(s + "\" TOTP_AUTH\n\" STEP_SIZE 0\n", line: 3, "STEP_SIZE")
    assertMalformed(s + "\" TOTP_AUTH\n\" STEP_SIZE 61\n", line: 3, "1 to 60")
    assertMalformed(s + "\" TOTP_AUTH\n\" STEP_SIZE\n", line: 3, "1 value")
    assertMalformed(s + "\" TOTP_AUTH\n\" WINDOW_SIZE 101\n", line: 3, "WINDOW_SIZE")
    assertMalformed(s + "\" TOTP_AUTH\n\" WINDOW_SIZE x\n", line: 3, "'x'")
    assertMalformed(s + "\" TOTP_AUTH\n\" RATE_LIMIT 3\n", line: 3, "RATE_LIMIT")
    assertMalformed(s + "\" TOTP_AUTH\n\" RATE_LIMIT 3 30 yesterday\n", line: 3, "not a time")
    assertMalformed(s + "\" TOTP_AUTH\n\" DISALLOW_REUSE 12 x\n", line: 3, "DISALLOW_REUSE")
    assertMalformed(s + "\" TOTP_AUTH\n\" TIME_SKEW a\n", line: 3, "TIME_SKEW")
    assertMalformed(s + "\" TOTP_AUTH\n\" TIME_SKEW 2000000\n", line: 3, "TIME_SKEW")
    assertMalformed(s + "\" HOTP_COUNTER 0\n", line: 2, "at least 1")
    assertMalformed(s + "\" HOTP_COUNTER -4\n", line: 2, "HOTP_COUNTER")
    assertMalformed(s + "\" TOTP_AUTH\n1234567\n", line: 3, "8-digit scratch code")
    assertMalformed(s + "\" TOTP_AUTH\n123456789\n", line: 3, "8-digit")
    assertMalformed(s + "\" TOTP_AUTH\n1234abcd\n", line: 3, "8-digit")
    assertMalformed(s + "\" TOTP_AUTH\n\" HOTP_COUNTER 1\n", line: 3, "both")
    assertMalformed(s + "\" WINDOW_SIZE 3\n12345678\n", line: 0, "neither TOTP_AUTH nor HOTP_COUNTER")
  }

  func testLimits() throws {
    let s = "J5ATURWC2C2Y73CEDDIHN4NARI\n\" TOTP_AUTH\n"
    let codes = (0..<100).map { String(10_000_000 + $0) }
    XCTAssertEqual(try parse(s + codes.joined(separator: "\n")).scratchCodes.count, 100)
    assertMalformed(s + (codes + ["99999999"]).joined(separator: "\n"), line: 103, "more than 100")
    // The file as a whole: size and NUL bytes.
    XCTAssertThrowsError(try GoogleAuthenticatorFile(parsing: Array((s + String(repeating: "\n", count: 70_000)).utf8)))
    {
      XCTAssertEqual(($0 as? GoogleAuthenticatorFile.ParseError)?.line, 0)
    }
    XCTAssertThrowsError(try GoogleAuthenticatorFile(parsing: Array(s.utf8) + [0])) {
      XCTAssertTrue(($0 as? GoogleAuthenticatorFile.ParseError)?.message.contains("NUL") ?? false)
    }
    XCTAssertThrowsError(try GoogleAuthenticatorFile(parsing: [0xFF, 0xFE, 10] + Array("\" TOTP_AUTH\n".utf8))) {
      XCTAssertEqual(($0 as? GoogleAuthenticatorFile.ParseError)?.line, 1)
    }
  }

  /// Scratch codes become a recovery code set that `RecoveryCodes.use` accepts once each,
  /// typed with "00" in front (the canonical 10-character form).
  func testScratchCodesBecomeRecoveryCodes() throws {
    let f = try parse(totpFile)
    let key = try SecureBytes.random(count: 32)
    var u = User(name: "alice", id: "0123456789abcdef", createdAt: 1)
    let set = try XCTUnwrap(f.recoveryCodeSet(userID: u.id, key: key, now: 5))
    XCTAssertEqual(set.total, 3)
    XCTAssertEqual(set.generatedAt, 5)
    set.store(into: &u)
    XCTAssertEqual(GoogleAuthenticatorFile.recoveryForm(ofScratchCode: "56188231"), "0056188231")
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "00561-88231", key: key, now: 10), .accepted(remaining: 2))
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "0056188231", key: key, now: 11), .rejected, "each works once")
    XCTAssertEqual(try RecoveryCodes.use(&u, code: "0038009766", key: key, now: 12), .accepted(remaining: 1))
    XCTAssertNil(
      try parse("J5ATURWC2C2Y73CEDDIHN4NARI\n\" TOTP_AUTH\n").recoveryCodeSet(userID: u.id, key: key, now: 1))
  }
}
