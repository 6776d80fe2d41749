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
    ]
    for args in deferred {
      XCTAssertNil(FastPath.parseVerify(args), "\(args) should go through ArgumentParser")
    }
  }
}
