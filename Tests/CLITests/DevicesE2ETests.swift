import Foundation
import XCTest

/// Issue 3, trusted devices: `devices trust | check | list | revoke`, `verify
/// --trust-device` (docs/guide.md, "Trusted devices", "Security notes").
final class DevicesE2ETests: CLITestCase {
  var secret = ""

  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    secret = try enrol("alice").secret
  }

  func testTrustPrintsExactlyOneTokenLine() throws {
    let r = try run(["devices", "trust", "alice", "--name", "laptop"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines.count, 1, "the token alone on stdout\n\(r)")
    let token = r.lines.first ?? ""
    XCTAssertTrue(isToken(token, prefix: "mfad_"), "mfad_ + URL-safe base64 of 32 bytes: \(token)")
    XCTAssertEqual(base64URLDecode(String(token.dropFirst(5)))?.count, 32)
    assertNotOnStderr([token], r)

    let j = try run(["devices", "trust", "alice", "--name", "phone", "--format", "json"])
    assertExit(j, 0)
    let jt = j.json?["token"] as? String ?? ""
    XCTAssertTrue(isToken(jt, prefix: "mfad_"), j.description)
    XCTAssertTrue(matches(j.json?["id"] as? String ?? "", "^[0-9a-f]{8}$"), j.description)
    XCTAssertNotEqual(jt, token)
    XCTAssertEqual(j.json?["expires"] as? String, rfc3339UTC(now + 30 * Self.day), "default lifetime 30 days")
    try checkDevice("alice", token, 0)
    try checkDevice("alice", jt, 0)
    assertNotOnDisk([token, jt, String(token.dropFirst(5)), String(jt.dropFirst(5))])
  }

  func testCheckFromArgumentAndStdin() throws {
    try enrol("bob")
    let d = try newDevice("alice")
    try checkDevice("alice", d.token, 0)
    assertExit(try run(["devices", "check", "alice"], stdin: d.token + "\n"), 0)
    assertExit(try run(["devices", "check", "alice", "-"], stdin: d.token + "\n"), 0)
    let other = try newDevice("bob")
    try checkDevice("alice", other.token, 1, "bob's token is not alice's")
    try checkDevice("bob", d.token, 1, "alice's token is not bob's")
    var flipped = Array(d.token)
    flipped[10] = flipped[10] == "A" ? "B" : "A"
    try checkDevice("alice", String(flipped), 1)
    for garbage in ["garbage", "mfad_", "mfas_" + String(d.token.dropFirst(5)), d.token + "x"] {
      try checkDevice("alice", garbage, 1, "garbage '\(garbage)'")
    }
    assertExit(try run(["devices", "check", "alice"], stdin: "nope\n"), 1)
    assertError(try run(["devices", "check", "nobody", d.token]), 67)

    let j = try run(["devices", "check", "alice", d.token, "--format", "json"], at: now + 100)
    assertExit(j, 0)
    XCTAssertEqual(j.json?["id"] as? String, d.id, j.description)
    assertNotOnStdout([d.token], j)
    // A check refreshes the last use.
    let list = try run(["devices", "list", "alice", "--format", "json"], at: now + 200)
    XCTAssertEqual(list.jsonLines?.first?["last_used"] as? String, rfc3339UTC(now + 100), list.description)
  }

  func testTTLAndDefaultLifetime() throws {
    let short = try newDevice("alice", name: "kiosk", ["--ttl", "1h"])
    let long = try newDevice("alice", name: "laptop")
    try checkDevice("alice", short.token, 0, at: now + Self.hour - 60)
    try checkDevice("alice", short.token, 1, "expired after --ttl 1h", at: now + Self.hour + 60)
    try checkDevice("alice", long.token, 0, at: now + 30 * Self.day - 60)
    try checkDevice("alice", long.token, 1, "expired after 30 days", at: now + 30 * Self.day + 60)
    // Expired devices are never listed.
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"], at: now + 2 * Self.hour), [long.id])
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"], at: now + 31 * Self.day), [])
    for bad in ["0", "1x", "soon", "-5m"] {
      assertError(try run(["devices", "trust", "alice", "--name", "x", "--ttl", bad]), 64)
    }
  }

  func testAtMostTenPerUserOldestEvicted() throws {
    var devices: [(token: String, id: String)] = []
    for i in 0..<10 { devices.append(try newDevice("alice", name: "device \(i)", at: now + Int64(i))) }
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"], at: now + 10).count, 10)
    let eleventh = try newDevice("alice", name: "device 10", at: now + 10)
    let ids = try listedIDs(["devices", "list", "alice"], at: now + 11)
    XCTAssertEqual(ids.count, 10, "at most 10 per user")
    XCTAssertFalse(ids.contains(devices[0].id), "the oldest was evicted")
    XCTAssertTrue(ids.contains(eleventh.id))
    try checkDevice("alice", devices[0].token, 1, "the evicted device's token no longer works", at: now + 12)
    for d in devices.dropFirst() + [eleventh] { try checkDevice("alice", d.token, 0, at: now + 12) }
  }

  func testListShowsIdsAndNamesButNoTokens() throws {
    try enrol("bob")
    let a1 = try newDevice("alice", name: "laptop", ["--ip", "192.0.2.7", "--user-agent", "Firefox/128"])
    let a2 = try newDevice("alice", name: "work phone")
    let b1 = try newDevice("bob", name: "tablet")
    let tokens = [a1.token, a2.token, b1.token]

    let all = try run(["devices", "list"])
    assertExit(all, 0)
    for s in [a1.id, a2.id, b1.id, "laptop", "work phone", "tablet"] {
      XCTAssertTrue(all.stdout.contains(s), all.description)
    }
    assertNotOnStdout(tokens + tokens.map { String($0.dropFirst(5)) }, all)
    XCTAssertFalse(all.stdout.contains("mfad_"), all.description)

    let j = try run(["devices", "list", "--format", "json"])
    assertExit(j, 0)
    XCTAssertEqual(j.jsonLines?.count, 3, j.description)
    for item in j.jsonLines ?? [] { XCTAssertNotNil(item["id"] as? String, "every item has an id: \(item)") }
    let laptop = j.jsonLines?.first { $0["id"] as? String == a1.id }
    XCTAssertEqual(laptop?["name"] as? String, "laptop", j.description)
    XCTAssertEqual(laptop?["ip"] as? String, "192.0.2.7", j.description)
    XCTAssertEqual(laptop?["user_agent"] as? String, "Firefox/128", j.description)
    assertNotOnStdout(tokens, j)
    XCTAssertEqual(Set(try listedIDs(["devices", "list", "alice"])), [a1.id, a2.id])
    XCTAssertEqual(try listedIDs(["devices", "list", "bob"]), [b1.id])
    assertError(try run(["devices", "list", "nobody"]), 67)
  }

  func testRevokeOneAndAll() throws {
    let d1 = try newDevice("alice", name: "one")
    let d2 = try newDevice("alice", name: "two")
    let d3 = try newDevice("alice", name: "three")
    assertExit(try run(["devices", "revoke", "alice", d1.id]), 0)
    try checkDevice("alice", d1.token, 1, "a revoked device no longer works")
    try checkDevice("alice", d2.token, 0)
    assertError(try run(["devices", "revoke", "alice", d1.id]), 66)
    assertError(try run(["devices", "revoke", "alice", "deadbeef"]), 66)
    assertError(try run(["devices", "revoke", "nobody", d2.id]), 67)
    let before = vaultState()
    assertError(try run(["devices", "revoke", "alice"]), 64)
    assertError(try run(["devices", "revoke", "alice", d2.id, "--all"]), 64)
    XCTAssertEqual(vaultState(), before)

    let all = try run(["devices", "revoke", "alice", "--all", "--format", "json"])
    assertExit(all, 0)
    XCTAssertEqual(Set(all.json?["revoked"] as? [String] ?? []), [d2.id, d3.id], all.description)
    try checkDevice("alice", d2.token, 1)
    try checkDevice("alice", d3.token, 1)
    XCTAssertEqual(try listedIDs(["devices", "list", "alice"]), [])
  }

  func testRevokeNeverEchoesATokenGivenAsTheId() throws {
    let d = try newDevice("alice")
    let r = try run(["devices", "revoke", "alice", d.token])
    assertError(r, 66)
    assertNotOnStderr([d.token, String(d.token.dropFirst(5))], r)
    try checkDevice("alice", d.token, 0, "nothing was revoked")
  }

  func testVerifyTrustDevicePrintsATokenThatChecks() throws {
    let r = try run(["verify", "alice", try totp(secret, at: now), "--trust-device", "home pc"])
    assertExit(r, 0)
    XCTAssertEqual(r.lines.count, 1, "the device token alone on stdout\n\(r)")
    let token = r.lines.first ?? ""
    XCTAssertTrue(isToken(token, prefix: "mfad_"), r.description)
    try checkDevice("alice", token, 0)
    let list = try run(["devices", "list", "alice"])
    XCTAssertTrue(list.stdout.contains("home pc"), list.description)
    assertNotOnStdout([token], list)

    // --device-ttl, and JSON with the token under `token`.
    let t = now + 30
    let j = try run(
      [
        "verify", "alice", try totp(secret, at: t), "--trust-device", "kiosk", "--device-ttl", "1h", "--format", "json",
      ],
      at: t)
    assertExit(j, 0)
    let jt = j.json?["token"] as? String ?? ""
    XCTAssertTrue(isToken(jt, prefix: "mfad_"), j.description)
    try checkDevice("alice", jt, 0, at: t + Self.hour - 60)
    try checkDevice("alice", jt, 1, at: t + Self.hour + 60)

    // A wrong code trusts nothing and prints no token.
    let t2 = now + 60
    let w = try run(["verify", "alice", try wrongSixDigits(secret: secret, at: t2), "--trust-device", "evil"], at: t2)
    assertExit(w, 1)
    XCTAssertEqual(w.stdout, "", w.description)
    XCTAssertFalse(w.stderr.contains("mfad_"), w.description)
    let after = try run(["devices", "list", "alice"], at: t2)
    XCTAssertFalse(after.stdout.contains("evil"), "a rejected verify trusts no device\n\(after)")
    assertError(try run(["verify", "alice", "123456", "--device-ttl", "1h"]), 64)
  }
}
