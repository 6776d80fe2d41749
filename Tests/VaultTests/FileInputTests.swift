// Issue 8 items 5 and 6 at the file layer: only regular files are read where a file is
// expected (a FIFO is refused at once, never waited on), and line input is streamed
// within limits.
import Foundation
import XCTest

@testable import Vault

#if canImport(Glibc)
  import Glibc
#endif

final class RegularFileTests: XCTestCase {
  var dir: String!

  override func setUp() {
    dir = NSTemporaryDirectory() + "fileinput-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// Runs `body` on another thread and fails (instead of hanging the suite) when it
  /// does not return within `seconds`.
  func finishes<T>(within seconds: Double = 5, _ body: @escaping () throws -> T) -> Result<T, Error>? {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, Error>?
    Thread.detachNewThread {
      result = Result { try body() }
      done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else {
      XCTFail("blocked for more than \(seconds) s")
      return nil
    }
    return result
  }

  func testFIFODeviceAndDirectoryAreRefusedAtOnce() throws {
    let fifo = dir + "/fifo"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    for (path, kind) in [(fifo, "FIFO"), ("/dev/zero", "character device"), (dir!, "directory")] {
      for attempt in [
        { _ = try FileIO.readSmallFile(path) }, { _ = try MappedFile(path: path) },
        { close(try FileIO.openRegularFile(path)) },
      ] as [() throws -> Void] {
        guard let r = finishes(attempt) else { continue }
        XCTAssertThrowsError(try r.get(), path) { e in
          XCTAssertEqual(e as? VaultError, .notRegularFile(path: path, kind: kind))
          XCTAssertEqual((e as? VaultError)?.exitCode, 65)
        }
      }
    }
  }

  func testRegularFilesAndSymlinksToThemAreRead() throws {
    let file = dir + "/f"
    try Data("hello\n".utf8).write(to: URL(fileURLWithPath: file))
    XCTAssertEqual(symlink(file, dir + "/link"), 0)
    XCTAssertEqual(try FileIO.readSmallFile(dir + "/link"), Array("hello\n".utf8))
    XCTAssertThrowsError(try FileIO.readSmallFile(dir + "/missing")) { e in
      XCTAssertEqual((e as? VaultError)?.exitCode, 66)
    }
    // The descriptor is back in blocking mode for the reads.
    let fd = try FileIO.openRegularFile(file)
    defer { close(fd) }
    XCTAssertEqual(fcntl(fd, F_GETFL) & O_NONBLOCK, 0)
    XCTAssertThrowsError(try FileIO.readSmallFile(file, limit: 3)) { e in
      XCTAssertEqual((e as? VaultError)?.exitCode, 65)
    }
  }
}

final class BoundedLineReaderTests: XCTestCase {
  func reader(_ text: [UInt8], line: Int = 8, total: Int = 64) throws -> (BoundedLineReader, Int32) {
    var fds: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&fds), 0)
    _ = text.withUnsafeBytes { write(fds[1], $0.baseAddress, text.count) }
    close(fds[1])
    return (
      BoundedLineReader(fd: fds[0], name: "stdin", maxLineBytes: line, maxTotalBytes: total, purpose: "tests"), fds[0]
    )
  }

  func lines(_ text: String, line: Int = 8, total: Int = 64) throws -> [String] {
    var (r, fd) = try reader(Array(text.utf8), line: line, total: total)
    defer { close(fd) }
    var out: [String] = []
    while let l = try r.next() { out.append(String(decoding: l, as: UTF8.self)) }
    return out
  }

  func testSplitsLines() throws {
    XCTAssertEqual(try lines("a\nbb\r\n\nccc"), ["a", "bb", "", "ccc"])
    XCTAssertEqual(try lines("a\n"), ["a"])
    XCTAssertEqual(try lines(""), [])
    XCTAssertEqual(try lines("12345678\n12345678\r\n"), ["12345678", "12345678"], "exactly the limit is fine")
  }

  func testLimitsNameTheLine() throws {
    XCTAssertThrowsError(try lines("ok\n123456789\n")) { e in
      XCTAssertEqual(e as? VaultError, .inputTooLarge("stdin: line 2 is longer than 8 bytes, the limit for tests"))
      XCTAssertEqual((e as? VaultError)?.exitCode, 65)
    }
    XCTAssertThrowsError(try lines("12345678901234567890")) { e in
      XCTAssertEqual(e as? VaultError, .inputTooLarge("stdin: line 1 is longer than 8 bytes, the limit for tests"))
    }
    XCTAssertThrowsError(try lines(String(repeating: "1234\n", count: 20), total: 64)) { e in
      guard case .inputTooLarge(let m) = e as? VaultError else { return XCTFail("\(e)") }
      XCTAssertTrue(m.hasPrefix("stdin: more than 64 bytes, the limit for tests (at line "), m)
    }
  }

  /// Many chunks: lines that straddle the 64 KiB reads come out whole.
  func testLongStream() throws {
    let text = (0..<30000).map { "line\($0)" }.joined(separator: "\n") + "\n"
    var fds: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&fds), 0)
    let writer = Thread {
      let b = Array(text.utf8)
      var done = 0
      while done < b.count {
        let n = b[done...].withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        if n <= 0 { break }
        done += n
      }
      close(fds[1])
    }
    writer.start()
    defer { close(fds[0]) }
    var r = BoundedLineReader(fd: fds[0], name: "stdin", maxLineBytes: 16, maxTotalBytes: 1 << 20, purpose: "tests")
    var n = 0
    while let l = try r.next() {
      XCTAssertEqual(String(decoding: l, as: UTF8.self), "line\(n)")
      n += 1
    }
    XCTAssertEqual(n, 30000)
    XCTAssertEqual(r.lineNumber, 30000)
  }
}
