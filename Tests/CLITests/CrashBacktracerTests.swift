// The release binary never runs the Swift runtime's crash backtracer, wherever it is
// installed (docs/startup.md, "The runtime's crash backtracer"). The runtime looked for a
// `swift-backtrace` program in the binary's directory (and libexec/swift/linux, bin below
// it); when it found one, a crash ran it, printed a stack trace and held the process up
// to 30 s. CProcess now defines the backtracer's settings, off, so its initialiser and
// crash handlers are not linked: a crash is a plain death by the signal.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class CrashBacktracerTests: CLITestCase {
  func testACrashBesideASwiftBacktraceProgramPrintsNoBacktrace() throws {
    let original = try binary()
    if Binary.tool("ldd") != nil, try tool("ldd", [original]).stdout.contains("libswiftCore.so") {
      throw XCTSkip(
        "a build against the shared Swift runtime has the toolchain's backtracer; the release build links it out")
    }
    let bin = dir + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    let copy = bin + "/mfactl"
    try FileManager.default.copyItem(atPath: original, toPath: copy)
    let marker = dir + "/backtracer-ran"
    try write(bin + "/swift-backtrace", "#!/bin/sh\necho ran > '\(marker)'\necho 'a stack trace' >&2\n")
    XCTAssertEqual(chmod(bin + "/swift-backtrace", 0o755), 0)

    var fds: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&fds), 0)
    defer { close(fds[1]) }
    let err = Pipe()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: copy)
    p.arguments = ["verify", "alice"]
    p.environment = environment([:])
    p.standardInput = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    try p.run()
    // verify waits for the code on stdin (asleep in read): crash it there, after main.
    let pid = p.processIdentifier
    var waiting = false
    for _ in 0..<250 where !waiting {
      usleep(20_000)
      let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
      let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
      waiting = comm.hasPrefix("mfactl") && stat.split(separator: ")").last?.hasPrefix(" S") == true
    }
    XCTAssertTrue(waiting, "mfactl did not start and wait for the code")
    usleep(50_000)
    XCTAssertEqual(kill(pid, SIGSEGV), 0)
    let deadline = Date().addingTimeInterval(10)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    if p.isRunning { kill(pid, SIGKILL) }
    p.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

    XCTAssertEqual(p.terminationReason, .uncaughtSignal)
    XCTAssertEqual(p.terminationStatus, SIGSEGV, "died by the signal it got, not through a crash handler")
    XCTAssertFalse(exists(marker), "the runtime ran \(bin)/swift-backtrace")
    XCTAssertEqual(stderr, "", "nothing on stderr, no crash report or stack trace")
  }
}
