import CLoadGuard
import Foundation
import XCTest

/// The ELF build-ID reader a fully static build uses to compare the system's libc.so.6
/// with the glibc it was linked with (Sources/CLoadGuard/load_guard.c), and the guard's
/// answer in this (dynamically linked) build.
final class LoadGuardTests: XCTestCase {
  private func buildID(_ path: String) -> String? {
    var buf = [CChar](repeating: 0, count: 129)
    guard mfactl_elf_build_id(path, &buf, buf.count) > 0 else { return nil }
    return String(cString: buf)
  }

  /// What binutils says the file's build ID is.
  private func readelfBuildID(_ path: String) throws -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["readelf", "-n", path]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard let line = text.split(separator: "\n").first(where: { $0.contains("Build ID:") }) else { return nil }
    return line.split(separator: " ").last.map(String.init)
  }

  func testReadsTheBuildIDReadelfReports() throws {
    var checked = 0
    for path in ["/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/bin/ls"]
    where FileManager.default.fileExists(atPath: path) {
      let expected = try readelfBuildID(path)
      XCTAssertNotNil(expected, path)
      XCTAssertEqual(buildID(path), expected, path)
      checked += 1
    }
    XCTAssertGreaterThan(checked, 0)
  }

  func testFilesWithoutABuildIDAreRefused() throws {
    let dir = NSTemporaryDirectory() + "load-guard-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let text = dir + "/text"
    try Data("not an ELF file".utf8).write(to: URL(fileURLWithPath: text))
    XCTAssertNil(buildID(text))
    XCTAssertNil(buildID(dir + "/missing"))
    // An ELF header that promises program headers the file does not have.
    var elf = [UInt8](repeating: 0, count: 64)
    elf[0...3] = [0x7f, 0x45, 0x4c, 0x46]
    elf[4] = 2  // 64-bit
    elf[32] = 200  // e_phoff past the end
    elf[54] = 56  // e_phentsize
    elf[56] = 3  // e_phnum
    let truncated = dir + "/truncated"
    try Data(elf).write(to: URL(fileURLWithPath: truncated))
    XCTAssertNil(buildID(truncated))
    // Too small a buffer for the hex digits.
    var small = [CChar](repeating: 0, count: 8)
    XCTAssertEqual(mfactl_elf_build_id("/bin/ls", &small, small.count), -1)
  }

  /// What a static build decides before it loads libpq or libqrencode (the build itself
  /// is made by `make release STATIC=1`, not by the tests; this is the same function).
  func testAStaticBuildLoadsOnlyWithTheGlibcBuildItWasLinkedWith() throws {
    let libc = try XCTUnwrap(
      ["/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6"].first {
        FileManager.default.fileExists(atPath: $0)
      })
    let id = try XCTUnwrap(buildID(libc))
    func decide(_ path: String, _ built: String) -> (Int32, String) {
      var why = [CChar](repeating: 0, count: 512)
      let r = mfactl_dlopen_decide(path, built, &why, why.count)
      return (r, String(cString: why))
    }

    XCTAssertEqual(decide(libc, id).0, 0, "the same glibc build")
    XCTAssertEqual(decide(libc, id).1, "")

    let other = String(repeating: "0", count: id.count)
    let (refused, why) = decide(libc, other)
    XCTAssertEqual(refused, -1, "another glibc build (a libc6 upgrade) is refused")
    XCTAssertTrue(why.contains("build ID \(id), not \(other)"), why)
    XCTAssertTrue(why.contains("rebuild it (make release STATIC=1)"), why)

    let (unreadable, reason) = decide("/nonexistent/libc.so.6", id)
    XCTAssertEqual(unreadable, -1, "an unreadable libc.so.6 is refused, not trusted")
    XCTAssertTrue(reason.contains("cannot read the build ID of /nonexistent/libc.so.6"), reason)
  }

  func testADynamicallyLinkedBuildMayLoadLibraries() {
    XCTAssertEqual(mfactl_dlopen_check(), 0)
    XCTAssertEqual(String(cString: mfactl_dlopen_refusal()), "")
  }
}
