// Helpers shared by the end-to-end tests of issue 3 (recovery codes, trusted devices,
// sessions, challenge codes, policy flags, cascades): tokens, codes and the rule that
// secrets never show up where they should not.
import Foundation
import XCTest

/// Crockford base32 as mfactl prints it: 0-9 and A-Z without I, L, O, U.
let crockfordCodePattern = "^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$"

func matches(_ s: String, _ pattern: String) -> Bool {
  s.range(of: pattern, options: .regularExpression) != nil
}

/// A token of the contract's shape: the prefix, then URL-safe base64 of 32 bytes (43
/// characters without padding).
func isToken(_ s: String, prefix: String) -> Bool {
  matches(s, "^\(prefix)[A-Za-z0-9_-]{43}$")
}

/// URL-safe base64 without padding, decoded.
func base64URLDecode(_ s: String) -> Data? {
  var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
  while t.count % 4 != 0 { t += "=" }
  return Data(base64Encoded: t)
}

func rfc3339UTC(_ t: Int64) -> String {
  let f = DateFormatter()
  f.locale = Locale(identifier: "en_US_POSIX")
  f.timeZone = TimeZone(identifier: "UTC")
  f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
  return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
}

extension CLITestCase {
  static let minute: Int64 = 60
  static let hour: Int64 = 3600
  static let day: Int64 = 86400

  // MARK: Secrets stay secret

  /// None of `secrets` is on stderr (errors, warnings, descriptions never echo them).
  func assertNotOnStderr(
    _ secrets: [String], _ r: RunResult, file: StaticString = #filePath, line: UInt = #line
  ) {
    for s in secrets where !s.isEmpty {
      XCTAssertFalse(
        r.stderr.contains(s), "a secret (\(s.prefix(9))...) appears on stderr\n\(r)", file: file, line: line)
    }
  }

  /// None of `secrets` is on stdout (for example a list).
  func assertNotOnStdout(
    _ secrets: [String], _ r: RunResult, file: StaticString = #filePath, line: UInt = #line
  ) {
    for s in secrets where !s.isEmpty {
      XCTAssertFalse(
        r.stdout.contains(s), "a secret (\(s.prefix(9))...) appears on stdout\n\(r)", file: file, line: line)
    }
  }

  /// None of `secrets` is in the bytes of any file beside the vault (the vault, its
  /// journal, audit log, lock file, temp files).
  func assertNotOnDisk(_ secrets: [String], file: StaticString = #filePath, line: UInt = #line) {
    if let db = database {
      // In PostgreSQL: every byte of every row mfactl stored, as a dump would show it.
      let rows = (try? PostgresTestServer.storedBytes(db)) ?? []
      XCTAssertFalse(rows.isEmpty, "no rows in the database", file: file, line: line)
      for (table, data) in rows {
        for s in secrets where !s.isEmpty {
          XCTAssertNil(
            data.range(of: Data(s.utf8)), "a secret (\(s.prefix(9))...) is stored in clear in \(table)", file: file,
            line: line)
        }
      }
      return
    }
    let d = (vault as NSString).deletingLastPathComponent
    let names = (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []
    XCTAssertFalse(names.isEmpty, "no files beside the vault", file: file, line: line)
    for n in names {
      guard let data = bytes(d + "/" + n) else { continue }
      for s in secrets where !s.isEmpty {
        XCTAssertNil(
          data.range(of: Data(s.utf8)), "a secret (\(s.prefix(9))...) is stored in clear in \(n)", file: file,
          line: line)
      }
    }
  }

  // MARK: Sessions and devices

  /// `sessions create USER --format json`: the token and the session id.
  func newSession(
    _ user: String, _ extra: [String] = [], at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line
  ) throws -> (token: String, id: String) {
    let r = try run(["sessions", "create", user, "--format", "json"] + extra, at: t)
    assertExit(r, 0, "sessions create failed", file: file, line: line)
    guard let j = r.json, let token = j["token"] as? String, let id = j["id"] as? String else {
      XCTFail("sessions create --format json gave no token and id\n\(r)", file: file, line: line)
      throw Binary.Failure(description: "sessions create")
    }
    XCTAssertTrue(isToken(token, prefix: "mfas_"), "not a session token: \(token)", file: file, line: line)
    return (token, id)
  }

  /// `devices trust USER --name NAME --format json`: the token and the device id.
  func newDevice(
    _ user: String, name: String = "laptop", _ extra: [String] = [], at t: Int64? = nil, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> (token: String, id: String) {
    let r = try run(["devices", "trust", user, "--name", name, "--format", "json"] + extra, at: t)
    assertExit(r, 0, "devices trust failed", file: file, line: line)
    guard let j = r.json, let token = j["token"] as? String, let id = j["id"] as? String else {
      XCTFail("devices trust --format json gave no token and id\n\(r)", file: file, line: line)
      throw Binary.Failure(description: "devices trust")
    }
    XCTAssertTrue(isToken(token, prefix: "mfad_"), "not a device token: \(token)", file: file, line: line)
    return (token, id)
  }

  /// `sessions check TOKEN` at `t`; asserts the exit code (0 or 1) and that a rejection
  /// does not echo the token.
  @discardableResult
  func checkSession(
    _ token: String, _ expected: Int32, _ message: String = "", at t: Int64? = nil, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> RunResult {
    let r = try run(["sessions", "check", token], at: t)
    assertExit(r, expected, message, file: file, line: line)
    assertNotOnStderr([token], r, file: file, line: line)
    return r
  }

  @discardableResult
  func checkDevice(
    _ user: String, _ token: String, _ expected: Int32, _ message: String = "", at t: Int64? = nil,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> RunResult {
    let r = try run(["devices", "check", user, token], at: t)
    assertExit(r, expected, message, file: file, line: line)
    assertNotOnStderr([token], r, file: file, line: line)
    return r
  }

  /// The ids in a JSON list (one object per line), asserting every item has one.
  func listedIDs(_ args: [String], at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line) throws
    -> [String]
  {
    let r = try run(args + ["--format", "json"], at: t)
    assertExit(r, 0, file: file, line: line)
    guard let items = r.jsonLines else {
      XCTFail("not one JSON object per line\n\(r)", file: file, line: line)
      return []
    }
    var ids: [String] = []
    for item in items {
      guard let id = item["id"] as? String else {
        XCTFail("a listed item has no id: \(item)\n\(r)", file: file, line: line)
        continue
      }
      ids.append(id)
    }
    return ids
  }

  // MARK: Recovery and challenge codes

  /// `recovery-codes generate USER --format json`: the codes.
  func generateRecoveryCodes(
    _ user: String, count: Int? = nil, at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line
  ) throws -> [String] {
    let r = try run(
      ["recovery-codes", "generate", user, "--format", "json"] + (count.map { ["--count", String($0)] } ?? []), at: t)
    assertExit(r, 0, "recovery-codes generate failed", file: file, line: line)
    guard let codes = r.json?["codes"] as? [String] else {
      XCTFail("recovery-codes generate --format json gave no codes\n\(r)", file: file, line: line)
      throw Binary.Failure(description: "recovery-codes generate")
    }
    return codes
  }

  func recoveryRemaining(_ user: String, at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line) throws
    -> Int
  {
    let r = try run(["recovery-codes", "status", user, "--format", "json"], at: t)
    assertExit(r, 0, file: file, line: line)
    return (r.json?["remaining"] as? Int) ?? -1
  }

  /// `challenge send USER` without a delivery command: the code printed on stdout.
  func sendChallenge(
    _ user: String, _ extra: [String] = [], at t: Int64? = nil, file: StaticString = #filePath, line: UInt = #line
  ) throws -> String {
    let r = try run(["challenge", "send", user] + extra, at: t)
    assertExit(r, 0, "challenge send failed", file: file, line: line)
    XCTAssertEqual(r.lines.count, 1, "expected the code alone on stdout\n\(r)", file: file, line: line)
    let code = r.lines.first ?? ""
    XCTAssertTrue(matches(code, "^[0-9]{6}$"), "not a 6-digit code: \(code)\n\(r)", file: file, line: line)
    return code
  }

  /// A 6-digit code that is none of `not` nor any TOTP code of `secret` around `t`.
  func wrongSixDigits(secret: String?, at t: Int64, not: [String] = []) throws -> String {
    var avoid = not
    if let s = secret, !s.isEmpty {
      avoid += try [-90, -60, -30, 0, 30, 60, 90].map { try totp(s, at: t + Int64($0)) }
    }
    return wrongCode(not: avoid)
  }
}
