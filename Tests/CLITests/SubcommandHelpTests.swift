import Foundation
import XCTest

/// Issue 9, item 12: a subcommand's --help shows its own options and the global ones
/// once, briefly; the global options are still accepted everywhere and listed by
/// --help-hidden and in mfactl(1).
final class SubcommandHelpTests: CLITestCase {
  static let hiddenGlobals = [
    "--key-file", "--passphrase-file", "--quiet", "--actor", "--ip", "--user-agent", "--syslog",
  ]

  func help(_ args: [String]) throws -> String {
    let r = try run(args)
    assertExit(r, 0)
    return r.stdout
  }

  /// The lines of one help section ("OPTIONS:", "GLOBAL OPTIONS:") up to the next one.
  func section(_ title: String, of text: String) -> [String] {
    let lines = text.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: title) else { return [] }
    return Array(lines[(start + 1)...].prefix { !$0.hasSuffix(":") || $0.hasPrefix(" ") })
  }

  func testGlobalOptionsAppearOnceAndBriefly() throws {
    for command in [
      ["users", "show"], ["verify"], ["enrol"], ["audit", "list"], ["audit", "export"], ["backup", "create"],
      ["status"],
    ] {
      // (verify is a check command: its help exits 0 only through `mfactl help`.)
      let text = try help(command == ["verify"] ? ["help", "verify"] : command + ["--help"])
      let usage = try XCTUnwrap(text.components(separatedBy: "\n").first { $0.hasPrefix("USAGE:") }, text)
      for name in Self.hiddenGlobals {
        XCTAssertFalse(usage.contains(name), "the usage line of \(command) leaves out \(name)\n\(usage)")
      }
      let options = section("OPTIONS:", of: text).joined(separator: "\n")
      for name in Self.hiddenGlobals + ["--vault"] {
        XCTAssertFalse(options.contains(name + " "), "\(name) is not among \(command)'s own options\n\(text)")
      }
      let global = section("GLOBAL OPTIONS:", of: text).joined(separator: " ")
      XCTAssertTrue(global.contains("--vault <path>"), text)
      for name in Self.hiddenGlobals {
        XCTAssertTrue(global.contains(name), "the note names \(name)\n\(text)")
      }
      XCTAssertLessThanOrEqual(section("GLOBAL OPTIONS:", of: text).filter { !$0.isEmpty }.count, 6, text)
      XCTAssertTrue(global.contains("mfactl(1)"), text)
    }
    let enrol = try help(["enrol", "--help"])
    XCTAssertTrue(section("OPTIONS:", of: enrol).joined().contains("--qr-png"), "the command's own options are listed")
  }

  func testHelpHiddenListsThemAndTheyAreStillAccepted() throws {
    let hidden = try help(["users", "show", "--help-hidden"])
    for name in Self.hiddenGlobals { XCTAssertTrue(hidden.contains(name + " ") || hidden.contains(name + "\n"), name) }
    try initKeyFileVault()
    try enrol("alice")
    let r = try run(
      [
        "users", "show", "alice", "--key-file", keyFile, "--quiet", "--actor", "ops", "--ip", "192.0.2.1",
        "--user-agent", "t", "--syslog",
      ],
      env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0)
  }

  func testTheManPageDocumentsTheGlobalOptionsOnce() throws {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let top = String(decoding: try XCTUnwrap(bytes(repo + "/man/mfactl.1")), as: UTF8.self)
    for name in Self.hiddenGlobals + ["--vault"] {
      XCTAssertTrue(top.contains(".It Fl -" + name.dropFirst(2)), "mfactl(1) describes \(name)")
    }
    let page = String(decoding: try XCTUnwrap(bytes(repo + "/man/mfactl.users.show.1")), as: UTF8.self)
    XCTAssertFalse(page.contains(".It Fl -key-file"), "not repeated in each subcommand page")
    XCTAssertTrue(page.contains("mfactl(1)") || page.contains(".Xr mfactl 1"), page)
  }
}
