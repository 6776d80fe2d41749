import Foundation
import XCTest

/// libqrencode is loaded with dlopen the first time a QR code is drawn
/// (Sources/QR/LibQREncode.swift), so it is not among the libraries a start maps. These
/// tests hide it (a bind mount of /dev/null over it, in a private mount namespace: root
/// only) and check that only QR output needs it, and that it fails closed when missing.
final class QRLibraryE2ETests: CLITestCase {
  /// Runs mfactl with libqrencode.so.4 unloadable.
  private func withoutLibqrencode(_ args: [String], stdin: String? = nil) throws -> RunResult {
    guard getuid() == 0, let unshare = Binary.tool("unshare") else {
      throw XCTSkip("hiding libqrencode needs root (a private mount namespace)")
    }
    let candidates = [
      "/usr/lib/x86_64-linux-gnu/libqrencode.so.4", "/usr/lib/aarch64-linux-gnu/libqrencode.so.4",
      "/usr/lib/libqrencode.so.4",
    ]
    guard let lib = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw XCTSkip("libqrencode.so.4 is not installed where these tests look")
    }
    let target = URL(fileURLWithPath: lib).resolvingSymlinksInPath().path
    let script = "mount --bind /dev/null \"$1\" && shift && exec \"$@\""
    return try Running(
      executable: unshare, args: ["-m", "/bin/sh", "-c", script, "sh", target, try binary()] + args,
      stdin: stdin.map { Data($0.utf8) }, env: environment([:]), cwd: dir
    ).wait(timeout: 30)
  }

  func testTheBinaryDoesNotLinkLibqrencode() throws {
    guard let readelf = Binary.tool("readelf") else { throw XCTSkip("readelf not installed") }
    let r = try Running(
      executable: readelf, args: ["-d", try binary()], stdin: nil, env: ProcessInfo.processInfo.environment,
      cwd: dir
    ).wait()
    XCTAssertEqual(r.code, 0, "\(r)")
    if r.stdout.contains("There is no dynamic section") {
      throw XCTSkip("a fully static binary (make release STATIC=1) links no shared library")
    }
    XCTAssertTrue(r.stdout.contains("NEEDED"), "readelf shows no NEEDED entries: \(r.stdout)")
    XCTAssertFalse(r.stdout.contains("libqrencode"), "libqrencode is linked again:\n\(r.stdout)")
  }

  func testWithoutLibqrencodeEverythingButQROutputWorks() throws {
    try initKeyFileVault()
    let alice = try enrol("alice")
    let code = try totp(alice.secret, at: now)

    XCTAssertEqual(try withoutLibqrencode(["--version"]).code, 0)
    let v = try withoutLibqrencode(["verify", "alice", code])
    assertExit(v, 0, "a verify must not need libqrencode")
    let list = try withoutLibqrencode(["users", "list"])
    assertExit(list, 0)
    XCTAssertTrue(list.stdout.contains("alice"), "\(list)")
    assertExit(try withoutLibqrencode(["audit", "verify"]), 0)
  }

  func testWithoutLibqrencodeEnrolFailsWith69AndStoresNothing() throws {
    try initKeyFileVault()
    try enrol("alice")
    let before = try show("alice")
    let png = dir + "/bob.png"

    for extra in [["--qr", "utf8"], ["--qr-png", png], ["--format", "json"]] {
      let r = try withoutLibqrencode(["enrol", "bob"] + extra)
      assertError(r, 69, contains: ["libqrencode", "apt-get install libqrencode4"])
      XCTAssertEqual(r.stdout, "", "a failed enrol shows no secret or URI\n\(r)")
      XCTAssertFalse(exists(png), "no PNG file is left behind")
    }
    // Nothing was stored: bob does not exist and alice is as she was.
    assertExit(try run(["users", "show", "bob"]), 67)
    let again = try withoutLibqrencode(["enrol", "alice", "--qr", "none"])
    assertError(again, 69, contains: ["libqrencode"])
    let after = try show("alice")
    XCTAssertEqual(
      (after["authenticators"] as? [Any])?.count, (before["authenticators"] as? [Any])?.count,
      "a failed enrol added an authenticator")
    // With the library back the same commands work.
    assertExit(try run(["enrol", "bob", "--qr-png", png]), 0)
    XCTAssertTrue(exists(png))
  }
}
