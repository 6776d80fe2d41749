import Foundation
import XCTest

final class EnrolTests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  /// The one stdout line that is an otpauth URI.
  func uriLine(_ r: RunResult, file: StaticString = #filePath, line: UInt = #line) -> String? {
    let uris = r.lines.filter { $0.hasPrefix("otpauth://") }
    XCTAssertEqual(uris.count, 1, "expected the URI on exactly one line of its own\n\(r)", file: file, line: line)
    return uris.first
  }

  func testTextOutputPrintsURIOnItsOwnLine() throws {
    let r = try run(["enrol", "alice"])
    assertExit(r, 0)
    let uri = try XCTUnwrap(uriLine(r))
    XCTAssertFalse(uri.contains(" "), "the URI line holds nothing but the URI: \(uri)")
    let c = try XCTUnwrap(URLComponents(string: uri))
    XCTAssertEqual(c.scheme, "otpauth")
    XCTAssertEqual(c.host, "totp")
    let q = queryItems(uri)
    XCTAssertEqual(q["algorithm"], "SHA1")
    XCTAssertEqual(q["digits"], "6")
    XCTAssertEqual(q["period"], "30")
    XCTAssertNil(q["counter"])
    XCTAssertFalse(q["secret"]!.contains("="), "base32 without padding")
    XCTAssertEqual(base32Decode(q["secret"]!)?.count, 20, "SHA1: 160-bit secret")
    XCTAssertTrue(c.path.hasSuffix(":alice"), "label ISSUER:ACCOUNT, got \(c.path)")
    XCTAssertEqual(
      q["issuer"].map { c.path.hasPrefix("/\($0):") }, true, "the label's issuer is the issuer parameter: \(uri)")
  }

  func testQuietPrintsOnlyTheURI() throws {
    let r = try run(["enrol", "alice", "--quiet"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines.count, 1, r.description)
    XCTAssertTrue(r.lines.first?.hasPrefix("otpauth://totp/") ?? false, r.description)
  }

  func testJSONHasURIAndID() throws {
    let r = try run(["enrol", "alice", "--format", "json"])
    assertExit(r, 0)
    let j = try XCTUnwrap(r.json, "one JSON object\n\(r)")
    let uri = try XCTUnwrap(j["uri"] as? String)
    let id = try XCTUnwrap(j["id"] as? String)
    XCTAssertTrue(uri.hasPrefix("otpauth://totp/"))
    XCTAssertFalse(id.isEmpty)
    let show = try self.show("alice")
    let auths = show["authenticators"] as? [[String: Any]]
    XCTAssertEqual(auths?.map { $0["id"] as? String }, [id], "the printed id names the stored authenticator")
    XCTAssertEqual(auths?.first?["state"] as? String, "pending")
  }

  func testURIParametersFollowFlags() throws {
    let e = try enrol(
      "alice",
      [
        "--type", "hotp", "--algorithm", "SHA256", "--digits", "8", "--issuer", "Example Corp", "--label",
        "alice@example.com",
      ])
    let c = try XCTUnwrap(URLComponents(string: e.uri))
    XCTAssertEqual(c.host, "hotp")
    XCTAssertEqual(c.path, "/Example Corp:alice@example.com", "decoded label; raw URI: \(e.uri)")
    XCTAssertTrue(e.uri.contains("Example%20Corp"), "labels are percent-encoded: \(e.uri)")
    let q = queryItems(e.uri)
    XCTAssertEqual(q["algorithm"], "SHA256")
    XCTAssertEqual(q["digits"], "8")
    XCTAssertEqual(q["issuer"], "Example Corp")
    XCTAssertEqual(q["counter"], "0")
    XCTAssertNil(q["period"], "HOTP has a counter, not a period")
    XCTAssertEqual(base32Decode(e.secret)?.count, 32, "SHA256: 32-byte secret")

    let t = try enrol("bob", ["--algorithm", "SHA512", "--period", "60", "--issuer", "ACME"])
    let q2 = queryItems(t.uri)
    XCTAssertEqual(URLComponents(string: t.uri)?.host, "totp")
    XCTAssertEqual(q2["algorithm"], "SHA512")
    XCTAssertEqual(q2["period"], "60")
    XCTAssertEqual(q2["digits"], "6")
    XCTAssertEqual(q2["issuer"], "ACME")
    XCTAssertEqual(URLComponents(string: t.uri)?.path, "/ACME:bob")
    XCTAssertEqual(base32Decode(t.secret)?.count, 64, "SHA512: 64-byte secret")
  }

  func testURIRoundTripsWithAwkwardIssuerAndLabel() throws {
    let issuer = "\u{00DC}n\u{00EF} & Co/%?#"
    let label = "bob+test@ex.com x"
    let png = dir + "/rt.png"
    let r = try run(["enrol", "alice", "--issuer", issuer, "--label", label, "--activate", "--qr-png", png, "--quiet"])
    assertExit(r, 0)
    let uri = try XCTUnwrap(r.lines.first)
    let c = try XCTUnwrap(URLComponents(string: uri), "a valid URI: \(uri)")
    XCTAssertEqual(c.path, "/\(issuer):\(label)")
    XCTAssertEqual(queryItems(uri)["issuer"], issuer)
    let z = try tool("zbarimg", ["--raw", "-q", png])
    XCTAssertEqual(z.stdout.trimmingCharacters(in: .newlines), uri, "the QR code holds the same URI")
    // Importing the URI for another user gives the same authenticator parameters.
    let imported = try run(["enrol", "bob", "--uri", uri, "--activate", "--format", "json"])
    assertExit(imported, 0)
    XCTAssertEqual(imported.json?["issuer"] as? String, issuer, imported.description)
    XCTAssertEqual(imported.json?["label"] as? String, label, imported.description)
    XCTAssertEqual(imported.json?["uri"] as? String, uri, "the same URI comes back out")
    let a = try run(["code", "alice"])
    let b = try run(["code", "bob"])
    let u = try run(["code", "--uri", uri])
    XCTAssertEqual(a.lines, b.lines)
    XCTAssertEqual(a.lines, u.lines)
    XCTAssertEqual(a.lines, [try totp(queryItems(uri)["secret"] ?? "", at: now)])
  }

  func testIssuerWithColonOrEmptyTextIsUsageError() throws {
    let before = vaultState()
    assertError(try run(["enrol", "alice", "--issuer", "A:B"]), 64, contains: ["issuer"])
    assertError(try run(["enrol", "alice", "--issuer", ""]), 64, contains: ["issuer"])
    assertError(try run(["enrol", "alice", "--label", ""]), 64, contains: ["label"])
    XCTAssertEqual(vaultState(), before)
  }

  func testSecretsAreRandom() throws {
    let a = try enrol("alice")
    let b = try enrol("alice")
    XCTAssertNotEqual(a.secret, b.secret)
    XCTAssertNotEqual(a.id, b.id)
  }

  func testGivenSecretIsUsed() throws {
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    let e = try enrol("alice", ["--secret", secret])
    XCTAssertEqual(queryItems(e.uri)["secret"], secret)
    let code = try totp(secret, at: now)
    assertExit(try run(["verify", "alice", code]), 0)
  }

  func testSecretFromStdin() throws {
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    let r = try run(["enrol", "alice", "--secret", "-", "--activate", "--format", "json"], stdin: secret + "\n")
    assertExit(r, 0)
    let uri = try XCTUnwrap(r.json?["uri"] as? String, r.description)
    XCTAssertEqual(queryItems(uri)["secret"], secret)
    XCTAssertFalse(r.args.contains(secret))
    assertExit(try run(["verify", "alice", try totp(secret, at: now)]), 0)
  }

  func testURIImport() throws {
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DP"
    let uri =
      "otpauth://totp/Example:alice@example.com?secret=\(secret)&issuer=Example&algorithm=SHA256&digits=8&period=60"
    let r = try run(["enrol", "alice", "--uri", uri, "--activate", "--format", "json"])
    assertExit(r, 0)
    let j = try XCTUnwrap(r.json, r.description)
    XCTAssertEqual(j["algorithm"] as? String, "SHA256")
    XCTAssertEqual(j["digits"] as? Int, 8)
    XCTAssertEqual(j["period_s"] as? Int, 60)
    XCTAssertEqual(j["issuer"] as? String, "Example")
    let printed = try XCTUnwrap(j["uri"] as? String)
    XCTAssertEqual(queryItems(printed)["secret"], secret)
    XCTAssertEqual(URLComponents(string: printed)?.path, "/Example:alice@example.com")
    let code = try totp(secret, at: now, algorithm: "SHA256", digits: 8, period: 60)
    assertExit(try run(["verify", "alice", code]), 0)
  }

  func testURIImportFromStdin() throws {
    let secret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
    let uri = "otpauth://hotp/Svc:bob?secret=\(secret)&issuer=Svc&counter=5"
    let r = try run(["enrol", "bob", "--uri", "-", "--activate", "--format", "json"], stdin: uri + "\n")
    assertExit(r, 0)
    XCTAssertEqual(r.json?["type"] as? String, "hotp", r.description)
    XCTAssertEqual(r.json?["counter"] as? Int, 5, r.description)
    // Counter 5 is the next unused one; 4 is before it.
    assertExit(try run(["verify", "bob", try hotp(secret, counter: 4)]), 1)
    assertExit(try run(["verify", "bob", try hotp(secret, counter: 5)]), 0)
  }

  func testMalformedURIIs65AndVaultUnchanged() throws {
    let before = vaultState()
    for uri in [
      "http://totp/x?secret=JBSWY3DPEHPK3PXP", "otpauth://totp/x", "otpauth://totp/x?secret=not*base32",
      "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=7", "otpauth://nope/x?secret=JBSWY3DPEHPK3PXP", "garbage",
    ] {
      let r = try run(["enrol", "alice", "--uri", uri])
      assertError(r, 65)
      XCTAssertEqual(vaultState(), before, "vault changed by a failed enrol: \(uri)")
    }
  }

  func testBadBase32Is65() throws {
    let before = vaultState()
    for s in ["NOT-BASE32!", "JBSWY3DPEHPK3PX1", "0000000000000000"] {
      assertError(try run(["enrol", "alice", "--secret", s]), 65)
    }
    assertError(try run(["enrol", "alice", "--secret", "-"], stdin: "abc$def\n"), 65)
    XCTAssertEqual(vaultState(), before)
  }

  func testBadDigitsIsUsageError() throws {
    let before = vaultState()
    assertError(try run(["enrol", "alice", "--digits", "7"]), 64, contains: ["digits"])
    assertError(try run(["enrol", "alice", "--algorithm", "MD5"]), 64)
    assertError(try run(["enrol", "alice", "--type", "sms"]), 64)
    assertError(try run(["enrol", "alice", "--qr", "sixel"]), 64)
    XCTAssertEqual(vaultState(), before)
  }

  func testInvalidUserNamesAreUsageErrorsAndVaultUnchanged() throws {
    try enrol("alice")
    let before = try XCTUnwrap(vaultState())
    let bad = [String(repeating: "a", count: 65), "-bob", "bob smith", "bob/../x", "", "bøb", "a:b", "a\tb"]
    for name in bad {
      let r = try run(["enrol", "--", name])
      assertError(r, 64)
      XCTAssertEqual(vaultState(), before, "vault changed for user name '\(name)'")
    }
    // The same rule on every command that takes a user.
    for cmd in [["verify"], ["users", "show"], ["users", "remove"], ["code"]] {
      assertError(try run(cmd + ["--", "-bob"]), 64)
      assertError(try run(cmd + ["bob/x"]), 64)
    }
    XCTAssertEqual(vaultState(), before)
    // 64 characters and every allowed character are fine.
    try enrol(String(repeating: "b", count: 64))
    try enrol("A-Za-z0-9._@+-x")
  }

  func testUserNameCheckedBeforeVaultIsOpened() throws {
    // No key at all and no vault: a bad name is still 64, not 77 or 66.
    let r = try run(["enrol", "bad name"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_VAULT": dir + "/none.mfa"])
    assertError(r, 64)
  }

  func testEnrolOnExistingUserAddsAnotherAuthenticator() throws {
    let a = try enrol("alice")
    let b = try enrol("alice", ["--type", "hotp"])
    XCTAssertNotEqual(a.id, b.id)
    let auths = try show("alice")["authenticators"] as? [[String: Any]]
    XCTAssertEqual(auths?.count, 2)
    // A code from either active one is accepted.
    assertExit(try run(["verify", "alice", try hotp(b.secret, counter: 0)]), 0)
    assertExit(try run(["verify", "alice", try totp(a.secret, at: now)]), 0)
  }

  func testPendingUntilConfirmed() throws {
    let e = try enrol("alice", activate: false)
    let code = try totp(e.secret, at: now)
    let r = try run(["verify", "alice", code])
    assertExit(r, 1, "a pending authenticator is not accepted")
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.first?["state"] as? String, "pending")
    // A wrong confirmation code is rejected and leaves it pending.
    assertExit(try run(["enrol", "alice", "--confirm", wrongCode(not: [code])]), 1)
    let c = try run(["enrol", "alice", "--confirm", code])
    assertExit(c, 0)
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.first?["state"] as? String, "active")
    // The confirming code was used; the next step's code verifies.
    assertExit(try run(["verify", "alice", code]), 1)
    let later = now + 30
    assertExit(try run(["verify", "alice", try totp(e.secret, at: later)], at: later), 0)
  }

  func testConfirmCodeFromStdin() throws {
    let e = try enrol("alice", activate: false)
    let code = try totp(e.secret, at: now)
    assertExit(try run(["enrol", "alice", "--confirm"], stdin: code + "\n"), 0)
    assertExit(try run(["enrol", "alice", "--confirm", "-"], stdin: code + "\n"), 66, "nothing pending any more")
  }

  func testActivateIsActiveAtOnce() throws {
    let e = try enrol("alice", activate: true)
    XCTAssertEqual(e.json["state"] as? String, "active")
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
  }

  func testQRPNGDecodesToTheURI() throws {
    let png = dir + "/qr.png"
    let r = try run(["enrol", "alice", "--qr-png", png])
    assertExit(r, 0)
    let uri = try XCTUnwrap(uriLine(r))
    XCTAssertEqual(mode(png), 0o600, "the PNG holds the secret")
    let head = try XCTUnwrap(bytes(png)).prefix(8)
    XCTAssertEqual(Array(head), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature")
    let z = try tool("zbarimg", ["--raw", "-q", png])
    XCTAssertEqual(z.code, 0, z.description)
    XCTAssertEqual(z.stdout.trimmingCharacters(in: .newlines), uri)
  }

  func testQRSVGWritten() throws {
    let svg = dir + "/qr.svg"
    let r = try run(["enrol", "alice", "--qr-svg", svg, "--format", "json"])
    assertExit(r, 0)
    XCTAssertEqual(r.json?["qr_svg"] as? String, svg)
    let text = String(decoding: try XCTUnwrap(bytes(svg)), as: UTF8.self)
    XCTAssertTrue(text.contains("<svg"), text)
    XCTAssertTrue(text.contains("</svg>"), text)
    XCTAssertEqual(mode(svg), 0o600)
  }

  func testExistingQRTargetIs73AndNothingEnrolled() throws {
    try enrol("alice")
    let png = dir + "/qr.png"
    try write(png, "keep me")
    let before = vaultState()
    let r = try run(["enrol", "alice", "--qr-png", png])
    assertError(r, 73, contains: [png])
    XCTAssertEqual(vaultState(), before, "no new authenticator")
    XCTAssertEqual(bytes(png), Data("keep me".utf8))
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.count, 1)

    let svg = dir + "/qr.svg"
    try write(svg, "keep me too")
    let png2 = dir + "/new.png"
    let r2 = try run(["enrol", "bob", "--qr-png", png2, "--qr-svg", svg])
    assertError(r2, 73)
    XCTAssertEqual(vaultState(), before)
    XCTAssertFalse(exists(png2), "a failed enrol leaves no PNG behind")
    assertError(try run(["users", "show", "bob"]), 67)
  }

  func testQRUTF8PrintsBlocks() throws {
    let r = try run(["enrol", "alice", "--qr", "utf8"])
    assertExit(r, 0)
    XCTAssertTrue(
      r.stdout.contains("\u{2588}") || r.stdout.contains("\u{2580}") || r.stdout.contains("\u{2584}"), r.description)
    XCTAssertFalse(r.stdout.contains("\u{1B}["), "utf8 mode has no colour codes")
    XCTAssertNotNil(uriLine(r))
  }

  func testQRAnsiIsAnExplicitColourRequest() throws {
    let r = try run(["enrol", "alice", "--qr", "ansi"], env: ["NO_COLOR": "1"])
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("\u{1B}["), "an explicit --qr ansi wins over NO_COLOR\n\(r)")
  }

  func testNoQRWhenStdoutIsNotATerminal() throws {
    let r = try run(["enrol", "alice"])
    assertExit(r, 0)
    for ch in ["\u{2588}", "\u{2580}", "\u{2584}", "\u{1B}"] {
      XCTAssertFalse(r.stdout.contains(ch), "no QR code when stdout is not a terminal\n\(r)")
    }
    let none = try run(["enrol", "alice", "--qr", "none"])
    assertExit(none, 0)
    XCTAssertFalse(none.stdout.contains("\u{2580}"))
  }

  func testSecretAndURITogetherIsUsageError() throws {
    assertError(
      try run(["enrol", "alice", "--secret", "JBSWY3DPEHPK3PXP", "--uri", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP"]),
      64)
  }
}
