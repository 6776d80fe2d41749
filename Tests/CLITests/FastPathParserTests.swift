import XCTest

@testable import mfactl

/// The verify fast path parser accepts exactly the complete, valid shapes of
/// `mfactl verify` and defers everything else to ArgumentParser.
final class FastPathParserTests: XCTestCase {
  func testAcceptsValidShapes() throws {
    let c = try XCTUnwrap(FastPath.parseVerify(["verify", "alice", "123456"]))
    XCTAssertEqual(c.user, "alice")
    XCTAssertEqual(c.code, "123456")
    XCTAssertNil(c.window)
    XCTAssertEqual(c.settings.format, .text)

    let d = try XCTUnwrap(
      FastPath.parseVerify([
        "verify", "--vault", "/v", "--key-file=/k", "bob", "--format", "json", "--window", "3", "--quiet", "--actor",
        "ops", "--ip", "10.0.0.1", "--user-agent", "ua", "--passphrase-file", "/p",
      ]))
    XCTAssertEqual(d.user, "bob")
    XCTAssertNil(d.code)
    XCTAssertEqual(d.window, 3)
    XCTAssertEqual(d.settings.vault, "/v")
    XCTAssertEqual(d.settings.keyFile, "/k")
    XCTAssertEqual(d.settings.passphraseFile, "/p")
    XCTAssertEqual(d.settings.format, .json)
    XCTAssertTrue(d.settings.quiet)
    XCTAssertEqual(d.settings.actor, "ops")
    XCTAssertEqual(d.settings.ip, "10.0.0.1")
    XCTAssertEqual(d.settings.userAgent, "ua")

    let e = try XCTUnwrap(
      FastPath.parseVerify([
        "verify", "erin", "--allow-recovery", "--session", "--ttl=2h", "--idle", "10m", "--remember", "--trust-device",
        "laptop", "--device-ttl", "7d",
      ]))
    XCTAssertTrue(e.extras.allowRecovery)
    XCTAssertEqual(e.extras.session?.ttl, 7200)
    XCTAssertEqual(e.extras.session?.idle, 600)
    XCTAssertEqual(e.extras.session?.remember, true)
    XCTAssertEqual(e.extras.trustDevice?.name, "laptop")
    XCTAssertEqual(e.extras.trustDevice?.ttl, 7 * 86400)
    XCTAssertNil(FastPath.parseVerify(["verify", "erin"])?.extras.session)

    XCTAssertEqual(FastPath.parseVerify(["verify", "carol", "-"])?.code, "-")
    XCTAssertEqual(FastPath.parseVerify(["verify", "--", "dave", "-5"])?.code, "-5")
  }

  func testDefersEverythingElse() {
    let deferred: [[String]] = [
      [], ["enrol", "alice"], ["verify"], ["verify", "a", "b", "c"], ["verify", "--help"], ["verify", "alice", "-h"],
      ["verify", "alice", "--bogus"], ["verify", "alice", "--window", "21"], ["verify", "alice", "--window", "x"],
      ["verify", "alice", "--window"], ["verify", "alice", "--format", "xml"], ["verify", "-alice"],
      ["verify", "bad name"], ["verify", String(repeating: "a", count: 65)], ["verify", "alice", "--quiet=yes"],
      ["verify", "alice", "--vault", "/a", "--vault", "/b"], ["--vault", "/v", "verify", "alice"],
      ["verify", "alice", "--ttl", "1h"], ["verify", "alice", "--remember"], ["verify", "alice", "--device-ttl", "1d"],
      ["verify", "alice", "--session", "--ttl", "soon"], ["verify", "alice", "--session=yes"],
    ]
    for args in deferred {
      XCTAssertNil(FastPath.parseVerify(args), "\(args) should go through ArgumentParser")
    }
  }

  func testSessionAndDeviceCheckShapes() throws {
    let s = try XCTUnwrap(
      FastPath.parse(
        ["sessions", "check", "mfas_x", "--format", "json"], .init(path: ["sessions", "check"], positionals: 0...1)))
    XCTAssertEqual(s.positionals, ["mfas_x"])
    XCTAssertEqual(s.settings.format, .json)
    XCTAssertNotNil(FastPath.parse(["sessions", "check"], .init(path: ["sessions", "check"], positionals: 0...1)))
    XCTAssertNil(
      FastPath.parse(["sessions", "check", "a", "b"], .init(path: ["sessions", "check"], positionals: 0...1)))
    XCTAssertNil(FastPath.parse(["sessions", "list"], .init(path: ["sessions", "check"], positionals: 0...1)))
    XCTAssertNil(
      FastPath.parse(["sessions", "check", "--help"], .init(path: ["sessions", "check"], positionals: 0...1)))
  }
}
